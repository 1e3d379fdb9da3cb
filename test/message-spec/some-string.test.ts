import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { someString, stringsOf } from '../../src/message-spec/check-characters.js';

const hasE = (text: string) => text.includes('e');

test('someString answers as stringsOf(value).some(test) does, at any depth', () => {
  const values: unknown[] = [
    'hello',
    'xyz',
    42,
    null,
    undefined,
    [],
    {},
    ['a', ['b', ['c', 'e']]],
    { text: 'Hi' },
    { a: { b: { c: 'three' } } },
    { a: [1, { b: 'x' }, null], c: 'y' },
    { header: { type: 'TEXT', text: 'no' }, buttons: [{ title: 'yes' }] },
  ];
  for (const value of values)
    assert.is(someString(value, hasE), stringsOf(value).some(hasE), JSON.stringify(value));
});

test('someString stops at the first string that passes', () => {
  const seen: string[] = [];
  const found = someString({ a: 'x', b: ['ye', 'z'], c: 'e' }, (text) => {
    seen.push(text);
    return hasE(text);
  });
  assert.ok(found);
  assert.equal(seen, ['x', 'ye']);
});

test('someString reads own properties only', () => {
  const inherited = Object.create({ text: 'hidden e' }) as Record<string, unknown>;
  inherited.own = 'abc';
  assert.is(someString(inherited, hasE), false);
  assert.is(stringsOf(inherited).some(hasE), false);
});

test.run();
