// The message block of each spec, for the cases a reviewer meets: goldens of pretty and markdown.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlan } from '../../src/plan/build-plan.js';
import { isSending, type Plan, type PlanEntry } from '../../src/plan/types.js';
import { maskPhone } from '../../src/diagnostics/mask-phone.js';
import { formatPlan } from '../../src/report/plan-format.js';
import { openFileStateStore } from '../../src/state/file-state.js';
import type { JournalRecord } from '../../src/state/types.js';
import { SHAPES_DIR, SHAPES_NOW } from '../plan/shape-fixture.js';
import { withTmpDir } from '../state/tmp-dir.js';
import { assertGolden } from '../helpers/golden.js';

const golden = (name: string): string =>
  fileURLToPath(new URL(`../plan/golden/message-block/${name}`, import.meta.url));
const AT = '2026-01-10T10:00:00.000Z';

type Fate = 'accepted' | 'rejected' | 'failed' | 'none';

/**
 * The plan of `spec` after an apply whose messages came out as `fate` says (by index); `edit`
 * gives the earlier message as written (a drift of the text) instead of today's.
 */
async function planAfter(
  dir: string,
  spec: string,
  fate: (i: number) => Fate,
  edit?: (written: Plan['specs'][number]) => Record<string, unknown>,
): Promise<Plan> {
  const store = openFileStateStore(join(dir, 'state'));
  const options = { paths: [SHAPES_DIR], targets: [spec], store, now: SHAPES_NOW };
  const first = await buildPlan(options);
  const info = first.specs[0];
  if (!info?.writtenHash || !info.written) throw new Error('no message as written');
  const earlier = edit ? edit(info) : undefined;
  const writtenHash = earlier ? 'e'.repeat(64) : info.writtenHash;
  const entries = [...first.entries];
  const sent = entries.filter(
    (e, i): e is Extract<PlanEntry, { action: 'send' }> => isSending(e) && fate(i) !== 'none',
  );
  if (sent.length > 0) {
    const records: JournalRecord[] = [
      {
        v: 4,
        type: 'message',
        at: AT,
        hash: writtenHash,
        content: (earlier ?? info.written) as never,
      },
      {
        v: 4,
        type: 'in-flight',
        at: AT,
        bulkId: 'B1',
        messages: sent.map((e) => ({
          messageId: e.messageId,
          spec: e.spec,
          revision: e.revision,
          maskedPhoneNumber: maskPhone(e.phoneNumber),
          contentHash: earlier ? 'f'.repeat(64) : e.contentHash,
          writtenHash,
        })),
      },
      {
        v: 1,
        type: 'outcome',
        at: AT,
        bulkId: 'B1',
        results: sent.map((e) => {
          const outcome = fate(entries.indexOf(e)) as Exclude<Fate, 'none'>;
          return {
            messageId: e.messageId,
            outcome,
            ...(outcome === 'failed' ? { error: 'HTTP 503 Service Unavailable' } : {}),
            ...(outcome === 'rejected'
              ? {
                  status: {
                    groupId: 5,
                    groupName: 'REJECTED',
                    id: 7,
                    name: 'REJECTED_DESTINATION',
                    description: 'REJECTED_DESTINATION',
                  },
                }
              : {}),
          };
        }),
      },
    ];
    await store.append(records);
  }
  const plan = await buildPlan(options);
  await store.close();
  // Paths as the fixture names them, whatever the directory the tests run from.
  return {
    ...plan,
    specs: plan.specs.map((s) => ({ ...s, file: `specs/${s.file.split('/').pop() ?? ''}` })),
  };
}

const CASES: Array<{
  name: string;
  spec: string;
  fate: (i: number) => Fate;
  edit?: (info: Plan['specs'][number]) => Record<string, unknown>;
}> = [
  { name: 'all-unchanged', spec: 'black-friday', fate: () => 'accepted' },
  { name: 'all-to-send', spec: 'black-friday', fate: () => 'none' },
  {
    name: 'mixed',
    spec: 'black-friday',
    fate: (i) => (['accepted', 'rejected', 'failed', 'none'] as const)[i % 4] ?? 'none',
  },
  {
    name: 'one-left-rejected',
    spec: 'black-friday',
    fate: (i) => (i === 2 ? 'rejected' : 'accepted'),
  },
  { name: 'identical-for-all', spec: 'store-hello', fate: () => 'none' },
  {
    name: 'personalised-drift',
    spec: 'birthday',
    fate: () => 'accepted',
    edit: (info) => {
      const written = structuredClone(info.written) as { whatsApp: { text: string } };
      written.whatsApp.text = written.whatsApp.text.replace('See you at', 'Come and see us at');
      return written;
    },
  },
];

for (const c of CASES)
  for (const [format, ext] of [
    ['pretty', 'txt'],
    ['markdown', 'md'],
  ] as const)
    test(`golden: the message block, ${c.name} (${format})`, () =>
      withTmpDir(async (dir) => {
        const plan = await planAfter(dir, c.spec, c.fate, c.edit);
        await assertGolden(golden(`${c.name}.${ext}`), formatPlan(plan, { format, color: false }));
      }));

test("one recipient left rejected: the message as written, never that person's text as everyone's", () =>
  withTmpDir(async (dir) => {
    const plan = await planAfter(dir, 'black-friday', (i) => (i === 2 ? 'rejected' : 'accepted'));
    const pretty = formatPlan(plan, { format: 'pretty', color: false });
    assert.not.match(pretty, /the same for every recipient/);
    assert.match(pretty, /message as written · /);
    assert.match(pretty, /offer\/\{\{code\}\}/);
    assert.match(pretty, /promo_offer \(en_GB\)/);
  }));

test('all unchanged: the message as written with its template, header and buttons, no field paths', () =>
  withTmpDir(async (dir) => {
    const plan = await planAfter(dir, 'black-friday', () => 'accepted');
    const pretty = formatPlan(plan, { format: 'pretty', color: false });
    assert.not.match(pretty, /mediaTemplateData\/|0 distinct renders/);
    assert.match(pretty, /header image/);
    assert.match(pretty, /button 1 url/);
  }));

test('a personalised drift: one diff of the message as written for every recipient', () =>
  withTmpDir(async (dir) => {
    const plan = await planAfter(dir, 'birthday', () => 'accepted', CASES[5]?.edit);
    for (const format of ['pretty', 'markdown'] as const) {
      const out = formatPlan(plan, { format, color: false });
      assert.is(out.split(/[Cc]hanged since it was accepted/).length - 1, 1, out);
      assert.match(out, /message as written changed since it was accepted \(3 recipients\)/i);
    }
  }));

test.run();
