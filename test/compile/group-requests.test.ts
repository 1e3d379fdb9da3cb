import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  bodyText,
  createBodyTextGrouper,
  type TextGroup,
  createRequestGrouper,
  groupRequests,
} from '../../src/compile/group-requests.js';
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

test('the text grouper gives the very JSON of the object grouper, in the same order', () => {
  // A small deterministic generator: contents repeat, interleave and overflow the pending groups.
  let seed = 7;
  const next = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  for (const [batchSize, maxPending] of [
    [1, 10],
    [3, 4],
    [100, 10],
    [5, 10_000],
  ] as const) {
    const messages = Array.from({ length: 600 }, (_, i) => {
      const kind = next(4);
      const content =
        kind === 0
          ? { whatsApp: { text: `shared ${next(3)} "quoted" \u2028` } }
          : kind === 1
            ? { whatsApp: { text: `unique ${i}` }, sendAt: '2030-01-01T00:00:00Z' }
            : kind === 2
              ? {
                  whatsApp: { templateName: 't', templateData: ['a', `${next(5)}`] },
                  scenarioKey: 'k',
                }
              : {
                  whatsApp: { text: `both ${next(2)}` },
                  sendAt: '2030-01-01T00:00:00Z',
                  scenarioKey: 'k',
                };
      return { ...message(i, ''), content, contentKey: JSON.stringify(content) };
    });
    const objects = createRequestGrouper(batchSize, maxPending);
    const texts = createBodyTextGrouper(batchSize, maxPending);
    const expected: string[] = [];
    const actual: string[] = [];
    for (const m of messages) {
      const ready: RequestBody[] = [];
      objects.add(m, ready);
      expected.push(...ready.map((b) => JSON.stringify(b)));
      const closed: TextGroup[] = [];
      texts.add(m, closed);
      actual.push(...closed.map(bodyText));
      assert.equal(actual.length, expected.length);
    }
    expected.push(...objects.finish().map((b) => JSON.stringify(b)));
    actual.push(...texts.finish().map(bodyText));
    assert.equal(actual, expected, `batch size ${batchSize}, ${maxPending} pending`);
  }
});

test.run();
