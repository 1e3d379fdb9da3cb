import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Breaker } from '../../src/apply/breaker.js';
import type { RequestOutcome } from '../../src/apply/apply-result.js';
import { DEFAULT_BREAKER } from '../../src/config/policy.js';
import { REJECTED_DESTINATION, PENDING_ACCEPTED } from '../../src/emulator/statuses.js';

let id = 0;
const answered = (
  accepted: number,
  rejected: number,
  status = REJECTED_DESTINATION,
): RequestOutcome => ({
  kind: 'answered',
  bulkId: 'b',
  messages: [
    ...Array.from({ length: accepted }, () => ({
      messageId: `m${id++}`,
      outcome: 'accepted' as const,
      status: PENDING_ACCEPTED,
    })),
    ...Array.from({ length: rejected }, () => ({
      messageId: `m${id++}`,
      outcome: 'rejected' as const,
      status,
    })),
  ],
});
const failed = (messages: number, reason = 'HTTP 503 after 5 attempts'): RequestOutcome => ({
  kind: 'failed',
  bulkId: 'b',
  messages,
  numbers: [],
  reason,
});
const settings = { ...DEFAULT_BREAKER, window: 100, minAnswers: 20 };
const at = () => '2026-12-06T23:00:00.000Z';

test('trips when the rejected share over the window goes over the threshold, naming the top reasons', () => {
  const breaker = new Breaker(settings, at);
  assert.is(breaker.add(answered(8, 2)), undefined, 'fewer than minAnswers: no judgement');
  assert.is(breaker.add(answered(8, 2)), undefined, '20% is not over 20%');
  const other = { ...REJECTED_DESTINATION, name: 'REJECTED_OTHER', description: 'x\u001b[31m' };
  const trip = breaker.add(answered(0, 2, other));
  assert.equal(trip, {
    at: '2026-12-06T23:00:00.000Z',
    cause: 'rejected',
    share: 6 / 22,
    threshold: 0.2,
    answers: 22,
    reasons: [
      { reason: `REJECTED_DESTINATION: ${REJECTED_DESTINATION.description}`, count: 4 },
      { reason: 'REJECTED_OTHER: x [31m', count: 2 },
    ],
  });
  assert.is(breaker.trip, trip);
  assert.is(breaker.add(answered(0, 50)), undefined, 'it trips once');
});

test('a sliding window: old rejections leave it, so a healthy stretch keeps a bad start from tripping later', () => {
  const breaker = new Breaker({ ...settings, maxRejectedShare: 0.5 }, at);
  assert.is(breaker.add(answered(10, 10)), undefined, '50% is not over 50%');
  for (let i = 0; i < 20; i++) assert.is(breaker.add(answered(10, 0)), undefined);
  // The window of 100 now holds only accepted answers: 51 rejected of 100 trips it.
  assert.is(breaker.add(answered(49, 0)), undefined);
  const trip = breaker.add(answered(0, 51));
  assert.is(trip?.answers, 100);
  assert.is(trip?.share, 0.51);
});

test('failed requests count each message as failed; in-doubt messages are no answer', () => {
  const breaker = new Breaker(settings, at);
  const inDoubt: RequestOutcome = {
    kind: 'in-doubt',
    bulkId: 'b',
    messages: 50,
    numbers: [],
    reason: 'timeout',
  };
  assert.is(breaker.add(inDoubt), undefined);
  assert.is(breaker.add(answered(16, 0)), undefined);
  const trip = breaker.add(failed(5));
  assert.equal(
    [trip?.cause, trip?.answers, trip?.reasons],
    ['failed', 21, [{ reason: 'HTTP 503 after 5 attempts', count: 5 }]],
  );
});

test('a healthy run never trips', () => {
  const breaker = new Breaker(DEFAULT_BREAKER, at);
  for (let i = 0; i < 1000; i++)
    assert.is(breaker.add(answered(9, i % 10 === 0 ? 1 : 0)), undefined);
  assert.is(breaker.trip, undefined);
});

test.run();
