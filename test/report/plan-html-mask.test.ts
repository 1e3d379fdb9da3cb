import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatPlan } from '../../src/report/plan-format.js';
import { buildFixturePlan, FIXTURE_PHONES } from '../plan/fixture-plan.js';
import { withTmpDir } from '../state/tmp-dir.js';

test('plan --format html masks numbers by default (a shared page), --no-mask shows them', () =>
  withTmpDir(async (dir) => {
    const plan = await buildFixturePlan(`${dir}/state`);
    const masked = formatPlan(plan, { format: 'html' });
    for (const phone of FIXTURE_PHONES) assert.not.ok(masked.includes(phone), phone);
    const full = formatPlan(plan, { format: 'html', mask: false });
    assert.ok(FIXTURE_PHONES.some((phone) => full.includes(phone)));
  }));

test.run();
