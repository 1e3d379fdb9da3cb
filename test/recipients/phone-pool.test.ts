import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { identify } from '../../src/recipients/identify.js';
import { batchesDoneOffThread, identifyBatch } from '../../src/recipients/phone-pool.js';
import { messageIdFor } from '../../src/compile/identity.js';

const numbers = Array.from({ length: 3000 }, (_, i) =>
  i % 7 === 3 ? `+1 555 000 ${String(i).padStart(4, '0')}` : i % 11 === 5 ? 'not a number' : `+41 79 ${String(3000000 + i).slice(0, 3)} ${String(i).padStart(4, '0')}`,
);

test('a large batch is identified off-thread exactly as in-thread, in input order', async () => {
  const before = batchesDoneOffThread();
  const task = { numbers, spec: 'promo', revision: 3 };
  const [a, b] = await Promise.all([identifyBatch(task), identifyBatch({ ...task, numbers: numbers.slice().reverse() })]);
  assert.is(batchesDoneOffThread() - before, 2, 'both batches went to the worker');
  const expected = identify(task);
  assert.equal(a, expected);
  assert.equal(b.phoneNumbers, expected.phoneNumbers.slice().reverse());
  assert.ok(expected.phoneNumbers.includes(null), 'the batch holds invalid numbers');
  const i = expected.phoneNumbers.findIndex((n) => n !== null);
  assert.is(expected.messageIds[i], messageIdFor('promo', 3, expected.phoneNumbers[i] ?? ''));
});

test('a small batch is identified in-thread', async () => {
  const before = batchesDoneOffThread();
  assert.equal(await identifyBatch({ numbers: ['+41 79 302 67 27', '007'], spec: 's', revision: 1 }), {
    phoneNumbers: ['41793026727', null],
    messageIds: [messageIdFor('s', 1, '41793026727'), null],
  });
  assert.is(batchesDoneOffThread(), before);
});

test.run();
