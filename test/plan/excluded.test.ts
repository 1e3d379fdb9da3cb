import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { buildPlan } from '../../src/plan/build-plan.js';
import { restoreSavedPlan } from '../../src/plan/restore-saved-plan.js';
import { privatePlan } from '../../src/plan/saved-plan.js';
import { openFileStateStore } from '../../src/state/file-state.js';
import { makeWorkspace } from '../helpers/cli.js';

const SPEC = `name: promo
revision: 1
whatsApp:
  text: "Hallo {{name}}"
recipients:
  - file: people.csv
    invalid: hold
`;

async function planIn(dir: string) {
  const store = openFileStateStore(join(dir, 'state'));
  try {
    return await buildPlan({ paths: [join(dir, 'promo.yaml')], store });
  } finally {
    await store.close();
  }
}

test('a saved plan is restored only when its inputs leave out the same recipients', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'promo.yaml': SPEC,
    'people.csv': 'phoneNumber,name\n41793026727,Anna\nnone,Ben\n41793026728,\n',
  });
  try {
    const plan = await planIn(dir);
    assert.equal(plan.diagnostics, []);
    assert.equal(
      plan.excluded?.map((e) => [e.code, e.line]),
      [
        ['phone-invalid', 2],
        ['variable-empty', 3],
      ],
    );
    assert.is(plan.summary.excluded, 2);
    const saved = privatePlan(plan);
    const restored = await restoreSavedPlan(saved, 'plan.json', {}, { numbers: true });
    assert.is(restored.entries.at(0)?.phoneNumber, '41793026727');
    // A plan whose excluded list was edited (or that excluded less) is refused.
    const edited = { ...saved, excluded: saved.excluded?.slice(0, 1) };
    try {
      await restoreSavedPlan(edited, 'plan.json', {}, { numbers: true });
      assert.unreachable('refused');
    } catch (error) {
      assert.match(
        (error as Error).message,
        /left out by invalid: hold differ \(1 in the plan, 2 now\)/,
      );
    }
  } finally {
    await cleanup();
  }
});

test('without invalid: hold nothing is excluded and the plan has no excluded field', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'promo.yaml': SPEC.replace('    invalid: hold\n', ''),
    'people.csv': 'phoneNumber,name\n41793026727,Anna\n',
  });
  try {
    const plan = await planIn(dir);
    assert.is(plan.excluded, undefined);
    assert.is(plan.summary.excluded, undefined);
  } finally {
    await cleanup();
  }
});

test.run();
