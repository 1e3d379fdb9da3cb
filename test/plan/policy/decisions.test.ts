import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FrequencyCap, QuietHours } from '../../../src/config/policy.js';
import { decideCaps } from '../../../src/plan/policy/cap-policy.js';
import { decideQuietHours, type OffsetOf } from '../../../src/plan/policy/quiet-hours-policy.js';
import { decideSize } from '../../../src/plan/policy/size-policy.js';
import { decideSuppression } from '../../../src/plan/policy/suppression-policy.js';
import { offsetOf, zonesOfPhoneNumber } from '../../../src/plan/policy/time-zones.js';

test('suppression: listed numbers are suppressed with their reason and date, others pass', () => {
  const list = new Map([
    ['41793026727', { source: 'a.csv', reason: 'replied STOP', date: '2026-01-02' }],
    ['447910000000', { source: 'a.csv' }],
  ]);
  const table: Array<[string, ReturnType<typeof decideSuppression>]> = [
    ['41793026727', { kind: 'suppressed', reason: 'replied STOP, 2026-01-02' }],
    ['447910000000', { kind: 'suppressed', reason: 'on the suppression list' }],
    ['41780000001', { kind: 'send' }],
  ];
  for (const [phone, expected] of table)
    assert.equal(decideSuppression(phone, list), expected, phone);
});

const cap = (count: number, scope?: string): FrequencyCap => ({
  count,
  per: '24h',
  perMs: 86_400_000,
  ...(scope ? { scope } : {}),
});

test('caps: room left goes by priority then name; the rest is capped with the rule', () => {
  const table: Array<{
    candidates: Array<{ spec: string; priority: number }>;
    received: number;
    cap: FrequencyCap;
    sent: string[];
  }> = [
    {
      candidates: [
        { spec: 'b', priority: 0 },
        { spec: 'a', priority: 0 },
      ],
      received: 0,
      cap: cap(1),
      sent: ['a'],
    },
    {
      candidates: [
        { spec: 'b', priority: 5 },
        { spec: 'a', priority: 0 },
      ],
      received: 0,
      cap: cap(1),
      sent: ['b'],
    },
    {
      candidates: [
        { spec: 'b', priority: 0 },
        { spec: 'a', priority: 0 },
        { spec: 'c', priority: -1 },
      ],
      received: 0,
      cap: cap(2),
      sent: ['b', 'a'],
    },
    { candidates: [{ spec: 'a', priority: 9 }], received: 1, cap: cap(1), sent: [] },
    {
      candidates: [
        { spec: 'a', priority: 0 },
        { spec: 'b', priority: 0 },
      ],
      received: 1,
      cap: cap(2),
      sent: ['a'],
    },
    { candidates: [{ spec: 'a', priority: 0 }], received: 3, cap: cap(2), sent: [] },
  ];
  for (const row of table) {
    const decisions = decideCaps(row.candidates, row.received, row.cap);
    assert.equal(
      row.candidates.filter((_, i) => decisions[i]?.kind === 'send').map((c) => c.spec),
      row.sent,
      JSON.stringify(row),
    );
  }
  const [, capped] = decideCaps(
    [
      { spec: 'b', priority: 0 },
      { spec: 'a', priority: 0 },
    ],
    0,
    cap(1, 'marketing'),
  );
  assert.equal(capped, { kind: 'send' });
  const [held] = decideCaps(
    [
      { spec: 'b', priority: 0 },
      { spec: 'a', priority: 0 },
    ],
    0,
    cap(1, 'marketing'),
  );
  assert.equal(held, { kind: 'capped', reason: 'at most 1 marketing per 24h; a takes precedence' });
  assert.equal(decideCaps([{ spec: 'a', priority: 0 }], 2, cap(1))[0], {
    kind: 'capped',
    reason: 'at most 1 per 24h; 2 already received',
  });
});

test('size: within the limit or approved with N at least the real number passes; else an error naming the number', () => {
  const table: Array<[number, number | undefined, number | undefined, string]> = [
    [10, undefined, undefined, 'ok'],
    [10, 10, undefined, 'ok'],
    [11, 10, undefined, 'spec a would send 11 messages, over its limit of 10'],
    [400_000, 10, 400_000, 'ok'],
    [400_000, 10, 500_000, 'ok'],
    [
      400_000,
      10,
      399_999,
      'spec a would send 400,000 messages, more than --allow-large 399,999 approves (limit 10)',
    ],
  ];
  for (const [actual, limit, allow, expected] of table) {
    const d = decideSize('spec a would send', actual, limit, allow);
    assert.is(
      d.kind === 'ok' ? 'ok' : d.message,
      expected,
      `${actual} ${String(limit)} ${String(allow)}`,
    );
    if (d.kind === 'too-large')
      assert.is(
        d.hint,
        `if ${actual.toLocaleString('en-US')} is intended, approve that size: --allow-large ${actual}`,
      );
  }
});

