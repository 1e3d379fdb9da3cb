// The messaging limit through buildPlan on real spec files and a state of recent sends.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { messageIdFor } from '../../../src/api/identity.js';
import { buildPlan } from '../../../src/plan/build-plan.js';
import type { Plan, PlanEntry } from '../../../src/plan/types.js';
import type { Policy } from '../../../src/config/policy.js';
import { openFileStateStore } from '../../../src/state/file-state.js';
import type { JournalRecord } from '../../../src/state/types.js';
import { formatPlanPretty } from '../../../src/report/plan-pretty.js';
import { makeWorkspace } from '../../helpers/cli.js';
import { inFlight, outcome } from '../../state/records.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const phone = (prefix: string, i: number) => `${prefix}${String(i).padStart(4, '0')}`;
const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

// The state: 100 recipients in the last 24 hours (50 at 20 h ago, 50 at 2 h ago), 10 more 30 h ago.
const RECENT = range(100, (i) => phone('4177000', i));
const OLD = range(10, (i) => phone('4176000', i));
function sent(numbers: string[], at: string, bulk: string, from = 'old'): JournalRecord[] {
  const refs = numbers.map((p) => ({
    messageId: messageIdFor(from, 1, p),
    spec: from,
    phoneNumber: p,
    contentHash: 'c',
  }));
  // Journal v4, as apply writes it now: masked numbers and messageIds, no full number.
  const record = inFlight(bulk, at, refs);
  if (record.type !== 'in-flight') throw new Error('not in flight');
  const v4: JournalRecord = {
    ...record,
    v: 4,
    messages: record.messages.map(({ phoneNumber: _, ...m }) => m),
  };
  return [
    v4,
    outcome(
      bulk,
      at,
      refs.map((r) => ({ messageId: r.messageId, outcome: 'accepted' as const })),
    ),
  ];
}
const RECORDS = [
  ...sent(RECENT.slice(0, 50), '2026-02-28T16:00:00.000Z', 'B1'),
  ...sent(RECENT.slice(50), '2026-03-01T10:00:00.000Z', 'B2'),
  ...sent(OLD, '2026-02-28T06:00:00.000Z', 'B0'),
];

// 400 recipients: vip (priority 1) 150 new ones; promo 250, of which 20 were reached 2 h ago.
const VIP = range(150, (i) => phone('4178100', i));
const PROMO = [...RECENT.slice(80), ...range(230, (i) => phone('4179100', i))];
function spec(name: string, phones: string[], extra = ''): Record<string, string> {
  const recipients = phones.map((p) => `  - { phoneNumber: "${p}" }`).join('\n');
  return {
    [`specs/${name}.yaml`]: `name: ${name}\nrevision: 1\n${extra}whatsApp:\n  text: "Hello from ${name}"\nrecipients:\n${recipients}\n`,
  };
}

async function planWith(policy: Policy): Promise<Plan> {
  const { dir, cleanup } = await makeWorkspace({
    ...spec('vip', VIP, 'priority: 1\n'),
    ...spec('promo', PROMO),
  });
  try {
    const store = openFileStateStore(join(dir, '.waspec'));
    await store.append(RECORDS);
    return await buildPlan({
      paths: [join(dir, 'specs')],
      store,
      policy,
      now: NOW,
      rateLimit: 4,
    });
  } finally {
    await cleanup();
  }
}

const when = (e: PlanEntry) =>
  'hold' in e
    ? /can go from (\S+)$/.exec(e.hold.reason)?.[1]
    : e.action === 'send'
      ? e.shift?.sendAt
      : undefined;

