import { bulkIdFor } from '../api/identity.js';
import type { CompiledMessage } from './types.js';
import type { Destination, MessageContent, RequestBody } from '../api/types.js';

/** Groups waiting for more recipients at once; beyond it, groups that stopped growing are sent. */
const MAX_PENDING = 10_000;

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

/**
 * Groups messages with identical content into request bodies of up to `batchSize`
 * destinations, deterministically (same input order → same requests and bulkIds).
 */
export async function* groupRequests(
  messages: AsyncIterable<CompiledMessage | readonly CompiledMessage[]>,
  batchSize: number,
  maxPending = MAX_PENDING,
): AsyncIterable<RequestBody> {
  for await (const bodies of groupRequestBatches(messages, batchSize, maxPending)) yield* bodies;
}

/** groupRequests in batches: the bodies completed by each batch of messages, one await per batch. */
export async function* groupRequestBatches(
  messages: AsyncIterable<CompiledMessage | readonly CompiledMessage[]>,
  batchSize: number,
  maxPending = MAX_PENDING,
): AsyncIterable<RequestBody[]> {
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
  for await (const item of messages) {
    const ready: RequestBody[] = [];
    const batch: readonly CompiledMessage[] = Array.isArray(item)
      ? item
      : [item as CompiledMessage];
    for (const message of batch) {
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
    }
    if (ready.length > 0) yield ready;
  }
  const rest = [...pending.values()].map((group) => toRequestBody(group.content, group.destinations));
  if (rest.length > 0) yield rest;
}