const quiet = (mode: 'hold' | 'shift', from = '21:00', to = '08:00'): QuietHours => ({
  from,
  to,
  mode,
});
/** Fixed offsets, so the table does not depend on daylight saving rules. */
const fixed: OffsetOf = (zone) =>
  ({ 'UTC+1': 60, 'UTC-5': -300, 'UTC-10': -600, 'UTC+12': 720 })[zone] ?? 0;

test('quiet hours: allowed, held or moved to the first minute allowed in every zone', () => {
  const table: Array<[string, string[], QuietHours, ReturnType<typeof decideQuietHours>]> = [
    ['2026-06-01T12:00:00Z', ['UTC+1'], quiet('hold'), { kind: 'allowed' }],
    [
      '2026-06-01T20:30:00Z',
      ['UTC+1'],
      quiet('hold'),
      { kind: 'hold', reason: 'quiet hours 21:00–08:00 in UTC+1' },
    ],
    [
      '2026-06-01T20:30:00Z',
      ['UTC+1'],
      quiet('shift'),
      {
        kind: 'shift',
        sendAt: '2026-06-02T07:00:00Z',
        reason: 'moved out of quiet hours 21:00–08:00',
      },
    ],
    // 06:59 local is quiet, 07:00 local is not (to is exclusive).
    [
      '2026-06-01T05:59:00Z',
      ['UTC+1'],
      quiet('hold'),
      { kind: 'hold', reason: 'quiet hours 21:00–08:00 in UTC+1' },
    ],
    ['2026-06-01T07:00:00Z', ['UTC+1'], quiet('hold'), { kind: 'allowed' }],
    // Fine in the east (UTC-5: 09:00) but night in the west (UTC-10: 04:00): held, or moved until the west wakes.
    [
      '2026-06-01T14:00:00Z',
      ['UTC-5', 'UTC-10'],
      quiet('hold'),
      { kind: 'hold', reason: 'quiet hours 21:00–08:00 in UTC-10' },
    ],
    [
      '2026-06-01T14:00:00Z',
      ['UTC-5', 'UTC-10'],
      quiet('shift'),
      {
        kind: 'shift',
        sendAt: '2026-06-01T18:00:00Z',
        reason: 'moved out of quiet hours 21:00–08:00',
      },
    ],
    // A daytime window (quiet 12:00–13:00) that does not wrap midnight.
    [
      '2026-06-01T10:30:00Z',
      ['UTC+1', 'UTC+12'],
      quiet('shift', '12:00', '13:00'),
      { kind: 'allowed' },
    ],
    [
      '2026-06-01T11:30:00Z',
      ['UTC+1', 'UTC+12'],
      quiet('shift', '12:00', '13:00'),
      {
        kind: 'shift',
        sendAt: '2026-06-01T12:00:00Z',
        reason: 'moved out of quiet hours 12:00–13:00',
      },
    ],
    // Zones 6 hours apart with 2 allowed hours a day: no minute suits both.
    [
      '2026-06-01T12:00:00Z',
      ['UTC-5', 'UTC+1'],
      quiet('shift', '10:00', '08:00'),
      {
        kind: 'hold',
        reason:
          "quiet hours 10:00–08:00: no time outside them in every zone of the number's country",
      },
    ],
    [
      '2026-06-01T12:00:00Z',
      [],
      quiet('shift'),
      { kind: 'hold', reason: 'quiet hours 21:00–08:00: no time zone known for this number' },
    ],
  ];
  for (const [at, zones, q, expected] of table)
    assert.equal(
      decideQuietHours(new Date(at), zones, q, fixed),
      expected,
      `${at} ${zones.join(',')} ${q.mode}`,
    );
});

test('time zones: a number gives its country and every zone of it; offsets follow daylight saving', () => {
  assert.equal(zonesOfPhoneNumber('41793026727'), { country: 'CH', zones: ['Europe/Zurich'] });
  const us = zonesOfPhoneNumber('12125550100');
  assert.is(us.country, 'US');
  assert.ok(us.zones.includes('America/New_York') && us.zones.includes('Pacific/Honolulu'));
  assert.is(zonesOfPhoneNumber('447910000000').country, 'GB');
  assert.is(offsetOf('Europe/Zurich', new Date('2026-01-15T12:00:00Z')), 60);
  assert.is(offsetOf('Europe/Zurich', new Date('2026-07-15T12:00:00Z')), 120);
  assert.is(offsetOf('America/New_York', new Date('2026-01-15T12:00:00Z')), -300);
  assert.is(offsetOf('Asia/Kolkata', new Date('2026-01-15T12:00:00Z')), 330);
});

test.run();
