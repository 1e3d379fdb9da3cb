import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSending, varsOf } from '../../src/plan/types.js';
import { formatPlan } from '../../src/report/plan-format.js';
import { buildShapesPlan } from '../plan/shape-fixture.js';
import { withTmpDir } from '../state/tmp-dir.js';
import { assertGolden } from '../helpers/golden.js';

const golden = (name: string): string =>
  fileURLToPath(new URL(`../plan/golden/${name}`, import.meta.url));

// Personalised specs, planned for real: one shape per spec, its variables' values, a few samples.
for (const [format, file, extra] of [
  ['pretty', 'shapes.pretty.txt', {}],
  ['markdown', 'shapes.md', {}],
  ['markdown', 'shapes.trimmed.md', { maxBytes: 3000 }],
] as const) {
  test(`golden: ${format} of personalised specs → ${file}`, () =>
    withTmpDir(async (dir) => {
      const out = formatPlan(await buildShapesPlan(join(dir, 'state')), {
        format,
        color: false,
        ...extra,
      });
      await assertGolden(golden(file), out);
    }));
}

test('the shape is shown once per spec; each group counts its values and shows samples not shown before', () =>
  withTmpDir(async (dir) => {
    const plan = await buildShapesPlan(join(dir, 'state'));
    const pretty = formatPlan(plan, { format: 'pretty' });
    assert.is(pretty.split('"offer/{{code}}"').length - 1, 1, 'the shape once');
    assert.match(
      pretty,
      /\{\{discount\}\} │ 20 ×5 · 30 ×2 · 40 ×1/,
      'the values of the 8 messages to send',
    );
    assert.match(
      pretty,
      /! rejected · 1 recipient ·[^\n]*\n\s+sample 1\s+│ templateData: 1\. "Dan"/,
      'one render: the sample, no value counts',
    );
    assert.is(pretty.match(/offer\/A1/g)?.length, undefined, 'unchanged messages are only counted');
  }));

test('colour marks the variables in the shape; without colour the braces do', () =>
  withTmpDir(async (dir) => {
    const plan = await buildShapesPlan(join(dir, 'state'));
    assert.match(
      formatPlan(plan, { format: 'pretty', color: true }),
      /\x1b\[1m\x1b\[36m\{\{name\}\}/,
    );
    assert.match(formatPlan(plan, { format: 'markdown' }), /1\. "<code>\{\{name\}\}<\/code>"/);
  }));

test('masked formats mask numbers in variable values and samples, not only recipients', () =>
  withTmpDir(async (dir) => {
    const plan = await buildShapesPlan(join(dir, 'state'));
    // Entries of a plan buildPlan made are copies when read: edited here as an array.
    plan.entries = [...plan.entries];
    const hello = plan.entries
      .filter(isSending)
      .find((e) => e.spec === 'birthday' && e.action === 'send');
    assert.ok(hello?.contentHash);
    hello.vars = { ...varsOf(hello, plan.variables), gift: 'a call from 41793026727' };
    const content = plan.contents[hello.contentHash];
    assert.ok(content);
    content.whatsApp.text = 'Happy birthday! Call 41793026727.';
    for (const out of [
      formatPlan(plan, { format: 'markdown' }),
      formatPlan(plan, { format: 'pretty', mask: true }),
    ]) {
      assert.not.ok(out.includes('41793026727'));
      assert.ok(out.includes('417****6727'));
    }
    assert.ok(
      formatPlan(plan, { format: 'pretty' }).includes('a call from 41793026727'),
      'unmasked in pretty by default',
    );
  }));

test('variable names and values from a spec or recipient file are shown escaped, never interpreted', () =>
  withTmpDir(async (dir) => {
    const plan = await buildShapesPlan(join(dir, 'state'));
    const promo = plan.specs.find((s) => s.name === 'black-friday');
    assert.ok(promo?.shape);
    promo.shape.variables = [...promo.shape.variables, 'x\u001b[2J'];
    plan.entries = [...plan.entries];
    const entry = plan.entries
      .filter(isSending)
      .find((e) => e.spec === 'black-friday' && e.action === 'send');
    assert.ok(entry);
    entry.vars = { ...varsOf(entry, plan.variables), 'x\u001b[2J': 'evil\u202e\r' };
    for (const format of ['pretty', 'markdown'] as const) {
      const out = formatPlan(plan, { format });
      assert.not.match(out, /[\u001b\u202e\r]/, format);
      assert.match(
        out,
        format === 'pretty'
          ? /\{\{x\\e\[2J\}\} +│ \(empty\) ×7 · evil\\u\{202E\}\\r ×1/
          : /<code>\{\{x&#92;e&#91;2J\}\}<\/code> \| \(empty\) ×7 · evil&#92;u\{202E\}&#92;r ×1/,
      );
    }
  }));

test.run();
