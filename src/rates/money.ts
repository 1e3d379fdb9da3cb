/** Money as bigint millionths of the currency unit: prices have at most 6 decimals, sums stay exact. */
export const MICROS = 1_000_000n;
const DECIMAL = /^(\d{1,12})(?:\.(\d{1,6}))?$/;

/** "0.0618" (or the number 0.0618 as YAML reads it) → 61800n; undefined when not a plain decimal of at most 6 places. */
export function parseAmount(value: unknown): bigint | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const match = DECIMAL.exec(text.trim());
  if (!match) return undefined;
  return BigInt(match[1] ?? '0') * MICROS + BigInt((match[2] ?? '').padEnd(6, '0'));
}

/** 61800n → "0.0618": every significant decimal, at least `minDecimals` (2 for totals). */
export function formatAmount(micros: bigint, minDecimals = 2): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / MICROS;
  let fraction = (abs % MICROS).toString().padStart(6, '0').replace(/0+$/, '');
  if (fraction.length < minDecimals) fraction = fraction.padEnd(minDecimals, '0');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Rounded half up to cents, for people: 61850n → "0.06"; exact figures stay in the JSON. */
export function formatCents(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const cents = (abs + 5_000n) / 10_000n;
  const text = `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
  return negative && cents > 0n ? `-${text}` : text;
}
