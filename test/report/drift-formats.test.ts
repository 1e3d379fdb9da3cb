// Drift shown as a diff: the earlier content from the state's content records against today's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import type { MessageContent } from '../../src/api/types.js';
import type { CompiledMessage } from '../../src/compile/types.js';
import { classifyMessages } from '../../src/plan/classify-messages.js';
import { lookUpContents } from '../../src/plan/look-up-contents.js';
import type { Plan } from '../../src/plan/types.js';
import { diffContents, diffWords, driftDiffs } from '../../src/report/content-diff.js';
import { formatPlan } from '../../src/report/plan-format.js';
import { openFileStateStore } from '../../src/state/file-state.js';
import { MAX_STORED_VALUE_CHARS, storedContentOf } from '../../src/state/stored-content.js';
import type { JournalRecord } from '../../src/state/types.js';
import { idOf, planFrom } from '../plan/fixture-plan.js';
import { inFlight, outcome } from '../state/records.js';
import { withTmpDir } from '../state/tmp-dir.js';
import { assertGolden } from '../helpers/golden.js';

const golden = (name: string): string =>
  fileURLToPath(new URL(`../plan/golden/${name}`, import.meta.url));

const NOW: MessageContent = {
  whatsApp: { text: 'Black Friday: 30% off everything, today and tomorrow.' },
  scenarioKey: 'promo',
};
const EARLIER: Record<string, MessageContent> = {
  'h-e1': {
    whatsApp: {
      text: 'Black Friday: 20% off everything today.',
      imageUrl: 'https://cdn.acme.example/bf.png',
    },
  },
  'h-e2': { whatsApp: { text: 'Black Friday: 20% off.\nSee you!' }, scenarioKey: 'promo' },
  'h-e4': {
    whatsApp: { text: 'Black Friday: 30% off everything, today and tomorrow!' },
    scenarioKey: 'promo',
  },
  'h-hotline-old': { whatsApp: { text: 'Questions? Call +41 79 999 67 27.' } },
};
const HOTLINE: MessageContent = { whatsApp: { text: 'Questions? Call +41 79 302 67 27.' } };
const PHONES = [
  '41790000001',
  '41790000002',
  '41790000003',
  '41790000004',
  '41790000005',
  '41790000006',
];

function message(
  spec: string,
  phone: string,
  hash: string,
  content: MessageContent,
): CompiledMessage {
  return {
    spec,
    revision: 1,
    messageId: idOf(spec, phone),
    phoneNumber: phone,
    contentHash: hash,
    contentKey: hash,
    content,
    origin: { file: `specs/${spec}.yaml`, line: 0, column: 0 },
  };
}

/** offer: 6 recipients now on one content, accepted earlier with 4 others (one never kept); hotline: a change inside a number. */
async function driftPlan(dir: string): Promise<Plan> {
  const store = openFileStateStore(dir);
  const earlierOf = ['h-e1', 'h-e1', 'h-e2', 'h-unknown', 'h-e4'];
  const records: JournalRecord[] = [];
  for (const [hash, content] of Object.entries(EARLIER))
    records.push({
      v: 3,
      type: 'content',
      at: '2026-01-10T10:00:00.000Z',
      hash,
      ...storedContentOf(content),
    });
  const sent = [
    ...earlierOf.map((hash, i) => ({ spec: 'offer', phone: PHONES[i] ?? '', hash })),
    { spec: 'hotline', phone: PHONES[5] ?? '', hash: 'h-hotline-old' },
  ];
  sent.forEach(({ spec, phone, hash }, i) => {
    records.push(
      inFlight(`B${i}`, '2026-01-10T10:00:01.000Z', [
        { messageId: idOf(spec, phone), spec, phoneNumber: phone, contentHash: hash },
      ]),
    );
    records.push(
      outcome(`B${i}`, '2026-01-10T10:00:02.000Z', [
        { messageId: idOf(spec, phone), outcome: 'accepted', statusName: 'PENDING_ENROUTE' },
      ]),
    );
  });
  await store.append(records);
  const snapshot = await store.read();
  const messages = [
    ...earlierOf.map((_, i) => message('offer', PHONES[i] ?? '', 'h-now', NOW)),
    message('hotline', PHONES[5] ?? '', 'h-hotline', HOTLINE),
  ];
  const { entries, contents } = await classifyMessages(messages, snapshot, {});
  return planFrom({
    specs: [
      { name: 'offer', file: 'specs/offer.yaml', revision: 1, batchSize: 100 },
      { name: 'hotline', file: 'specs/hotline.yaml', revision: 1, batchSize: 100 },
    ],
    contents,
    ...(await lookUpContents(entries, snapshot, store)),
    entries,
    inputs: {
      files: [],
      state: { location: '.waspec', sha256: 'd'.repeat(64), records: records.length },
    },
  });
}

for (const [format, file] of [
  ['pretty', 'drift.pretty.txt'],
  ['markdown', 'drift.md'],
] as const) {
  test(`golden: drift as a diff, ${format} → ${file}`, () =>
    withTmpDir(async (dir) => {
      const out = formatPlan(await driftPlan(dir), { format, color: false });
      await assertGolden(golden(file), out);
    }));
}

