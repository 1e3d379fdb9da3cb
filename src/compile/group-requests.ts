import type { CompiledMessage, RequestBody } from './types.js';

/**
 * Groups messages with identical content into request bodies of up to `batchSize`
 * destinations, deterministically (same input order → same requests and bulkIds).
 */
export async function* groupRequests(
  messages: AsyncIterable<CompiledMessage>,
  batchSize: number,
): AsyncIterable<RequestBody> {
  throw new Error(`groupRequests is not built yet (${typeof messages}, ${batchSize})`);
}
