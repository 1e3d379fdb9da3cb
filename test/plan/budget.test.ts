import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';

// 3 Argentine and 2 Australian numbers, a marketing template: 3 × 0.0618 + 2 × 0.0732 = 0.3318.
const SPEC = `name: promo
revision: 1
whatsApp:
  templateName: promo_offer
  language: en_GB
recipients:
  - { phoneNumber: '+54 9 11 2345 6781' }
  - { phoneNumber: '+54 9 11 2345 6782' }
  - { phoneNumber: '+54 9 11 2345 6783' }
  - { phoneNumber: '+61 412 345 671' }
  - { phoneNumber: '+61 412 345 672' }
`;
const TEMPLATES = `templates:
  - { name: promo_offer, language: en_GB, category: marketing, body: Sale now. }
`;
const RATES = `currency: USD
effective: "2025-07-01"
source: test
prices:
  - { code: "54", marketing: 0.0618, utility: 0.0289 }
  - { code: "61", marketing: 0.0732, utility: 0.0113 }
  - { code: default, marketing: 0.05, utility: 0.02, authentication: 0.02, service: 0 }
`;

async function workspace(budget: string) {
  return makeWorkspace({
    'specs/promo.yaml': SPEC,
    'templates.yaml': TEMPLATES,
    'rates.yaml': RATES,
    'waspec.config.yaml': `templates: templates.yaml\nrates: rates.yaml\npolicy:\n  budget: ${budget}\n`,
  });
}

test('the plan shows the cost; JSON carries the exact figures', async () => {
  const { dir, cleanup } = await workspace('1');
  try {
    const pretty = await runCli(['plan'], { cwd: dir });
    assert.is(pretty.code, 0, pretty.stderr);
    assert.match(
      pretty.stdout,
      /Estimated cost: USD 0\.33 for 5 messages \(rates rates\.yaml, effective 2025-07-01\)/,
    );
    assert.match(pretty.stdout, /\+54\s+│ USD 0\.19 \(3\)/);
    const json = await runCli(['plan', '--format', 'json'], { cwd: dir });
    const plan = JSON.parse(json.stdout) as { cost: { total: unknown; byCategory: unknown } };
    assert.equal(plan.cost.total, { messages: 5, amount: '0.3318' });
    assert.equal(plan.cost.byCategory, [{ category: 'marketing', messages: 5, amount: '0.3318' }]);
    const markdown = await runCli(['plan', '--format', 'markdown'], { cwd: dir });
    // The Action's comment shows it in its first lines.
    assert.match(
      markdown.stdout.split('\n').slice(0, 6).join('\n'),
      /\*\*Estimated cost: USD 0\.33/,
    );
  } finally {
    await cleanup();
  }
});

test('over budget: an error naming the figure; --allow-cost at least the estimate approves it', async () => {
  const { dir, cleanup } = await workspace('0.30');
  try {
    const refused = await runCli(['plan'], { cwd: dir });
    assert.is(refused.code, 1);
    assertNoStackTrace(refused);
    assert.match(refused.stderr, /plan-over-budget/);
    assert.match(refused.stderr, /this apply would cost USD 0\.33, over its budget of USD 0\.30/);
    assert.match(refused.stderr, /--allow-cost 0\.3318/);
    const short = await runCli(['plan', '--allow-cost', '0.33'], { cwd: dir });
    assert.is(short.code, 1);
    assert.match(short.stderr, /more than --allow-cost 0\.33 approves/);
    const approved = await runCli(['plan', '--allow-cost', '0.3318'], { cwd: dir });
    assert.is(approved.code, 0, approved.stderr);
    const bad = await runCli(['plan', '--allow-cost', 'lots'], { cwd: dir });
    assert.is(bad.code, 1);
    assertNoStackTrace(bad);
  } finally {
    await cleanup();
  }
});

test('apply of spec paths over budget is refused before anything is sent', async () => {
  const { dir, cleanup } = await workspace('{ perSpec: 0.1 }');
  try {
    const refused = await runCli(['apply', '--yes'], {
      cwd: dir,
      env: { WASPEC_BASE_URL: 'http://127.0.0.1:9', WASPEC_APP_KEY: 'k', WASPEC_TOKEN: 't' },
    });
    assert.is(refused.code, 1);
    assert.match(refused.stderr, /spec promo would cost USD 0\.33, over its budget of USD 0\.10/);
    assert.match(refused.stderr, /specs\/promo\.yaml:1:7/);
  } finally {
    await cleanup();
  }
});

test.run();
