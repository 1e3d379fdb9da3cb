import { comparePrecedence, type CapCandidate } from './cap-policy.js';

/** One message planned, in the order of the plan. */
export interface LimitCandidate extends CapCandidate {
  phoneNumber: string;
}

export interface LimitWindow {
  /** Unique recipients per moving window. */
  limit: number;
  windowMs: number;
  now: number;
  /** Recipients the state recorded in the window, with the time of their last message. */
  recent: ReadonlyMap<string, number>;
}

export type LimitDecision = { kind: 'send' } | { kind: 'over'; at: number; reason: string };

/**
 * Which planned messages fit under the messaging limit: recipients already reached in the window
 * cost nothing more; new ones are admitted in precedence order (higher priority, then spec name)
 * while there is room. A recipient over the limit can go when a place frees: the window's
 * recipients leave it in the order they entered (`at`), the k-th one past the room in the k-th
 * freed place, a window later for each time round. Decisions are in the order of `candidates`.
 */
export function decideLimit(
  candidates: readonly LimitCandidate[],
  window: LimitWindow,
): LimitDecision[] {
  const order = candidates
    .map((_, i) => i)
    .sort(
      (a, b) =>
        comparePrecedence(candidates[a] as CapCandidate, candidates[b] as CapCandidate) || a - b,
    );
  const room = Math.max(0, window.limit - window.recent.size);
  const admitted = new Set<string>();
  const over = new Map<string, number>();
  const decisions: LimitDecision[] = candidates.map(() => ({ kind: 'send' }));
  const waiting: number[] = [];
  for (const index of order) {
    const phone = (candidates[index] as LimitCandidate).phoneNumber;
    // Reached in the window, or admitted now: no new place taken.
    if (window.recent.has(phone) || admitted.has(phone)) continue;
    if (admitted.size < room) {
      admitted.add(phone);
      continue;
    }
    if (!over.has(phone)) over.set(phone, over.size);
    waiting.push(index);
  }
  if (waiting.length === 0) return decisions;
  // When each place of the full window frees: its recipient's last message plus the window.
  const frees = [
    ...[...window.recent.values()].map((t) => t + window.windowMs),
    ...[...admitted].map(() => window.now + window.windowMs),
  ].sort((a, b) => a - b);
  // More recorded than the limit: that many places must free before the first new one.
  const skip = Math.max(0, frees.length - window.limit);
  const places = frees.length - skip;
  const rule = `messaging limit of ${window.limit} unique recipients per 24 h: ${window.recent.size} reached in the last 24 h, ${admitted.size} more admitted first`;
  for (const index of waiting) {
    const k = over.get((candidates[index] as LimitCandidate).phoneNumber) ?? 0;
    const round = Math.floor(k / Math.max(places, 1));
    const at =
      places === 0
        ? window.now + window.windowMs
        : (frees[skip + (k % places)] ?? window.now) + round * window.windowMs;
    decisions[index] = {
      kind: 'over',
      at,
      reason: `${rule}; can go from ${new Date(at).toISOString()}`,
    };
  }
  return decisions;
}
