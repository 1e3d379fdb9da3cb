import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { emptyApplyResult } from '../../src/plan/apply-result.js';
import { formatApplySummary } from '../../src/report/apply-summary.js';

test('one request is "(1 request)", more are plural', () => {
  const one = { ...emptyApplyResult(1), requests: 1 };
  one.messages.accepted = 1;
  assert.match(formatApplySummary(one), /1 accepted, 0 rejected, 0 failed, 0 in doubt \(1 request\)\./);
  assert.match(formatApplySummary({ ...one, requests: 2 }), /\(2 requests\)\./);
});

test.run();
