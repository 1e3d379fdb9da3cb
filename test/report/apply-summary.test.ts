import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { emptyApplyResult } from '../../src/apply/apply-result.js';
import { formatApplyJson, formatApplySummary } from '../../src/report/apply-summary.js';

test('one request is "(1 request)", more are plural', () => {
  const one = { ...emptyApplyResult(1), requests: 1 };
  one.messages.accepted = 1;
  assert.match(
    formatApplySummary(one),
    /1 accepted, 0 rejected, 0 failed, 0 in doubt \(1 request\)\./,
  );
  assert.match(formatApplySummary({ ...one, requests: 2 }), /\(2 requests\)\./);
});

test('failed messages are listed by masked number with a one-line reason, the first 10 then a count', () => {
  const result = { ...emptyApplyResult(12), requests: 2 };
  result.messages.failed = 12;
  const numbers = Array.from({ length: 11 }, (_, i) => `417****${String(1000 + i)}`);
  result.failures = [
    {
      bulkId: 'b'.repeat(32),
      messages: 1,
      numbers: ['155****8467'],
      reason: 'HTTP 400: bad\u001b[2Jvalue\nnext',
    },
    { bulkId: 'c'.repeat(32), messages: 11, numbers, reason: 'HTTP 500' },
  ];
  const text = formatApplySummary(result);
  assert.match(text, / {2}✗ 155\*\*\*\*8467: HTTP 400: bad\\e\[2Jvalue\\nnext\n/);
  assert.match(text, / {2}✗ 417\*\*\*\*1008: HTTP 500\n/);
  assert.not.match(text, /1009/);
  assert.match(text, / {2}… and 2 more\n/);
  assert.not.match(text, /\u001b|bbbbbbbb/);
});

test('an unknown status and an authentication failure (API answer text) are shown escaped', () => {
  const result = { ...emptyApplyResult(1), requests: 1 };
  result.messages.inDoubt = 1;
  result.unknownStatuses = [
    { groupId: 9, groupName: 'NEW\u001b[2J', id: 99, name: 'ODD\u202e', description: 'line\nnext' },
  ];
  result.authFailure = 'HTTP 401: no\u001b]8;;x\u0007';
  const text = formatApplySummary(result);
  assert.match(
    text,
    / {2}\? unknown status group 9 NEW\\e\[2J \/ 99 ODD\\u\{202E\}: line\\nnext \(left in doubt\)\n/,
  );
  assert.match(text, /Authentication failed: HTTP 401: no\\e\]8;;x\\u\{0007\}\n/);
  assert.not.match(text, /[\u0007\u001b\u202e]/u);
});

test('apply --format json: API answer text keeps bidi and C1 characters as \\u escapes, and stays JSON', () => {
  const result = { ...emptyApplyResult(1), requests: 1 };
  result.messages.failed = 1;
  result.failures = [
    { bulkId: 'b1', messages: 1, numbers: ['155****8467'], reason: 'HTTP 400: \u202eevil\u0085' },
  ];
  const text = formatApplyJson(result);
  assert.not.match(text, /[\u0080-\u009f\u202a-\u202e]/);
  assert.match(text, /\\u202e/);
  assert.is((JSON.parse(text) as typeof result).failures[0]?.reason, 'HTTP 400: \u202eevil\u0085');
});

test('rejected and answered-in-doubt messages are named by masked number and spec with failed ones; all count', () => {
  const result = { ...emptyApplyResult(25), requests: 3 };
  result.messages.rejected = 20;
  result.messages.failed = 1;
  result.messages.accepted = 4;
  result.answeredProblems = Array.from({ length: 10 }, (_, i) => ({
    outcome: 'rejected' as const,
    number: `417****${String(2000 + i)}`,
    spec: 'promo',
    reason: 'REJECTED_DESTINATION: bad number',
  }));
  result.failures = [
    {
      bulkId: 'd'.repeat(32),
      messages: 1,
      numbers: ['417****3000'],
      specs: ['news'],
      reason: 'HTTP 500',
    },
  ];
  const text = formatApplySummary(result);
  assert.match(
    text,
    /Rejected, failed or in doubt:\n {2}✗ 417\*\*\*\*2000 \(promo\): rejected: REJECTED_DESTINATION: bad number\n/,
  );
  assert.is(text.split('✗').length - 1, 10);
  assert.not.match(text, /3000/);
  assert.match(text, / {2}… and 11 more\n/);
});

test.run();
