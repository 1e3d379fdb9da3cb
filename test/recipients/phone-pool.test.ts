import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { identify } from '../../src/recipients/identify.js';
import {
  batchesDoneOffThread,
  identifyBatch,
  stopIdentifyWorker,
  warmUpIdentifyWorker,
} from '../../src/recipients/phone-pool.js';
import { join } from 'node:path';
import { messageIdFor } from '../../src/api/identity.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { resolveRecipients } from '../../src/recipients/resolve-recipients.js';
import { loadSpec } from '../../src/message-spec/load-spec.js';
import { makeWorkspace } from '../helpers/cli.js';

const numbers = Array.from({ length: 3000 }, (_, i) =>
  i % 7 === 3
    ? `+1 555 000 ${String(i).padStart(4, '0')}`
    : i % 11 === 5
      ? 'not a number'
      : `+41 79 ${String(3000000 + i).slice(0, 3)} ${String(i).padStart(4, '0')}`,
);

test('a large batch is identified off-thread exactly as in-thread, in input order', async () => {
  warmUpIdentifyWorker();
  const before = batchesDoneOffThread();
  const task = { numbers, spec: 'promo', revision: 3 };
  const [a, b] = await Promise.all([
    identifyBatch(task),
    identifyBatch({ ...task, numbers: numbers.slice().reverse() }),
  ]);
  assert.is(batchesDoneOffThread() - before, 2, 'both batches went to the worker');
  const expected = identify(task);
  assert.equal(a, expected);
  assert.equal(b.phoneNumbers, expected.phoneNumbers.slice().reverse());
  assert.ok(expected.phoneNumbers.includes(null), 'the batch holds invalid numbers');
  const i = expected.phoneNumbers.findIndex((n) => n !== null);
  assert.is(expected.messageIds[i], messageIdFor('promo', 3, expected.phoneNumbers[i] ?? ''));
});

test('a large batch with a defaultCountry: the worker reads national numbers of that country, as in-thread', async () => {
  warmUpIdentifyWorker();
  const national = Array.from(
    { length: 1000 },
    (_, i) => `079 ${String(3000000 + i).slice(1, 4)} ${String(i).padStart(4, '0')}`,
  );
  const before = batchesDoneOffThread();
  const task = { numbers: national, spec: 'promo', revision: 1, defaultCountry: 'CH' };
  const found = await identifyBatch(task);
  assert.is(batchesDoneOffThread() - before, 1, 'the batch went to the worker');
  assert.equal(found, identify(task));
  assert.is(found.phoneNumbers[0], '41790000000');
  assert.ok(found.phoneNumbers.every((n) => n !== null));
});

test('a large batch whose numbers hold line breaks or are empty is identified off-thread as in-thread', async () => {
  warmUpIdentifyWorker();
  const odd = numbers.map((n, i) => (i === 10 ? '+41 79 302\n67 27' : i === 11 ? '' : n));
  const before = batchesDoneOffThread();
  const task = { numbers: odd, spec: 'promo', revision: 2 };
  const found = await identifyBatch(task);
  assert.is(batchesDoneOffThread() - before, 1, 'the batch went to the worker');
  assert.equal(found, identify(task));
  assert.is(found.phoneNumbers.length, odd.length);
});

test('a small batch is identified in-thread', async () => {
  const before = batchesDoneOffThread();
  assert.equal(
    await identifyBatch({ numbers: ['+41 79 302 67 27', '007'], spec: 's', revision: 1 }),
    {
      phoneNumbers: ['41793026727', null],
      messageIds: [messageIdFor('s', 1, '41793026727'), null],
    },
  );
  assert.is(batchesDoneOffThread(), before);
});

test('a large CSV is identified off-thread with the same results, lines and warnings as in-thread', async () => {
  const rows = Array.from(
    { length: 4000 },
    (_, i) => `+41 79 ${String(3000000 + i).slice(1, 4)} ${String(i).padStart(4, '0')},Person ${i}`,
  );
  rows[1500] = 'not-a-number,Nobody';
  rows[2500] = rows[10] ?? '';
  const csv = `phoneNumber,name\n${rows.join('\n')}\n`;
  assert.ok(csv.length > 64 * 1024, 'large enough for the worker');
  const { dir, cleanup } = await makeWorkspace({
    'big.yaml':
      'name: big\nrevision: 2\nwhatsApp: { text: "hi {{name}}" }\nrecipients:\n  - file: big.csv\n',
    'big.csv': csv,
  });
  try {
    const { value: doc } = await loadSpec(join(dir, 'big.yaml'));
    assert.ok(doc);
    const before = batchesDoneOffThread();
    const diagnostics: Diagnostic[] = [];
    const recipients = [];
    for await (const r of resolveRecipients(doc, (d) => diagnostics.push(d))) recipients.push(r);
    assert.ok(batchesDoneOffThread() > before, 'the worker was used');
    assert.is(recipients.length, 3998);
    assert.equal(
      diagnostics.map((d) => [d.code, d.line]),
      [
        ['phone-invalid', 1501],
        ['phone-duplicate', 2501],
      ],
    );
    const expected = identify({
      numbers: rows.map((r) => r.split(',')[0] ?? ''),
      spec: 'big',
      revision: 2,
    });
    const valid = expected.phoneNumbers.flatMap((n, i) =>
      n === null || i === 2500 ? [] : [[n, expected.messageIds[i]]],
    );
    assert.equal(
      recipients.map((r) => [r.phoneNumber, r.messageId]),
      valid,
    );
    assert.is(recipients[3997]?.origin.line, 4000);
  } finally {
    await cleanup();
  }
});

// Last: it stops the worker for the rest of this file.
test('batches the worker did not answer before it stopped are done in-thread, none lost', async () => {
  warmUpIdentifyWorker();
  const before = batchesDoneOffThread();
  const task = { numbers, spec: 'promo', revision: 3 };
  const pending = identifyBatch(task);
  await stopIdentifyWorker();
  assert.equal(await pending, identify(task));
  assert.is(batchesDoneOffThread(), before, 'the worker answered nothing');
  assert.equal(await identifyBatch(task), identify(task), 'later batches run in-thread');
});

test.run();
