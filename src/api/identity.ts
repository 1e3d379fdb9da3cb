import * as crypto from 'node:crypto';
import type { MessageContent } from './types.js';

// One-shot crypto.hash (Node >= 20.12) straight to hex: a Buffer result costs three times as much.
const sha256Hex = (text: string): string =>
  typeof crypto.hash === 'function'
    ? crypto.hash('sha256', text, 'hex')
    : crypto.createHash('sha256').update(text).digest('hex');

// A fixed namespace keeps ids stable across machines and versions.
const NAMESPACE = 'waspec/messageId/v1';
const VARIANT = '89ab';

/** Deterministic UUID (v5 layout, sha256-based) from (spec name, revision, phone number). */
export function messageIdFor(spec: string, revision: number, phoneNumber: string): string {
  return uuidOf(sha256Hex(`${NAMESPACE}\n${spec}\n${revision}\n${phoneNumber}`));
}

function uuidOf(hex: string): string {
  // Version nibble 5; variant bits 10 (the top two bits of byte 8).
  const variant = VARIANT[Number.parseInt(hex[16] ?? '0', 16) & 0x3] ?? '8';
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const SEED_NAMESPACE = 'waspec/seedMessageId/v1';

/**
 * The messageId of a test message to a seed: from (spec name, revision, content hash, phone number),
 * so a seed gets each content once and a changed text again. Never a recipient's messageId.
 */
export function seedMessageIdFor(
  spec: string,
  revision: number,
  contentHash: string,
  phoneNumber: string,
): string {
  return uuidOf(
    sha256Hex(`${SEED_NAMESPACE}\n${spec}\n${revision}\n${contentHash}\n${phoneNumber}`),
  );
}

/** 64 uppercase hex characters derived from the messageIds of one request (order-independent). */
export function bulkIdFor(messageIds: readonly string[]): string {
  const text = messageIds.length === 1 ? (messageIds[0] ?? '') : [...messageIds].sort().join('\n');
  return sha256Hex(text).toUpperCase();
}

/** JSON with keys sorted and undefined dropped, so equal content has equal text. */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++)
      out += `${i ? ',' : ''}${canonicalJson(value[i] ?? null)}`;
    return `${out}]`;
  }
  if (value !== null && typeof value === 'object') {
    // Default sort compares UTF-16 code units, as < does.
    const keys = Object.keys(value).sort();
    let out = '{';
    for (const key of keys) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(v)}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(value);
}

/** sha256 hex of the canonical JSON of the content. */
export function contentHashOf(content: MessageContent): string {
  return sha256Hex(canonicalJson(content));
}
