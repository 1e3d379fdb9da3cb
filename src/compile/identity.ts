import type { MessageContent } from './types.js';

/** Deterministic UUID from (spec name, revision, phone number). */
export function messageIdFor(spec: string, revision: number, phoneNumber: string): string {
  throw new Error(`not built yet ${spec} ${revision} ${phoneNumber}`);
}

/** 64 uppercase hex characters derived from the messageIds of one request. */
export function bulkIdFor(messageIds: readonly string[]): string {
  throw new Error(`not built yet ${messageIds.length}`);
}

/** sha256 hex of the canonical (key-sorted) JSON of the content. */
export function contentHashOf(content: MessageContent): string {
  throw new Error(`not built yet ${typeof content}`);
}
