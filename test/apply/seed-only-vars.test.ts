import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dropShownVars } from '../../src/apply/run-apply.js';
import { seedOnlyPlan } from '../../src/apply/seed-only.js';
import type { PlanEntry } from '../../src/plan/types.js';
import { VarsTable } from '../../src/plan/vars-table.js';
import { idOf, planFrom } from '../plan/fixture-plan.js';

test('apply --seed-only: the copy it sends keeps no variable values once the plan is shown', () => {
  const variables = new VarsTable();
  const entry = (
    phone: string,
    seed: boolean,
    vars: Readonly<Record<string, string>> | number,
  ): PlanEntry => ({
    action: 'send',
    messageId: idOf('promo', phone),
    spec: 'promo',
    revision: 1,
    phoneNumber: phone,
    contentHash: 'h',
    vars,
    ...(seed ? { seed: true as const, stage: 'seed' as const } : { stage: 'rest' as const }),
  });
  const plan = planFrom({
    specs: [{ name: 'promo', file: 'specs/promo.yaml', revision: 1, batchSize: 100 }],
    contents: { h: { whatsApp: { text: 'Hi' } } },
    entries: [
      entry('41790000001', true, { name: 'Ann' }),
      entry('41790000002', true, variables.add({ name: 'Ben' })),
      entry('41790000003', false, { name: 'Cy' }),
    ],
    variables,
  });
  const sending = seedOnlyPlan(plan);
  assert.is(sending.entries.length, 2, 'the seeds alone');
  assert.is(sending.variables, variables, 'the copy shares the table until dropped');

  dropShownVars(plan, sending);
  for (const p of [plan, sending]) {
    assert.is(p.variables, undefined);
    assert.ok(
      p.entries.every((e) => e.action === 'orphan' || typeof e.vars !== 'object'),
      'no entry keeps its values',
    );
  }
  assert.equal(
    sending.entries.map((e) => e.phoneNumber),
    ['41790000001', '41790000002'],
  );
});

test.run();
