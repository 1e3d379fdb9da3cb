// The policy's categories (suppressed, capped, quiet hours, moved sendAt) in every plan format.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import type { Policy } from '../../src/config/policy.js';
import { applyPolicies } from '../../src/plan/policy/apply-policies.js';
import { privatePlan, readSavedPlan, writeSavedPlan } from '../../src/plan/saved-plan.js';
import { summarizeEntries } from '../../src/plan/summarize-plan.js';
import type { Plan } from '../../src/plan/types.js';
import { formatPlan } from '../../src/report/plan-format.js';
import { openFileStateStore } from '../../src/state/file-state.js';
import { buildFixturePlan, FIXTURE_NOW } from '../plan/fixture-plan.js';
import { withTmpDir } from '../state/tmp-dir.js';
import { maskPlan } from '../../src/plan/plan-json.js';

async function policyPlan(dir: string, policy: Policy): Promise<Plan> {
  const plan = await buildFixturePlan(dir);
  applyPolicies(plan.entries, {
    policy,
    suppressed: new Map([
      ['41780000001', { source: 'stop.csv', reason: 'replied STOP' }],
      ['41780000002', { source: 'stop.csv', reason: 'x\u001b[2J\u202e' }],
    ]),
    specs: new Map(),
    state: await openFileStateStore(dir).read(),
    contents: plan.contents,
    now: FIXTURE_NOW,
  });
  return { ...plan, summary: summarizeEntries(plan.entries) };
}

const HOLD: Policy = {
  quietHours: { from: '11:00', to: '14:00', mode: 'hold' },
  maxPerRecipient: { count: 1, per: '30d', perMs: 30 * 86_400_000 },
};

test('held categories in pretty, markdown, json (schema-valid) and html', () =>
  withTmpDir(async (dir) => {
    const plan = await policyPlan(dir, HOLD);
    assert.equal(
      [...plan.entries].flatMap((e) =>
        'hold' in e ? [`${e.spec} ${e.phoneNumber} ${e.action} ${e.hold.was}`] : [],
      ),
      [
        'black-friday 41793026727 capped send',
        'black-friday 447910000000 capped retry',
        'black-friday 41780000001 suppressed send',
        'black-friday 41780000002 suppressed send',
        'store-hello 41780000004 quiet-hours send',
        'store-hello 4915112345678 quiet-hours send',
      ],
    );
    const pretty = formatPlan(plan, { format: 'pretty' });
    assert.match(
      pretty,
      'Plan: 0 to send, 1 unchanged, 1 drift, 1 rejected, 1 in doubt, 1 orphan, 2 suppressed, 2 capped, 2 in quiet hours',
    );
    assert.match(pretty, '⊘ suppressed · 2 recipients · on the suppression list: never sent');
    // The reason is the list's text: shown, never interpreted.
    assert.match(pretty, 'to 41780000001 (replied STOP), 41780000002 (x\\e[2J\\u{202E})');
    assert.match(pretty, '⏸ capped · 2 recipients');
    assert.match(pretty, 'to 41793026727 (at most 1 per 30d; 1 already received)');
    assert.match(
      pretty,
      "⏸ quiet hours · 2 recipients · 2 distinct messages · in the recipient's quiet hours: held back, sent by a later apply outside them",
    );
    assert.match(
      pretty,
      'to 41780000004 (quiet hours 11:00–14:00 in Europe/Zurich), 4915112345678 (quiet hours 11:00–14:00 in Europe/Berlin)',
    );
    const markdown = formatPlan(plan, { format: 'markdown' });
    assert.match(markdown, '| black-friday | 0 | 0 | 2 | 2 | 0 |');
    assert.match(markdown, '**⊘ suppressed** to 2 recipients: on the suppression list: never sent');
    assert.match(markdown, '**⏸ quiet hours** to 2 recipients (2 distinct messages)');
    assert.match(markdown, '`417****0001` (replied STOP)');
    const html = formatPlan(plan, { format: 'html' });
    assert.match(html, '2 suppressed');
    assert.not.match(html, '\u001b');
    assert.match(html, '2 capped');
    assert.match(html, '2 in quiet hours');
    await writeSavedPlan(join(dir, 'plan.json'), plan);
    assert.equal(
      await readSavedPlan(join(dir, 'plan.json')),
      maskPlan(privatePlan(plan)),
      'saved with numbers masked, without contents',
    );
  }));

test('a sendAt moved out of quiet hours shows in pretty, markdown, json and html', () =>
  withTmpDir(async (dir) => {
    const plan = await policyPlan(dir, {
      quietHours: { from: '11:00', to: '14:00', mode: 'shift' },
    });
    const moved = [...plan.entries].flatMap((e) =>
      'shift' in e && e.shift ? [`${e.phoneNumber} ${e.action} ${e.shift.sendAt}`] : [],
    );
    assert.equal(moved, [
      '41780000004 send 2026-02-01T13:00:00Z',
      '4915112345678 send 2026-02-01T13:00:00Z',
    ]);
    assert.match(
      formatPlan(plan, { format: 'pretty' }),
      'sendAt now │ 2026-02-01T13:00:00Z (moved out of quiet hours 11:00–14:00)',
    );
    assert.match(
      formatPlan(plan, { format: 'markdown' }),
      'sendAt moved to 2026-02-01T13:00:00Z (moved out of quiet hours 11:00–14:00)',
    );
    assert.match(formatPlan(plan, { format: 'html' }), '1 moved out of quiet hours');
    await writeSavedPlan(join(dir, 'plan.json'), plan);
    assert.equal(
      (await readSavedPlan(join(dir, 'plan.json'))).entries.filter((e) => 'shift' in e && e.shift)
        .length,
      2,
    );
  }));

test('a shift read from a saved plan reaches the terminal with its control characters shown escaped', () =>
  withTmpDir(async (dir) => {
    const plan = await policyPlan(dir, {
      quietHours: { from: '11:00', to: '14:00', mode: 'shift' },
    });
    // Entries of a plan buildPlan made are copies when read: edited here as an array.
    plan.entries = [...plan.entries];
    for (const e of plan.entries)
      if ('shift' in e && e.shift)
        e.shift = { sendAt: '2026-02-01T13:00:00Z\u001b[2J', reason: 'moved\r\u202Eout' };
    const pretty = formatPlan(plan, { format: 'pretty' });
    assert.not.match(pretty, /[\u001b\r\u202e]/);
    assert.match(pretty, 'sendAt now │ 2026-02-01T13:00:00Z\\e[2J (moved\\r\\u{202E}out)');
  }));

test.run();
