import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeDiagnostic } from '../../src/diagnostics/diagnostic.js';
import type { Plan, PlanEntry, PlanSpecInfo } from '../../src/plan/types.js';
import type { MessageContent } from '../../src/api/types.js';
import { summarizeEntries } from '../../src/plan/summarize-plan.js';
import { formatPlan } from '../../src/report/plan-format.js';
import { swissNumbers } from '../helpers/specs.js';
import { planFrom } from '../plan/fixture-plan.js';

/** GitHub's limit for a comment, in characters. */
const COMMENT_LIMIT = 65_536;
const DEFAULT_BYTES = 60_000;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const num = (text: string) => Number(text.replace(/,/g, ''));

interface Generated {
  plan: Plan;
  /** Messages per action of the personalised spec. */
  actions: Record<string, number>;
}

/**
 * A plan as buildPlan makes it for `n` personalised recipients (each a distinct render) plus
 * a spec whose message is the same for all: generated, not compiled, so 100,000 stay fast.
 */
function personalisedPlan(
  n: number,
  options: { specs?: number; text?: (i: number) => string } = {},
): Generated {
  const entries: PlanEntry[] = [];
  const contents: Record<string, MessageContent> = {};
  const specs: PlanSpecInfo[] = [];
  const actions: Record<string, number> = {};
  const phones = swissNumbers(n);
  const specCount = options.specs ?? 1;
  for (let s = 0; s < specCount; s++) {
    const spec = specCount === 1 ? 'promo' : `promo-${s}`;
    specs.push({
      name: spec,
      file: `specs/${spec}.yaml`,
      revision: 1,
      batchSize: 100,
      shape: {
        fields: { '/whatsApp/text': 'Hello {{name}}, take {{discount}}% off with code {{code}}.' },
        variables: ['name', 'discount', 'code'],
      },
    });
    phones.forEach((phone, i) => {
      const vars = { name: `Person ${i}`, discount: i % 5 === 0 ? '30' : '20', code: `C${i}` };
      const hash = `${spec}-${i}`;
      contents[hash] = {
        whatsApp: {
          text:
            options.text?.(i) ??
            `Hello ${vars.name}, take ${vars.discount}% off with code ${vars.code}.`,
        },
      };
      const action =
        i % 100 === 7 ? 'rejected' : i % 50 === 3 ? 'retry' : i % 10 === 1 ? 'unchanged' : 'send';
      actions[action] = (actions[action] ?? 0) + 1;
      const message = {
        messageId: `${spec}-${i}`,
        spec,
        revision: 1,
        phoneNumber: phone,
        contentHash: hash,
        vars,
      };
      const previous = {
        contentHash: hash,
        outcome: action === 'unchanged' ? 'accepted' : action === 'retry' ? 'failed' : 'rejected',
        bulkId: 'B',
        sentAt: '2026-01-10T10:00:00.000Z',
      } as const;
      const entry: PlanEntry =
        action === 'send' ? { action, ...message } : { action, ...message, previous };
      entries.push(entry);
    });
  }
  specs.push({ name: 'hello', file: 'specs/hello.yaml', revision: 1, batchSize: 100 });
  contents.hello = { whatsApp: { text: 'Our store opens on Monday.' } };
  for (const phone of swissNumbers(3, 9000000))
    entries.push({
      action: 'send',
      messageId: `hello-${phone}`,
      spec: 'hello',
      revision: 1,
      phoneNumber: phone,
      contentHash: 'hello',
    });
  const plan = planFrom({ specs, contents, entries });
  return { plan, actions };
}

/** The markdown's lines between a spec's <details> and </details>. */
function section(markdown: string, spec: string): string {
  const start = markdown.indexOf(`<summary><b>${spec}</b>`);
  assert.ok(start >= 0, `section of ${spec}`);
  return markdown.slice(start, markdown.indexOf('</details>', start));
}

for (const n of [1, 100, 5_000, 100_000]) {
  test(`${n.toLocaleString('en-US')} personalised recipients: the markdown fits one comment and its counts add up`, () => {
    const { plan, actions } = personalisedPlan(n);
    const markdown = formatPlan(plan, { format: 'markdown' });
    assert.ok(bytes(markdown) <= DEFAULT_BYTES, `${bytes(markdown)} bytes`);
    assert.ok(markdown.length < COMMENT_LIMIT);
    assert.not.ok(markdown.includes('Left out'), 'nothing needed leaving out');
    // The summary table: the row adds up to the recipients, column by column as planned.
    const row = markdown.split('\n').find((l) => l.startsWith('| promo |'));
    assert.ok(row);
    const cells = row
      .split('|')
      .slice(2, -1)
      .map((c) => num(c.trim()));
    assert.is(
      cells.reduce((a, b) => a + b, 0),
      n,
    );
    const promo = section(markdown, 'promo');
    // Each group's headline, and the values of each variable in it, add up to its recipients.
    const groups = [
      ...promo.matchAll(/\*\*\S+ (send|retry|rejected)\*\* to ([\d,]+) recipients?/g),
    ];
    let listed = 0;
    for (const [, action, count] of groups) {
      assert.is(num(count ?? ''), actions[action ?? ''], action);
      listed += num(count ?? '');
    }
    const unchanged = /= ([\d,]+) unchanged/.exec(promo)?.[1];
    assert.is(
      listed + num(unchanged ?? '0'),
      n,
      'every message is in a group or counted unchanged',
    );
    const send = promo.slice(
      promo.indexOf('send** to'),
      promo.indexOf('**', promo.indexOf('send** to') + 10),
    );
    for (const variable of ['name', 'discount', 'code']) {
      const values = new RegExp(`\\| <code>\\{\\{${variable}\\}\\}</code> \\| ([^\\n]*) \\|`).exec(
        send,
      )?.[1];
      if ((actions.send ?? 0) <= 1) continue; // one render: the sample says it all
      assert.ok(values, `values of ${variable}`);
      const counts = [...values.matchAll(/×([\d,]+)/g)].map((m) => num(m[1] ?? ''));
      assert.is(
        counts.reduce((a, b) => a + b, 0),
        actions.send,
        `${variable}: ${values}`,
      );
    }
    if ((actions.send ?? 0) > 1)
      assert.match(send, /\| <code>\{\{discount\}\}<\/code> \| 20 ×[\d,]+ · 30 ×[\d,]+ \|/);
    // One recipient's text is never shown as everyone's.
    if (n === 1) assert.not.match(promo, /the same for every recipient/);
    else assert.match(send, /\| sample \| text \|/);
    assert.match(
      section(markdown, 'hello'),
      /Message as written\*\*, the same for every recipient/,
    );
  });
}

