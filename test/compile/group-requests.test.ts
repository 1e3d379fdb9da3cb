import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { groupRequests } from '../../src/compile/group-requests.js';
import { contentHashOf, messageIdFor } from '../../src/api/identity.js';
import type { CompiledMessage } from '../../src/compile/types.js';
import type { RequestBody } from '../../src/api/types.js';

function message(i: number, text: string): CompiledMessage {
  const content = { whatsApp: { text } };
  const phoneNumber = `4179100${String(i).padStart(4, '0')}`;
  return {
    spec: 's',
    revision: 1,
    messageId: messageIdFor('s', 1, phoneNumber),
    phoneNumber,
    contentHash: contentHashOf(content),
    contentKey: JSON.stringify(content),
    content,
    origin: { file: 'x', line: i, column: 0 },
  };
}

async function collect(
  messages: CompiledMessage[],
  batchSize: number,
  maxPending?: number,
): Promise<RequestBody[]> {
  const out: RequestBody[] = [];
  async function* source() {
    yield* messages;
  }
  for await (const body of groupRequests(source(), batchSize, maxPending)) out.push(body);
  return out;
}

test('identical content shares requests up to the batch size; others get their own', async () => {
  const messages = [
    ...Array.from({ length: 5 }, (_, i) => message(i, 'same')),
    message(5, 'other'),
  ];
  const bodies = await collect(messages, 2);
  assert.equal(
    bodies.map((b) => [b.whatsApp.text, b.destinations.length]),
    [
      ['same', 2],
      ['same', 2],
      ['same', 1],
      ['other', 1],
    ],
  );
  for (const body of bodies) assert.match(body.bulkId, /^[0-9A-F]{64}$/);
});

test('with too many groups waiting, one-off contents are sent early; the result is deterministic', async () => {
  const messages = Array.from({ length: 200 }, (_, i) =>
    message(i, i % 2 === 0 ? 'shared' : `unique ${i}`),
  );
  const first = await collect(messages, 100, 10);
  const second = await collect(messages, 100, 10);
  assert.equal(first, second);
  const all = first.flatMap((b) => b.destinations.map((d) => d.messageId)).sort();
  assert.equal(all, messages.map((m) => m.messageId).sort(), 'every message once');
  const shared = first.filter((b) => b.whatsApp.text === 'shared');
  assert.ok(shared.length <= 3, `the shared content stays grouped (${shared.length} requests)`);
});

test.run();
