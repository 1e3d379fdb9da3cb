import type { MessageContent } from '../api/types.js';
import { maskPhonesIn } from '../diagnostics/mask-phone.js';
import type { StoredContent } from './types.js';

/** Characters kept of one value: WhatsApp's longest text (4,096) fits whole. */
export const MAX_STORED_VALUE_CHARS = 4096;
/** Characters kept of all the values of one content together. */
export const MAX_STORED_CONTENT_CHARS = 16 * 1024;

/** `text` cut to `keep` UTF-16 units without splitting a surrogate pair. */
function cutText(text: string, keep: number): string {
  const code = text.charCodeAt(keep - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? keep - 1 : keep);
}

/**
 * A content as the state keeps it: what the recipient's phone shows (the request without its
 * destinations, which holds no credential: the token travels in a header), with every phone
 * number masked, each value cut to MAX_STORED_VALUE_CHARS and all of them to
 * MAX_STORED_CONTENT_CHARS (`cut` says so). Deterministic: a plan passes today's content through
 * it too, so a drift compares like with like.
 */
export function storedContentOf(content: MessageContent): StoredContent {
  let budget = MAX_STORED_CONTENT_CHARS;
  let cut = false;
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const masked = maskPhonesIn(value);
      const keep = Math.min(masked.length, MAX_STORED_VALUE_CHARS, budget);
      if (keep < masked.length) cut = true;
      const kept = keep < masked.length ? cutText(masked, keep) : masked;
      budget -= kept.length;
      return kept;
    }
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      for (const item of value) {
        if (budget <= 0) {
          cut = true;
          break;
        }
        items.push(walk(item));
      }
      return items;
    }
    if (value !== null && typeof value === 'object') {
      // Sorted keys: equal contents (whatever their key order) are cut alike.
      const keys = Object.keys(value).sort();
      return Object.fromEntries(
        keys
          .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, walk((value as Record<string, unknown>)[k])]),
      );
    }
    return value;
  };
  const stored = walk(content) as MessageContent;
  return cut ? { content: stored, cut: true } : { content: stored };
}

/** Characters of text in a value (a stored content read back must not hold more than waspec keeps). */
export function storedChars(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((n: number, item) => n + storedChars(item), 0);
  if (value !== null && typeof value === 'object')
    return Object.values(value).reduce((n: number, item) => n + storedChars(item), 0);
  return 0;
}
