import { BoundedMap } from './bounded-map.js';
import { bulkIdFor } from './identity.js';
import type { CompiledMessage, Destination, MessageContent, RequestBody } from './types.js';

/** Groups waiting for more recipients at once; beyond it the least recently grown is sent. */
const MAX_PENDING = 10_000;

interface Pending {
  content: MessageContent;
  destinations: Destination[];
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
  // Least recently grown groups are sent first when too many wait.
  const pending = new BoundedMap<string, Pending>(maxPending);
  for await (const item of messages) {
    const ready: RequestBody[] = [];
    const batch: readonly CompiledMessage[] = Array.isArray(item) ? item : [item as CompiledMessage];
    for (const message of batch) {
      const key = `${message.spec}\u0000${message.contentHash}`;
      const group = pending.get(key) ?? { content: message.content, destinations: [] };
      group.destinations.push({ messageId: message.messageId, to: { phoneNumber: message.phoneNumber } });
      if (group.destinations.length >= batchSize) {
        pending.delete(key);
        ready.push(toRequestBody(group.content, group.destinations));
        continue;
      }
      for (const [, evicted] of pending.set(key, group)) ready.push(toRequestBody(evicted.content, evicted.destinations));
    }
    yield* ready;
  }
  for (const group of pending.values()) yield toRequestBody(group.content, group.destinations);
}