test('the plan holds the earlier contents the state kept, masked, and only those of drifts', () =>
  withTmpDir(async (dir) => {
    const plan = await driftPlan(dir);
    assert.equal(Object.keys(plan.previousContents ?? {}).sort(), [
      'h-e1',
      'h-e2',
      'h-e4',
      'h-hotline-old',
    ]);
    assert.is(
      plan.previousContents?.['h-hotline-old']?.content.whatsApp.text,
      'Questions? Call +417****6727.',
    );
    assert.equal(plan.contentsToStore, [], 'nothing to send, nothing to store');
    const diffs = driftDiffs(
      plan,
      'h-now',
      plan.entries.filter((e) => e.spec === 'offer'),
    );
    assert.equal(
      diffs.map((d) => [d.previousHash, d.entries.length]),
      [
        ['h-e1', 2],
        ['h-e2', 1],
        ['h-unknown', 1],
        ['h-e4', 1],
      ],
    );
    assert.match(diffs[2]?.unknown ?? '', /accepted before the state kept contents/);
  }));

test('pretty with colour marks words by colour, not brackets', () =>
  withTmpDir(async (dir) => {
    const out = formatPlan(await driftPlan(dir), { format: 'pretty', color: true });
    assert.match(out, /\x1b\[32m\x1b\[4m30\x1b\[24m\x1b\[39m/, 'added words green and underlined');
    assert.match(
      out,
      /\x1b\[31m\x1b\[9m20\x1b\[29m\x1b\[39m/,
      'removed words red and struck through',
    );
    assert.not.match(out, /\{\+|\[-/);
  }));

test('word diff: only the words that changed are marked; a diff too long to compute marks the whole value', () => {
  assert.equal(diffWords('a b c', 'a x c'), {
    before: [
      { text: 'a ', changed: false },
      { text: 'b', changed: true },
      { text: ' c', changed: false },
    ],
    after: [
      { text: 'a ', changed: false },
      { text: 'x', changed: true },
      { text: ' c', changed: false },
    ],
  });
  const many = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');
  const long = diffWords(many(1500, 'a'), many(1500, 'b'));
  assert.equal(long.before, [{ text: many(1500, 'a'), changed: true }]);
  assert.equal(long.after, [{ text: many(1500, 'b'), changed: true }]);
});

test('field by field: changed, added and removed fields, unchanged ones left out', () => {
  const changes = diffContents(EARLIER['h-e1'] as MessageContent, NOW);
  assert.equal(
    changes.map((c) => `${c.kind} ${c.label}`),
    ['changed text', 'added scenarioKey', 'removed image'],
  );
  assert.equal(diffContents(NOW, NOW), []);
});

test('stored contents: numbers masked, each value and the whole cut (and said so), the same whatever the key order', () => {
  const long = 'x'.repeat(MAX_STORED_VALUE_CHARS + 10);
  const stored = storedContentOf({
    whatsApp: { text: `Call 0041791234567 or +41 (79) 123-45-67. ${long}` },
  });
  assert.is(stored.cut, true);
  assert.is(stored.content.whatsApp.text?.length, MAX_STORED_VALUE_CHARS);
  assert.match(
    stored.content.whatsApp.text ?? '',
    /^Call 004\*\*\*\*4567 or \+417\*\*\*\*4567\. x/,
  );
  const emoji = storedContentOf({
    whatsApp: { text: `${'a'.repeat(MAX_STORED_VALUE_CHARS - 1)}😀` },
  });
  assert.is(
    emoji.content.whatsApp.text,
    'a'.repeat(MAX_STORED_VALUE_CHARS - 1),
    'a surrogate pair is never split',
  );
  const many = storedContentOf({
    whatsApp: { templateData: Array.from({ length: 10 }, () => 'y'.repeat(3000)) },
  });
  assert.is(many.cut, true);
  assert.ok((many.content.whatsApp.templateData ?? []).join('').length <= 16 * 1024);
  const small = storedContentOf({
    whatsApp: { text: 'Opening at 9, 2026-11-27.' },
    sendAt: '2026-11-27T09:00:00+01:00',
  });
  assert.equal(
    small,
    {
      content: {
        sendAt: '2026-11-27T09:00:00+01:00',
        whatsApp: { text: 'Opening at 9, 2026-11-27.' },
      },
    },
    'dates are no phone numbers; nothing cut',
  );
  assert.equal(
    storedContentOf({ whatsApp: { imageUrl: 'u', text: 't' } }),
    storedContentOf({ whatsApp: { text: 't', imageUrl: 'u' } }),
  );
});

test('an earlier content from the state reaches no format with raw control or bidi characters', () =>
  withTmpDir(async (dir) => {
    const plan = await driftPlan(dir);
    const earlier = plan.previousContents?.['h-e1'];
    assert.ok(earlier, 'the fixture keeps h-e1');
    earlier.content = { whatsApp: { text: 'Black Friday\u001b[8m hidden\r\u202Eevil' } };
    for (const format of ['pretty', 'markdown', 'html'] as const) {
      const out = formatPlan(plan, { format, color: false });
      assert.not.match(out, /[\u001b\r\u202e]/, format);
      const shown =
        format === 'markdown'
          ? ['&#92;e&#91;8m', '&#92;r&#92;u{202E}evil']
          : ['\\e[8m', '\\r\\u{202E}evil'];
      for (const escape of shown) assert.ok(out.includes(escape), `${format} shows ${escape}`);
    }
  }));

test.run();
