import type { EntryList } from './entry-list.js';
import type { MessageContent } from '../api/types.js';
import { sendAtOf } from './content-store.js';
import { isSending, type Plan } from './types.js';

/**
 * How many requests apply makes (one per batch of messages with the same content and sendAt, as
 * requests are grouped) and, at `rateLimit` requests a second, how many seconds that takes.
 */
export function estimatePace(
  entries: EntryList,
  contents: Readonly<Record<string, MessageContent>>,
  batchSizes: ReadonlyMap<string, number>,
  rateLimit: number | undefined,
): NonNullable<Plan['pace']> {
  const groups = new Map<string, { spec: string; n: number }>();
  for (const entry of entries) {
    if (!isSending(entry)) continue;
    const sendAt = entry.shift?.sendAt ?? sendAtOf(contents, entry.contentHash) ?? '';
    const key = `${entry.spec}\u0000${entry.contentHash}\u0000${sendAt}`;
    const group = groups.get(key);
    if (group) group.n++;
    else groups.set(key, { spec: entry.spec, n: 1 });
  }
  let requests = 0;
  for (const { spec, n } of groups.values())
    requests += Math.ceil(n / (batchSizes.get(spec) ?? 100));
  if (rateLimit === undefined) return { requests };
  return { requests, rateLimit, seconds: Math.ceil(requests / rateLimit) };
}
