import * as crypto from 'node:crypto';
import type { MessageContent } from './types.js';

// One-shot crypto.hash (Node ≥ 20.12) is twice as fast as createHash for short inputs.
const sha256 = (text: string): Buffer =>
  typeof crypto.hash === 'function'
    ? crypto.hash('sha256', text, 'buffer')
    : crypto.createHash('sha256').update(text).digest();

// A fixed namespace keeps ids stable across machines and versions.
const NAMESPACE = 'waspec/messageId/v1';

/** Deterministic UUID (v5 layout, sha256-based) from (spec name, revision, phone number). */
export function messageIdFor(spec: string, revision: number, phoneNumber: string): string {
  const bytes = sha256(`${NAMESPACE}\n${spec}\n${revision}\n${phoneNumber}`);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** 64 uppercase hex characters derived from the messageIds of one request (order-independent). */
export function bulkIdFor(messageIds: readonly string[]): string {
  return sha256([...messageIds].sort().join('\n'))
    .toString('hex')
    .toUpperCase();
}

/** JSON with keys sorted and undefined dropped, so equal content has equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 hex of the canonical JSON of the content. */
export function contentHashOf(content: MessageContent): string {
  return sha256(canonicalJson(content)).toString('hex');
}