test('limit 250, 400 recipients, 100 reached in the last 24 h: 150 new places, by priority; the rest held until a place frees', async () => {
  const plan = await planWith({ messagingLimit: 250 });
  // vip (higher priority) takes the 150 free places; promo's 20 already reached take none.
  assert.is(plan.entries.filter((e) => e.spec === 'vip' && e.action === 'send').length, 150);
  const promo = plan.entries.filter((e) => e.spec === 'promo');
  const reached = new Set(RECENT);
  assert.ok(promo.filter((e) => reached.has(e.phoneNumber)).every((e) => e.action === 'send'));
  const held = promo.filter((e) => e.action === 'limit');
  assert.is(held.length, 230);
  assert.is(plan.summary.send, 170);
  assert.is(plan.summary.limit, 230);
  assert.equal(plan.messagingLimit, {
    limit: 250,
    recent: 100,
    admitted: 150,
    over: 230,
    mode: 'hold',
    nextAt: '2026-03-01T16:00:00.000Z',
  });
  // Places free as the window's recipients leave it: 50 at 16:00 (sent 20 h ago), 50 at 10:00
  // tomorrow (sent 2 h ago), then those sent now at 12:00 tomorrow.
  const times = held.map(when);
  assert.equal(
    [times.slice(0, 50), times.slice(50, 100), times.slice(100)].map((t) => [...new Set(t)]),
    [['2026-03-01T16:00:00.000Z'], ['2026-03-02T10:00:00.000Z'], ['2026-03-02T12:00:00.000Z']],
  );
  assert.match(
    held[0] && 'hold' in held[0] ? held[0].hold.reason : '',
    /^messaging limit of 250 unique recipients per 24 h: 100 reached in the last 24 h, 150 more admitted first; can go from/,
  );
  // 170 messages in 2 specs' batches of 100: 2 requests for vip, 1 for promo, at 4 a second.
  assert.equal(plan.pace, { requests: 3, rateLimit: 4, seconds: 1 });
  const text = formatPlanPretty(plan, { color: false, mask: true });
  assert.match(text, /230 over the messaging limit/);
  assert.match(
    text,
    /Messaging limit: 100 \+ 150 of 250 unique recipients in 24 h; 230 over it held, the first from 2026-03-01T16:00:00.000Z/,
  );
});

test('overLimit: schedule sends the rest now with a sendAt in the wave that has room', async () => {
  const plan = await planWith({ messagingLimit: 250, overLimit: 'schedule' });
  assert.is(plan.summary.limit, 0);
  assert.is(plan.summary.send, 400);
  const promo = plan.entries.filter((e) => e.spec === 'promo' && when(e) !== undefined);
  assert.is(promo.length, 230);
  assert.equal(
    [...new Set(promo.map(when))],
    ['2026-03-01T16:00:00.000Z', '2026-03-02T10:00:00.000Z', '2026-03-02T12:00:00.000Z'],
  );
  // Scheduled waves are requests of their own: vip 2, promo now 1, its waves of 50, 50, 130: 1, 1, 2.
  assert.equal(plan.pace?.requests, 7);
});

test('the state keeps no numbers: a planned number reached by two specs counts once, others once per spec', async () => {
  const [a, b, c, d, e] = range(5, (i) => phone('4177500', i));
  const { dir, cleanup } = await makeWorkspace(spec('next', [a, b, c] as string[]));
  try {
    const store = openFileStateStore(join(dir, '.waspec'));
    // a (planned) and d (not planned) by two specs an hour ago, e by one.
    await store.append([
      ...sent([a, d, e] as string[], '2026-03-01T11:00:00.000Z', 'B1'),
      ...sent([a, d] as string[], '2026-03-01T11:00:00.000Z', 'B2', 'other'),
    ]);
    const journal = await readFile(join(dir, '.waspec', 'journal.ndjson'), 'utf8');
    assert.not.ok(journal.includes(a as string));
    const plan = await buildPlan({
      paths: [join(dir, 'specs')],
      store,
      policy: { messagingLimit: 5 },
      now: NOW,
    });
    // a once; d twice (nothing tells its two messages apart); e once: 4 of 5, so b goes and c waits.
    assert.is(plan.messagingLimit?.recent, 4);
    assert.is(plan.messagingLimit?.admitted, 1);
    assert.equal(
      plan.entries.filter((x) => x.spec === 'next').map((x) => [x.phoneNumber.slice(-1), x.action]),
      [
        ['0', 'send'],
        ['1', 'send'],
        ['2', 'limit'],
      ],
    );
  } finally {
    await cleanup();
  }
});

test('no limit in the policy: nothing held, no figures', async () => {
  const plan = await planWith({});
  assert.is(plan.summary.limit, 0);
  assert.is(plan.messagingLimit, undefined);
});

test.run();
