import { bulkIdFor } from '../api/identity.js';
import type { Destination, MessageContent, RequestBody } from '../api/types.js';
import { DEFAULT_BATCH_SIZE } from '../config/load-config.js';
import type { SpecDocument } from '../message-spec/types.js';
import type { CompiledMessage } from './types.js';
import { bodyTailOf } from './body-text.js';

export { bodyTailOf };

/** Groups waiting for more recipients at once; beyond it, groups that stopped growing are sent. */
const MAX_PENDING = 10_000;

/** What grouping reads of a message: compile's messages, or a plan's entries with their content. */
export type GroupableMessage = Pick<
  CompiledMessage,
  'spec' | 'contentKey' | 'content' | 'messageId' | 'phoneNumber'
>;

interface Pending {
  content: MessageContent;
  destinations: Destination[];
  /** When it last grew. */
  generation: number;
}

export function toRequestBody(content: MessageContent, destinations: Destination[]): RequestBody {
  const body: RequestBody = {
    bulkId: bulkIdFor(destinations.map((d) => d.messageId)),
    destinations,
    whatsApp: content.whatsApp,
  };
  if (content.scenarioKey !== undefined) body.scenarioKey = content.scenarioKey;
  if (content.sendAt !== undefined) body.sendAt = content.sendAt;
  return body;
}

/** Destinations per request of a spec: its own batchSize, else the config's (default 100). */
export function batchSizeOf(
  doc: Pick<SpecDocument, 'spec'>,
  configBatchSize = DEFAULT_BATCH_SIZE,
): number {
  return doc.spec.batchSize ?? configBatchSize;
}

/**
 * Groups messages with identical content into request bodies of up to `batchSize`
 * destinations, deterministically (same input order → same requests and bulkIds).
 */
export async function* groupRequests(
  messages: AsyncIterable<GroupableMessage | readonly GroupableMessage[]>,
  batchSize: number,
  maxPending = MAX_PENDING,
): AsyncIterable<RequestBody> {
  for await (const bodies of groupRequestBatches(messages, batchSize, maxPending)) yield* bodies;
}

/** groupRequests in batches: the bodies completed by each batch of messages, one await per batch. */
export async function* groupRequestBatches(
  messages: AsyncIterable<GroupableMessage | readonly GroupableMessage[]>,
  batchSize: number,
  maxPending = MAX_PENDING,
): AsyncIterable<RequestBody[]> {
  const grouper = createRequestGrouper(batchSize, maxPending);
  for await (const item of messages) {
    const ready: RequestBody[] = [];
    const batch: readonly GroupableMessage[] = Array.isArray(item)
      ? item
      : [item as GroupableMessage];
    for (const message of batch) grouper.add(message, ready);
    if (ready.length > 0) yield ready;
  }
  const rest = grouper.finish();
  if (rest.length > 0) yield rest;
}

/** What a grouping rule keeps of a group: how it grows, how big it is, what it turns into. */
interface GroupShape<G, M, T> {
  open(message: M): G;
  push(group: G, message: M): void;
  size(group: G): number;
  close(group: G): T;
}

/**
 * The one grouping rule, used by compile (messages as they stream) and apply (a plan's entries):
 * `add` pushes what the groups a message completes turn into onto `ready`, `finish` returns the
 * rest. `keyOf` names a message's group.
 */
function createGrouper<G extends { generation: number }, M, T>(
  batchSize: number,
  maxPending: number,
  keyOf: (message: M) => string,
  shape: GroupShape<G, M, T>,
): { add(message: M, ready: T[]): void; finish(): T[] } {
  const pending = new Map<string, G>();
  let generation = 0;
  // Too many groups waiting: send those that did not grow since the last pass and those of a single
  // recipient so far (one-off contents); if that frees less than half, send them all. Each pass
  // frees at least half, so grouping stays amortised O(1) per message.
  // The groups kept are set again in their order (a Map keeps insertion order): deleting ten
  // thousand keys one by one cost more than clearing and refilling the few that stay.
  const overflow = (ready: T[]) => {
    const before = pending.size;
    const keys: string[] = [];
    const kept: G[] = [];
    pending.forEach((group, key) => {
      if (group.generation < generation || shape.size(group) === 1) ready.push(shape.close(group));
      else {
        keys.push(key);
        kept.push(group);
      }
    });
    pending.clear();
    if (kept.length * 2 > before) for (const group of kept) ready.push(shape.close(group));
    else for (let i = 0; i < kept.length; i++) pending.set(keys[i] as string, kept[i] as G);
    generation++;
  };
  return {
    add(message, ready) {
      const key = keyOf(message);
      let group = pending.get(key);
      if (group) shape.push(group, message);
      else pending.set(key, (group = shape.open(message)));
      group.generation = generation;
      if (shape.size(group) >= batchSize) {
        pending.delete(key);
        ready.push(shape.close(group));
      } else if (pending.size > maxPending) {
        overflow(ready);
      }
    },
    finish() {
      const rest = [...pending.values()].map((group) => shape.close(group));
      pending.clear();
      return rest;
    },
  };
}

