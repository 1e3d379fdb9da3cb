import { bulkIdFor } from '../api/identity.js';
import type { Destination, MessageContent, RequestBody } from '../api/types.js';
import { DEFAULT_BATCH_SIZE } from '../config/load-config.js';
import type { SpecDocument } from '../message-spec/types.js';
import type { CompiledMessage } from './types.js';

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

/**
 * The one grouping rule, used by compile (messages as they stream) and apply (a plan's entries):
 * `add` pushes the bodies a message completes onto `ready`, `finish` returns the rest.
 */
export function createRequestGrouper(
  batchSize: number,
  maxPending = MAX_PENDING,
): {
  add(message: GroupableMessage, ready: RequestBody[]): void;
  finish(): RequestBody[];
} {
  const pending = new Map<string, Pending>();
  let generation = 0;
  // Too many groups waiting: send those that did not grow since the last pass and those of a single
  // recipient so far (one-off contents); if that frees less than half, send them all. Each pass
  // frees at least half, so grouping stays amortised O(1) per message.
  const overflow = (ready: RequestBody[]) => {
    const before = pending.size;
    for (const [key, group] of pending) {
      if (group.generation < generation || group.destinations.length === 1) {
        pending.delete(key);
        ready.push(toRequestBody(group.content, group.destinations));
      }
    }
    if (pending.size * 2 > before) {
      for (const group of pending.values())
        ready.push(toRequestBody(group.content, group.destinations));
      pending.clear();
    }
    generation++;
  };
  return {
    add(message, ready) {
      const key = `${message.spec}\u0000${message.contentKey}`;
      let group = pending.get(key);
      if (!group) {
        group = { content: message.content, destinations: [], generation };
        pending.set(key, group);
      }
      group.generation = generation;
      group.destinations.push({
        messageId: message.messageId,
        to: { phoneNumber: message.phoneNumber },
      });
      if (group.destinations.length >= batchSize) {
        pending.delete(key);
        ready.push(toRequestBody(group.content, group.destinations));
      } else if (pending.size > maxPending) {
        overflow(ready);
      }
    },
    finish() {
      const rest = [...pending.values()].map((group) =>
        toRequestBody(group.content, group.destinations),
      );
      pending.clear();
      return rest;
    },
  };
}
