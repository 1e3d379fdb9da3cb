/**
 * Digits grouped as toLocaleString('en-US') does for a count, without loading ICU's number
 * formatting (about 50 ms at start-up, as much as the rest of validating a small spec).
 */
export const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** The noun for a count: `one` for 1, else `many` ("message" / "messages"). */
export const noun = (n: number, one: string, many = `${one}s`): string => (n === 1 ? one : many);

/** "1 message", "3,100 messages": a count with its noun, grouped as en-US. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${grouped(n)} ${noun(n, one, many)}`;
}
