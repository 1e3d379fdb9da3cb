import { distinctKeys, placeOf } from './number-keys.js';

/** The recipients the state recorded in the window (number keys: number-keys.ts). */
export interface RecentRecipients {
  /** How many: planned numbers reached, and every other message counted as one of its own. */
  readonly size: number;
  /** Whether a planned number (by its key) was reached in the window. */
  has(key: number): boolean;
  /** The time of each one's last message, in any order. */
  readonly times: Float64Array;
}

export interface LimitWindow {
  /** Unique recipients per moving window. */
  limit: number;
  windowMs: number;
  now: number;
  recent: RecentRecipients;
}

/**
 * Which planned messages fit under the messaging limit: recipients already reached in the window
 * cost nothing more; new ones are admitted in precedence order (`ranks`: lower first, then plan
 * order) while there is room. A recipient over the limit can go when a place frees: the window's
 * recipients leave it in the order they entered (`at`), the k-th one past the room in the k-th
 * freed place, a window later for each time round. The planned messages are columns (a number
 * key and a rank each, in plan order): ten million fit in some 200 MB while deciding. `over` is
 * told each message over the limit; the count of new recipients admitted is returned.
 */
export function decideLimit(
  keys: Float64Array,
  ranks: Uint32Array,
  window: LimitWindow,
  over: (index: number, at: number, reason: string) => void,
): number {
  const n = keys.length;
  // Precedence order: by rank, then plan order (a counting sort: ranks are specs, few).
  let most = 0;
  for (let i = 0; i < n; i++) most = Math.max(most, ranks[i] as number);
  const starts = new Uint32Array(most + 2);
  for (let i = 0; i < n; i++) (starts[(ranks[i] as number) + 1] as number)++;
  for (let r = 1; r < starts.length; r++)
    starts[r] = (starts[r] as number) + (starts[r - 1] as number);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const r = ranks[i] as number;
    order[starts[r] as number] = i;
    starts[r] = (starts[r] as number) + 1;
  }
  const numbers = distinctKeys(keys);
  const admittedHere = new Uint8Array(numbers.length);
  const overRank = new Uint32Array(numbers.length).fill(NONE);
  const room = Math.max(0, window.limit - window.recent.size);
  let admitted = 0;
  let overCount = 0;
  const waiting = new Uint32Array(n);
  let waitingCount = 0;
  for (let o = 0; o < n; o++) {
    const index = order[o] as number;
    const key = keys[index] as number;
    // Reached in the window, or admitted now: no new place taken.
    if (window.recent.has(key)) continue;
    const u = placeOf(numbers, key);
    if (admittedHere[u]) continue;
    if (admitted < room) {
      admittedHere[u] = 1;
      admitted++;
      continue;
    }
    if (overRank[u] === NONE) overRank[u] = overCount++;
    waiting[waitingCount++] = index;
  }
  if (waitingCount === 0) return admitted;
  // When each place of the full window frees: its recipient's last message plus the window.
  const recentTimes = window.recent.times;
  const frees = new Float64Array(recentTimes.length + admitted);
  for (let i = 0; i < recentTimes.length; i++)
    frees[i] = (recentTimes[i] as number) + window.windowMs;
  frees.fill(window.now + window.windowMs, recentTimes.length);
  frees.sort();
  // More recorded than the limit: that many places must free before the first new one.
  const skip = Math.max(0, frees.length - window.limit);
  const places = frees.length - skip;
  const rule = `messaging limit of ${window.limit} unique recipients per 24 h: ${window.recent.size} reached in the last 24 h, ${admitted} more admitted first`;
  let lastAt = Number.NaN;
  let reason = '';
  for (let w = 0; w < waitingCount; w++) {
    const index = waiting[w] as number;
    const k = overRank[placeOf(numbers, keys[index] as number)] as number;
    const round = Math.floor(k / Math.max(places, 1));
    const at =
      places === 0
        ? window.now + window.windowMs
        : (frees[skip + (k % places)] ?? window.now) + round * window.windowMs;
    if (at !== lastAt) {
      lastAt = at;
      reason = `${rule}; can go from ${new Date(at).toISOString()}`;
    }
    over(index, at, reason);
  }
  return admitted;
}

const NONE = 0xffffffff;