export function createRequestGrouper(
  batchSize: number,
  maxPending = MAX_PENDING,
): {
  add(message: GroupableMessage, ready: RequestBody[]): void;
  finish(): RequestBody[];
} {
  const destinationOf = (message: GroupableMessage): Destination => ({
    messageId: message.messageId,
    to: { phoneNumber: message.phoneNumber },
  });
  return createGrouper<Pending, GroupableMessage, RequestBody>(
    batchSize,
    maxPending,
    (message) => `${message.spec}\u0000${message.contentKey}`,
    {
      open: (message) => ({
        content: message.content,
        destinations: [destinationOf(message)],
        generation: 0,
      }),
      push: (group, message) => group.destinations.push(destinationOf(message)),
      size: (group) => group.destinations.length,
      close: (group) => toRequestBody(group.content, group.destinations),
    },
  );
}

/** What the text grouper reads of a message: a spec's compiled messages. */
export type TextGroupableMessage = Pick<
  CompiledMessage,
  'contentKey' | 'content' | 'messageId' | 'phoneNumber'
> & {
  /** The body's JSON after its destinations (`,"whatsApp":…}`), when the message knows it. */
  readonly bodyTail?: string;
  /** bulkIdFor([messageId]), when the message knows it (a pool worker worked it out). */
  readonly soloBulkId?: string;
  /** The message makes its strings when read and keeps less than them: a group keeps the message. */
  readonly compact?: true;
};

/** What a group keeps of its first message: its id, number, body tail and, if known, solo bulkId. */
interface FirstMessage {
  readonly messageId: string;
  readonly phoneNumber: string;
  readonly bodyTail: string;
  readonly soloBulkId?: string | undefined;
}

/** A group of one spec's messages waiting for more: the strings its body is made of, no more. */
export interface TextGroup {
  /** The first message: its strings, or the message itself when it is compact. */
  first: FirstMessage;
  /** The ids and numbers of the others, in turn. */
  more: string[] | undefined;
  generation: number;
}

// A messageId is a UUID and a normalised phone number digits: neither needs escaping in JSON.
const destinationText = (id: string, phone: string): string =>
  `{"messageId":"${id}","to":{"phoneNumber":"${phone}"}}`;

/** The JSON text of a group's request body: what JSON.stringify gives of toRequestBody's object. */
export function bodyText(group: TextGroup): string {
  const { first, more } = group;
  const id = first.messageId;
  let destinations = destinationText(id, first.phoneNumber);
  let bulkId: string;
  if (more === undefined) bulkId = first.soloBulkId ?? bulkIdFor([id]);
  else {
    const ids = [id];
    for (let i = 0; i < more.length; i += 2) {
      const otherId = more[i] as string;
      ids.push(otherId);
      destinations += `,${destinationText(otherId, more[i + 1] as string)}`;
    }
    bulkId = bulkIdFor(ids);
  }
  return `{"bulkId":"${bulkId}","destinations":[${destinations}]${first.bodyTail}`;
}

/**
 * The grouping of createRequestGrouper for the messages of one spec, each group closed as the
 * strings of its body (bodyText gives its JSON) without building the body's objects: compile prints
 * a million bodies, and a group waiting for more recipients holds a few references.
 */
export function createBodyTextGrouper(
  batchSize: number,
  maxPending = MAX_PENDING,
): {
  add(message: TextGroupableMessage, ready: TextGroup[]): void;
  finish(): TextGroup[];
} {
  return createGrouper<TextGroup, TextGroupableMessage, TextGroup>(
    batchSize,
    maxPending,
    (message) => message.contentKey,
    {
      open: (message) => ({
        // A compact message holds less than its strings would (a pool's row): kept as it is.
        first:
          message.compact === true && message.bodyTail !== undefined
            ? (message as FirstMessage)
            : {
                messageId: message.messageId,
                phoneNumber: message.phoneNumber,
                bodyTail: message.bodyTail ?? bodyTailOf(message.content),
                soloBulkId: message.soloBulkId,
              },
        more: undefined,
        generation: 0,
      }),
      push: (group, message) => {
        (group.more ??= []).push(message.messageId, message.phoneNumber);
      },
      size: (group) => 1 + (group.more === undefined ? 0 : group.more.length / 2),
      close: (group) => group,
    },
  );
}

/** Bodies turned into text at once: their strings live no longer than their write. */
const TEXT_CHUNK = 512;

/**
 * The bodies of one spec's messages as JSON text, as the messages complete them, in chunks of
 * at most TEXT_CHUNK.
 */
export async function* groupBodyTextBatches(
  messages: AsyncIterable<readonly TextGroupableMessage[]>,
  batchSize: number,
  maxPending = MAX_PENDING,
): AsyncIterable<string[]> {
  const grouper = createBodyTextGrouper(batchSize, maxPending);
  const ready: TextGroup[] = [];
  const chunks = function* (groups: TextGroup[]): Iterable<string[]> {
    for (let i = 0; i < groups.length; i += TEXT_CHUNK)
      yield groups.slice(i, i + TEXT_CHUNK).map(bodyText);
  };
  for await (const batch of messages) {
    for (const message of batch) grouper.add(message, ready);
    yield* chunks(ready);
    ready.length = 0;
  }
  yield* chunks(grouper.finish());
}
