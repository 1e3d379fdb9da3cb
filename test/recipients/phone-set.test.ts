import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PhoneSet } from '../../src/recipients/phone-set.js';

test('add reports whether a number was new, as a Set of strings would, across growth', () => {
  const set = new PhoneSet();
  const reference = new Set<string>();
  // Numbers that differ only in their last digits, only in their first ones, and repeats.
  const numbers: string[] = [];
  for (let i = 0; i < 20_000; i++) numbers.push(`4179${String(i).padStart(7, '0')}`);
  for (let i = 0; i < 5_000; i++) numbers.push(`${1 + (i % 997)}${'5'.repeat(9)}`);
  for (let i = 0; i < 3_000; i++) numbers.push(numbers[(i * 7919) % numbers.length] ?? '');
  numbers.push('999999999999999', '1000000');
  for (const n of numbers) {
    assert.is(set.add(n), !reference.has(n), n);
    reference.add(n);
  }
  assert.is(set.size, reference.size);
});

test('a number that is not international digits is refused rather than mistaken for another', () => {
  const set = new PhoneSet();
  for (const bad of ['', '0', 'abc', '+41793026727x', '1e5', '99999999999999999999'])
    assert.throws(() => set.add(bad), RangeError, bad);
});

test('addWith keeps the tags of the first add and gives them back for a repeat, across growth', () => {
  const set = new PhoneSet();
  for (let i = 0; i < 10_000; i++)
    assert.is(
      set.addWith(`4179${String(i).padStart(7, '0')}`, i * 2 ** 33 + 7, i >>> 0),
      undefined,
    );
  for (let i = 0; i < 10_000; i += 997)
    assert.equal(set.addWith(`4179${String(i).padStart(7, '0')}`, 1, 2), {
      where: i * 2 ** 33 + 7,
      hash: i,
    });
  assert.equal(set.addTagged('41790000005', { where: 0, hash: 0 }), {
    where: 5 * 2 ** 33 + 7,
    hash: 5,
  });
  assert.is(set.size, 10_000);
});

test.run();