test('specs with long texts: samples are trimmed first, to one per group, and the last line says so', () => {
  const { plan } = personalisedPlan(20, {
    specs: 15,
    text: (i) => `${'Dear customer, '.repeat(45)}#${i}`,
  });
  const markdown = formatPlan(plan, { format: 'markdown' });
  assert.ok(bytes(markdown) <= DEFAULT_BYTES, `${bytes(markdown)} bytes`);
  const last = markdown.trimEnd().split('\n').at(-1) ?? '';
  assert.is(
    last,
    '_Left out to stay within 60,000 bytes: all but one sample render per group. The full plan: `waspec plan --format html --out plan.html` or `waspec plan --format json --out plan.json` (the HTML or JSON artifact of the CI run)._',
  );
  assert.is(
    markdown.match(/^\| 1 \| Dear customer/gm)?.length,
    15 * 3,
    'one sample for each group (send, retry, rejected) of each spec',
  );
  assert.not.match(markdown, /^\| 2 \|/m);
  assert.match(markdown, /<code>\{\{discount\}\}<\/code> \| 20 ×/, 'variable values stay');
});

test('many specs: the summary table and every headline are kept when nothing else fits', () => {
  const { plan } = personalisedPlan(20, { specs: 150 });
  const markdown = formatPlan(plan, { format: 'markdown' });
  assert.ok(bytes(markdown) <= DEFAULT_BYTES, `${bytes(markdown)} bytes`);
  for (let s = 0; s < 150; s++) {
    assert.ok(markdown.includes(`| promo-${s} |`), `row of promo-${s}`);
    assert.ok(markdown.includes(`<b>promo-${s}</b>`), `headline of promo-${s}`);
  }
  assert.match(
    markdown.trimEnd().split('\n').at(-1) ?? '',
    /^_Left out to stay within 60,000 bytes: the groups per action \(the table counts them\), each spec's message, sample renders, variable values, recipient lists\./,
  );
});

test('one text of 64 KiB: the message is cut, and the last line says so', () => {
  const { plan } = personalisedPlan(3);
  plan.specs = plan.specs.filter((s) => s.name === 'hello');
  plan.entries = plan.entries.filter((e) => e.spec === 'hello');
  plan.summary = summarizeEntries(plan.entries);
  plan.contents = { hello: { whatsApp: { text: '*'.repeat(64 * 1024) } } };
  const markdown = formatPlan(plan, { format: 'markdown' });
  assert.ok(bytes(markdown) <= DEFAULT_BYTES);
  assert.match(markdown, /… _\(65,236 more characters\)_/);
  assert.match(markdown, /message fields past 300 characters/);
});

test('thousands of specs: as many as fit, and the last line says how many are left out', () => {
  const { plan } = personalisedPlan(2, { specs: 1000 });
  const markdown = formatPlan(plan, { format: 'markdown' });
  assert.ok(bytes(markdown) <= DEFAULT_BYTES, `${bytes(markdown)} bytes`);
  assert.match(markdown, /Left out to stay within 60,000 bytes: [\d,]+ of 1,001 specs/);
  assert.match(markdown, /^\*\*Plan: 1,003 to send/m, 'the summary line counts everything');
});

test('every --max-bytes is kept, problems included; 60,000 by default', () => {
  const { plan } = personalisedPlan(50, { specs: 20 });
  for (let i = 0; i < 2000; i++)
    plan.diagnostics.push(
      makeDiagnostic(
        'variable-empty',
        `variable 'city' is empty for 4179${1000000 + i} (people.csv:${i + 2})`,
        { file: 'specs/people.csv', line: i + 1, column: 0 },
      ),
    );
  for (const maxBytes of [2_000, 5_000, 20_000, 60_000, 1_000_000]) {
    const markdown = formatPlan(plan, { format: 'markdown', maxBytes });
    assert.ok(bytes(markdown) <= maxBytes, `${bytes(markdown)} > ${maxBytes}`);
    assert.not.match(markdown, /4179\d{7}/, 'numbers in problems are masked');
  }
  assert.match(
    formatPlan(plan, { format: 'markdown', maxBytes: 20_000 }),
    /and [\d,]+ more problems|[\d,]+ problems: see the log/,
  );
  assert.is(
    formatPlan(plan, { format: 'markdown' }),
    formatPlan(plan, { format: 'markdown', maxBytes: DEFAULT_BYTES }),
  );
});

test.run();
