import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MessageContent } from '../../src/api/types.js';
import { makeDiagnostic, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { Plan, PlanEntry } from '../../src/plan/types.js';
import { comparePlans } from '../../src/watch/compare-plans.js';
import { formatPlanMoves } from '../../src/watch/format-moves.js';
import { planFrom } from '../plan/fixture-plan.js';

interface Message {
  spec?: string;
  phone: string;
  content: MessageContent;
  action?: 'send' | 'unchanged';
}

const text = (t: string): MessageContent => ({ whatsApp: { text: t } });
const PHONES = ['41791000001', '41791000002', '41791000003', '41791000004', '41791000005'];

/** A plan of these messages (content hash: the content's JSON), revision 1 unless given. */
function planOf(
  messages: Message[],
  options: { diagnostics?: Diagnostic[]; revisions?: Record<string, number> } = {},
): Plan {
  const contents: Record<string, MessageContent> = {};
  const entries: PlanEntry[] = messages.map((m) => {
    const spec = m.spec ?? 'promo';
    const revision = options.revisions?.[spec] ?? 1;
    const hash = JSON.stringify(m.content);
    contents[hash] = m.content;
    const message = {
      messageId: `${spec}/${revision}/${m.phone}`,
      spec,
      revision,
      phoneNumber: m.phone,
      contentHash: hash,
    };
    return m.action === 'unchanged'
      ? {
          action: 'unchanged',
          ...message,
          previous: {
            contentHash: hash,
            outcome: 'accepted',
            bulkId: 'b',
            sentAt: '2026-01-01T00:00:00.000Z',
          },
        }
      : { action: 'send', ...message };
  });
  const specs = [...new Set(entries.map((e) => e.spec))].map((name) => ({
    name,
    file: `specs/${name}.yaml`,
    revision: options.revisions?.[name] ?? 1,
    batchSize: 100,
  }));
  return planFrom({ specs, contents, entries, diagnostics: options.diagnostics ?? [] });
}

const personal = (greeting: string, phones = PHONES.slice(0, 3)): Message[] =>
  phones.map((phone, i) => ({ phone, content: text(`${greeting} person ${i}`) }));
const line = (before: Plan, after: Plan) =>
  formatPlanMoves(comparePlans(before, after), after.specs.length);

test('the same plan twice: nothing moved', () => {
  const plan = planOf(personal('Hi'));
  assert.equal(comparePlans(plan, planOf(personal('Hi'))), []);
  assert.is(line(plan, plan), 'Since last run: nothing moved');
});

test('an edit of the text: which field of which spec, and how many messages it changed', () => {
  const before = planOf(personal('Hi'));
  const after = planOf(personal('Hello'));
  assert.equal(comparePlans(before, after), [
    { kind: 'content', spec: 'promo', fields: ['text'], messages: 3 },
  ]);
  assert.is(line(before, after), 'Since last run: text of promo changed: 3 messages');
});

test('recipients added and removed, and the plan counts that moved with them', () => {
  const before = planOf(personal('Hi', PHONES.slice(0, 3)));
  const after = planOf([
    ...personal('Hi', PHONES.slice(0, 2)),
    { phone: '41791000009', content: text('Hi person 9') },
    { phone: '41791000008', content: text('Hi person 8') },
  ]);
  assert.equal(comparePlans(before, after), [
    { kind: 'recipients', spec: 'promo', added: 2, removed: 1 },
    { kind: 'action', action: 'send', from: 3, to: 4 },
  ]);
  assert.is(line(before, after), 'Since last run: +2 recipients · −1 recipient · send 3 → 4');
});

test('several specs: recipients name their spec; a spec that joins or leaves the plan is said', () => {
  const hello = { spec: 'hello', phone: PHONES[0] ?? '', content: text('Hello') };
  const before = planOf([...personal('Hi'), hello]);
  const after = planOf([
    ...personal('Hi', PHONES),
    { spec: 'welcome', phone: PHONES[0] ?? '', content: text('Welcome') },
  ]);
  assert.is(
    line(before, after),
    'Since last run: welcome now in the plan: 1 message · hello no longer in the plan (1 message) · +2 recipients of promo · send 4 → 6',
  );
});

test('errors fixed and new, by code, file and message (not line: an edit above moves a problem)', () => {
  const missing = (line: number) =>
    makeDiagnostic('variable-missing', "variable 'nme' is not defined", {
      file: 'specs/promo.yaml',
      line,
      column: 8,
    });
  const empty = makeDiagnostic('variable-empty', "variable 'city' is empty for 41791000001", {
    file: 'specs/promo.csv',
    line: 2,
    column: 0,
  });
  const warning = makeDiagnostic(
    'phone-duplicate',
    '41791000001 is listed twice',
    { file: 'specs/promo.csv', line: 4, column: 0 },
    { severity: 'warning' },
  );
  const before = planOf([], { diagnostics: [missing(3), empty, empty, warning] });
  const after = planOf(personal('Hi'), {
    diagnostics: [
      missing(5),
      makeDiagnostic('url-scheme', 'imageUrl is not an http(s) URL', {
        file: 'specs/promo.yaml',
        line: 6,
        column: 2,
      }),
    ],
  });
  assert.equal(
    comparePlans(before, after).filter((m) => m.kind === 'problems'),
    [
      { kind: 'problems', severity: 'error', fixed: 2, added: 1 },
      { kind: 'problems', severity: 'warning', fixed: 1, added: 0 },
    ],
  );
  assert.is(
    line(before, after),
    'Since last run: promo now in the plan: 3 messages · send 0 → 3 · 2 errors fixed · 1 new error · 1 warning fixed',
  );
});

test('a new revision: the same recipients (not new ones), their messages to send again', () => {
  const before = planOf(personal('Hi').map((m) => ({ ...m, action: 'unchanged' as const })));
  const after = planOf(personal('Hi'), { revisions: { promo: 2 } });
  assert.is(
    line(before, after),
    'Since last run: revision of promo 1 → 2 · send 0 → 3 · unchanged 3 → 0',
  );
});

test('template fields: each changed field named, in the order the plan shows them', () => {
  const promo = (code: string, image: string): MessageContent => ({
    whatsApp: {
      templateName: 'promo_offer',
      language: 'en_GB',
      templateData: ['Anna'],
      mediaTemplateData: {
        header: { imageUrl: image },
        buttons: [{ urlPlaceholder: `offer/${code}` }],
      },
    },
  });
  const before = planOf([
    { phone: PHONES[0] ?? '', content: promo('A1', 'https://cdn.example/a.png') },
  ]);
  const after = planOf([
    { phone: PHONES[0] ?? '', content: promo('B1', 'https://cdn.example/b.png') },
  ]);
  assert.is(
    line(before, after),
    'Since last run: header image and button 1 url of promo changed: 1 message',
  );
});

test('many moves: the line names the first eight and counts the rest; spec names are shown escaped', () => {
  const specs = Array.from({ length: 10 }, (_, i) => `spec-${i}`);
  const before = planOf([]);
  const after = planOf(
    specs.map((spec) => ({ spec, phone: PHONES[0] ?? '', content: text('Hi') })),
  );
  assert.match(
    line(before, after),
    /^Since last run: spec-0 now in the plan: 1 message · (?:[^·]+ · ){7}3 more changes$/,
  );
  const hostile = planOf([{ spec: 'evil\u001b[2J', phone: PHONES[0] ?? '', content: text('Hi') }]);
  assert.is(
    line(before, hostile),
    'Since last run: evil\\e[2J now in the plan: 1 message · send 0 → 1',
  );
});

test.run();
