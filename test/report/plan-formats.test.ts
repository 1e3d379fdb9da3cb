import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { formatPlan } from '../../src/report/plan-format.js';
import { formatPlanSummary } from '../../src/report/plan-summary.js';
import { maskPhone } from '../../src/diagnostics/mask-phone.js';
import { escapeMarkdown } from '../../src/report/escape-markdown.js';
import { buildFixturePlan, FIXTURE_PHONES } from '../plan/fixture-plan.js';
import { withTmpDir } from '../state/tmp-dir.js';
import { assertGolden } from '../helpers/golden.js';
import { emptySummary } from '../../src/plan/summarize-plan.js';

const golden = (name: string): string =>
  fileURLToPath(new URL(`../plan/golden/${name}`, import.meta.url));

test('maskPhone keeps the first 3 and last 4 digits', () => {
  assert.is(maskPhone('41793026727'), '417****6727');
  assert.is(maskPhone('15512348467'), '155****8467');
  assert.is(maskPhone('4915112345678'), '491****5678');
});

test('summary line: thousands separators, optional categories only when present', () => {
  const summary = { ...emptySummary(), send: 1204, unchanged: 3, drift: 1 };
  assert.is(formatPlanSummary(summary), 'Plan: 1,204 to send, 3 unchanged, 1 drift, 0 in doubt');
  assert.is(
    formatPlanSummary({ ...summary, retry: 2, orphan: 1 }),
    'Plan: 1,204 to send, 2 to retry, 3 unchanged, 1 drift, 0 in doubt, 1 orphan',
  );
  assert.is(
    formatPlanSummary({ ...summary, suppressed: 2, capped: 1, 'quiet-hours': 3 }),
    'Plan: 1,204 to send, 3 unchanged, 1 drift, 0 in doubt, 2 suppressed, 1 capped, 3 in quiet hours',
  );
});

for (const [format, file, extra] of [
  ['pretty', 'plan.pretty.txt', {}],
  ['pretty', 'plan.pretty-limit1-masked.txt', { limit: 1, mask: true }],
  ['json', 'plan.json', {}],
  ['markdown', 'plan.md', {}],
] as const) {
  test(`golden: ${format} → ${file}`, () =>
    withTmpDir(async (dir) => {
      const out = formatPlan(await buildFixturePlan(dir), { format, color: false, ...extra });
      assert.not.match(out, /\x1b\[/, 'no colour codes');
      await assertGolden(golden(file), out);
    }));
}

test('pretty shows each distinct message once, with colours only when asked', () =>
  withTmpDir(async (dir) => {
    const plan = await buildFixturePlan(dir);
    const out = formatPlan(plan, { format: 'pretty', color: false });
    assert.is(out.split('promo_offer').length - 1, 1);
    assert.match(formatPlan(plan, { format: 'pretty', color: true }), /\x1b\[/);
  }));

test('no full phone number in markdown (default) or with --mask in any format', () =>
  withTmpDir(async (dir) => {
    const plan = await buildFixturePlan(dir);
    plan.diagnostics.push({
      code: 'phone-duplicate',
      severity: 'warning',
      message: '41793026727 appears twice',
    });
    const outputs = [
      formatPlan(plan, { format: 'markdown' }),
      formatPlan(plan, { format: 'pretty', mask: true }),
      formatPlan(plan, { format: 'json', mask: true }),
      formatPlan(plan, { format: 'markdown', mask: true }),
    ];
    for (const out of outputs) {
      for (const phone of [...FIXTURE_PHONES, '41790000099'])
        assert.not.ok(out.includes(phone), `${phone} leaked`);
    }
    assert.ok(formatPlan(plan, { format: 'markdown', mask: false }).includes('41793026727'));
  }));

test('markdown escaping keeps message text inert', () => {
  const hostile = '</details><script>x</script> | **b** [l](http://e) @team `c` \\ #1 ~s~\nline';
  const out = escapeMarkdown(hostile);
  assert.not.match(out.replaceAll('<br>', ''), /[<>|*[\]`@\n]/);
  assert.match(out, /&lt;\/details&gt;/);
  assert.match(out, /<br>line$/);
});

test.run();
