import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { maskPhone, maskPhonesIn } from '../../src/diagnostics/mask-phone.js';

test('a number is masked however it is written', () => {
  const cases: Array<[string, string]> = [
    ['call 41793026727 now', 'call 417****6727 now'],
    ['call +41793026727 now', 'call +417****6727 now'],
    ['call +41 79 302 67 27 now', 'call +417****6727 now'],
    ['call +41 (79) 302-67-28.', 'call +417****6728.'],
    ['call +41 (0)79 302 67 27', 'call +410****6727'],
    ['call 0041 79 302 67 27', 'call 00417****6727'],
    ['call +41.79.302.67.27', 'call +417****6727'],
    ['call 078 123 45 67, or', 'call 078****4567, or'],
    ['call (079) 302-67-27', 'call (079****6727'],
    ['call 079/302 67 27', 'call 079****6727'],
    ['+1 (555) 123-4567', '+155****4567'],
    ['+44\u00a07911\u00a0123456', '+447****3456'],
    ['078 123 45 67 079 765 43 21', '078****4567 079****4321'],
    ['on 06.12.2026 call 078 123 45 67', 'on 06.12.2026 call 078****4567'],
  ];
  for (const [text, masked] of cases) assert.is(maskPhonesIn(text), masked, text);
});

test('ordinary numbers are left alone', () => {
  for (const text of [
    'on 2026-12-06 at 10:30',
    'on 06.12.2026 10:30',
    'on 06/12/2026',
    'for CHF 19.90 or 1299.00',
    'order #12345, 3 items, 0.50 off',
    'parcel 1234567 in 2 days',
    'version 1.2.3.4, 192.168.100.200',
    '+41 79',
    'card 1234 5678 9012 3456',
    'a 16-digit id 1234567890123456',
  ])
    assert.is(maskPhonesIn(text), text, text);
});

test('maskPhone keeps the first 3 and last 4 digits', () => {
  assert.is(maskPhone('41793026727'), '417****6727');
  assert.is(maskPhone('12345'), '***45');
});

test('long texts of digits and separators are masked in one pass (no backtracking)', () => {
  const text = `${'0 '.repeat(50_000)}${'+1 '.repeat(50_000)}${'9'.repeat(100_000)}`;
  const masked = maskPhonesIn(text);
  assert.ok(masked.length > 0 && !/\d{16}/.test(masked.slice(0, 200_000)));
});

test.run();
