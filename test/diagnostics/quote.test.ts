import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { quoteInput, redactSecrets } from '../../src/diagnostics/quote.js';

const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';

test('credentials are redacted in every usual form', () => {
  const cases: Array<[string, string]> = [
    ['extraheader = AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hz', 'eC1hY2Nlc3'],
    ['Authorization: Bearer abc.def-ghi', 'abc.def'],
    ['WASPEC_TOKEN=s3cr3t-value', 's3cr3t'],
    ['{"password": "hunter2"}', 'hunter2'],
    ['api_key: 12345abc', '12345abc'],
    ['https://user:pa55@example.com/x', 'pa55'],
    [`see ${TOKEN} here`, TOKEN.slice(4)],
    ['blob 4fJ9kQ2xLm8PzR7tVb3NcW1yHs6DgA5e end', '4fJ9kQ2x'],
  ];
  for (const [text, secret] of cases) {
    const out = redactSecrets(text);
    assert.not.ok(out.includes(secret), `${text} -> ${out}`);
    assert.match(out, /\[redacted\]/);
  }
});

test('ordinary text is left alone', () => {
  for (const text of [
    "'token' looks like a secret; secrets are never read from the config file",
    'set WASPEC_TOKEN or WASPEC_APP_SECRET in the environment',
    'order 2026-12-06 costs 19.90, customer_loyalty_points_2026',
    'a basic message',
    'tokenUrl: https://auth.example/token',
  ])
    assert.is(redactSecrets(text), text);
});

test('a quote is cut to 40 characters, after redaction', () => {
  const quoted = quoteInput(`password=${'x'.repeat(100)} and more text`);
  assert.ok(quoted.length <= 40, quoted);
  assert.not.match(quoted, /xxxx/);
  assert.is(quoteInput('a'.repeat(100)), `${'a'.repeat(39)}…`);
  assert.is(quoteInput('line one\nline two'), 'line one⏎line two');
});

test.run();
