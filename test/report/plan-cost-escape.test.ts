import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PlanCost } from '../../src/plan/types.js';
import { costHeadline, costRows } from '../../src/report/plan-cost.js';
import { breakerPlanLine } from '../../src/report/breaker-trip.js';
import type { BreakerTrip } from '../../src/state/types.js';

// A saved plan (an artifact) may carry any text in its cost: none reaches a terminal raw.
const RAW = /[\u001b\u009b\u202e]/;

test('a saved plan cost with control and bidi characters is shown escaped', () => {
  const cost = {
    currency: 'US\u001b]8;;http://x\u0007D',
    rates: { file: 'rates\u202e.yaml', effective: '2026\u001b[2J', source: 's' },
    total: { messages: 1, amount: '0.05' },
    byCategory: [{ category: 'marketing', messages: 1, amount: '0.05' }],
    byCountry: [],
    bySpec: [{ spec: 'promo\u001b[31m', messages: 1, amount: '0.05' }],
    uncategorised: ['tpl\u009b1m'],
  } as unknown as PlanCost;
  const text = [costHeadline(cost), ...costRows(cost).flatMap((r) => [r.label, r.value])].join(
    '\n',
  );
  assert.not.match(text, RAW, text);
  assert.match(text, /Estimated cost: US/);
});

test("a breaker trip's time from a saved plan or the state is shown escaped", () => {
  const trip = {
    at: '2026-01-01\u001b[2J',
    cause: 'rejected',
    share: 0.3,
    threshold: 0.2,
    answers: 200,
    reasons: [{ reason: 'BAD\u202e', count: 3 }],
  } as unknown as BreakerTrip;
  assert.not.match(breakerPlanLine(trip), RAW);
});

test.run();
