import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyStatus, type StatusClass } from '../../src/api/status-groups.js';

const table: Array<[number, StatusClass]> = [
  [0, 'accepted'], // OK
  [1, 'accepted'], // PENDING: the normal answer to a send
  [2, 'rejected'], // UNDELIVERABLE
  [3, 'accepted'], // DELIVERED
  [4, 'rejected'], // EXPIRED
  [5, 'rejected'], // REJECTED
  [6, 'unknown'], // not documented: never guessed
  [-1, 'unknown'],
];

for (const [groupId, expected] of table) {
  test(`status group ${groupId} is ${expected}`, () => {
    assert.is(classifyStatus({ groupId }), expected);
  });
}

test.run();
