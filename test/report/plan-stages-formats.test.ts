import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import type { SpecDocument } from '../../src/message-spec/types.js';
import { assignStages, chooseCanary, planStages } from '../../src/plan/stages.js';
import type { Plan, PlanEntry } from '../../src/plan/types.js';
import { formatPlan } from '../../src/report/plan-format.js';
import { canaryKey } from '../../src/state/types.js';
import { buildFixturePlan } from '../plan/fixture-plan.js';
import { withTmpDir } from '../state/tmp-dir.js';
import { assertGolden } from '../helpers/golden.js';

const golden = (name: string): string =>
  fileURLToPath(new URL(`../plan/golden/${name}`, import.meta.url));

/** What assignStages reads of a spec document. */
const doc = (name: string, rollout?: { canary: string | number; pause?: boolean }) =>
  ({ spec: { name, revision: 1, ...(rollout ? { rollout } : {}) } }) as unknown as SpecDocument;

/** The fixture plan with a rollout on black-friday (50%, pause), as buildPlan gives it stages. */
async function stagedPlan(dir: string, canarySent = false): Promise<Plan> {
  const plan = await buildFixturePlan(dir);
  const canaries = canarySent
    ? new Map([
        [
          canaryKey('black-friday', 1),
          { at: '2026-02-01T11:00:00.000Z', spec: 'black-friday', revision: 1, messages: 1 },
        ],
      ])
    : undefined;
  const rollouts = assignStages(
    plan.entries,
    [doc('black-friday', { canary: '50%', pause: true }), doc('store-hello')],
    undefined,
    canaries,
  );
  const stages = planStages(plan.entries, rollouts);
  return {
    ...plan,
    specs: plan.specs.map((s) => {
      const rollout = rollouts.get(s.name);
      return rollout ? { ...s, rollout } : s;
    }),
    ...(stages ? { stages } : {}),
  };
}

for (const [format, file] of [
  ['pretty', 'stages.pretty.txt'],
  ['json', 'stages.json'],
  ['markdown', 'stages.md'],
] as const) {
  test(`golden: a plan with a canary, ${format} → ${file}`, () =>
    withTmpDir(async (dir) => {
      await assertGolden(golden(file), formatPlan(await stagedPlan(dir), { format, color: false }));
    }));
}

test('html shows the stages; a plan without a rollout shows none', () =>
  withTmpDir(async (dir) => {
    const html = formatPlan(await stagedPlan(dir), { format: 'html', color: false });
    assert.match(html, /Stages: seed 0 → canary \d+ → rest \d+; apply pauses after the canary/);
    for (const format of ['pretty', 'markdown', 'html', 'json'] as const)
      assert.not.match(
        formatPlan(await buildFixturePlan(dir), { format, color: false }),
        /Stages|"stage"/,
      );
  }));

test('after the canary the plan says it is done and sends the rest without a pause', () =>
  withTmpDir(async (dir) => {
    const plan = await stagedPlan(dir, true);
    assert.is(plan.stages?.canary, 0);
    assert.is(plan.stages?.pause, undefined);
    assert.match(
      formatPlan(plan, { format: 'pretty', color: false }),
      /Canary of black-friday done: 1 sent and healthy at 2026-02-01T11:00:00.000Z/,
    );
  }));

test('the canary is the same on every plan, and adding recipients moves only a few', () => {
  const ids = Array.from({ length: 1000 }, (_, i) => `id-${i}`);
  const rollout = { canary: { percent: 5 }, pause: false };
  const first = chooseCanary(ids, rollout);
  assert.is(first.size, 50);
  assert.equal([...chooseCanary([...ids].reverse(), rollout)].sort(), [...first].sort());
  const grown = chooseCanary(
    [...ids, ...Array.from({ length: 100 }, (_, i) => `new-${i}`)],
    rollout,
  );
  assert.is(grown.size, 55);
  const kept = [...first].filter((id) => grown.has(id)).length;
  assert.ok(kept >= 40, `most of the canary stays: ${kept} of 50`);
  assert.is(chooseCanary(ids, { canary: { count: 7 }, pause: false }).size, 7);
  assert.is(chooseCanary(ids.slice(0, 3), { canary: { percent: 0.1 }, pause: false }).size, 1);
});

test('seeds are not in the canary: a canary of 3 is 3 recipients, whatever the seeds', () => {
  const send = (id: string, extra: Partial<PlanEntry> = {}) =>
    ({
      action: 'send',
      messageId: id,
      spec: 'promo',
      revision: 1,
      phoneNumber: '41791000000',
      contentHash: 'c'.repeat(64),
      ...extra,
    }) as PlanEntry;
  const entries: PlanEntry[] = [
    ...Array.from({ length: 5 }, (_, i) => send(`seed-${i}`, { seed: true, stage: 'seed' })),
    ...Array.from({ length: 10 }, (_, i) => send(`m-${i}`)),
  ];
  const rollouts = assignStages(entries, [doc('promo', { canary: 3 })], undefined, undefined);
  assert.equal(planStages(entries, rollouts), { seed: 5, canary: 3, rest: 7 });
});

test.run();
