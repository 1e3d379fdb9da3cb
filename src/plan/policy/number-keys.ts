/**
 * Numbers as keys of a Float64Array: digits as written (at most 15, no leading zero) as their
 * value, negative when written with `+`; anything else numbered below every such key.
 */
export class NumberKeys {
  private readonly others = new Map<string, number>();
  private readonly byKey = new Map<number, string>();

  key(phone: string): number {
    if (DIGITS.test(phone)) return phone.startsWith('+') ? -Number(phone.slice(1)) : Number(phone);
    let key = this.others.get(phone);
    if (key === undefined) {
      key = OTHER_KEYS - this.others.size;
      this.others.set(phone, key);
      this.byKey.set(key, phone);
    }
    return key;
  }

  phone(key: number): string {
    if (key > OTHER_KEYS) return key < 0 ? `+${-key}` : String(key);
    return this.byKey.get(key) as string;
  }
}

const DIGITS = /^\+?[1-9][0-9]{0,14}$/;
/** Below -(10^15 - 1), the smallest number written with `+`. */
const OTHER_KEYS = -1e15;

/** Whether the key is of a number written as digits (else of another string). */
export function isDigitsKey(key: number): boolean {
  return key > OTHER_KEYS;
}

/** The distinct values of `keys`, ascending. */
export function distinctKeys(keys: Float64Array): Float64Array {
  const sorted = Float64Array.from(keys).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i] as number;
  return sorted.slice(0, n);
}

/** The place of `key` in ascending `sorted`, or -1. */
export function placeOf(sorted: Float64Array, key: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] as number;
    if (v === key) return mid;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
