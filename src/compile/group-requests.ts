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
  messages: AsyncIterable<CompiledMessage>,
  batchSize: number,
  maxPending = MAX_PENDING,
): AsyncIterable<RequestBody> {
  const pending = new Map<string, Pending>();
  for await (const message of messages) {
    const key = `${message.spec}\u0000${message.contentHash}`;
    let group = pending.get(key);
    if (group) pending.delete(key);
    else group = { content: message.content, destinations: [] };
    group.destinations.push({ messageId: message.messageId, to: { phoneNumber: message.phoneNumber } });
    if (group.destinations.length >= batchSize) {
      yield toRequestBody(group.content, group.destinations);
      continue;
    }
    pending.set(key, group); // re-inserted: Map order is least recently grown first
    if (pending.size > maxPending) {
      const [oldestKey, oldest] = pending.entries().next().value as [string, Pending];
      pending.delete(oldestKey);
      yield toRequestBody(oldest.content, oldest.destinations);
    }
  }
  for (const group of pending.values()) yield toRequestBody(group.content, group.destinations);
}
