import type { Diagnostic } from './diagnostic.js';

/**
 * Masks a phone number the way the API reference does (`155****8467`): the first 3 and
 * last 4 digits stay, four asterisks replace the rest whatever its length.
 */
export function maskPhone(phoneNumber: string): string {
  if (phoneNumber.length <= 7)
    return `${'*'.repeat(Math.max(phoneNumber.length - 2, 0))}${phoneNumber.slice(-2)}`;
  return `${phoneNumber.slice(0, 3)}****${phoneNumber.slice(-4)}`;
}

/** Digits of a number with + or 00 (country code included), of a national one (0 included). */
const INTERNATIONAL = { min: 8, max: 15 };
const NATIONAL = { min: 9, max: 12 };
/** A run of digits alone (41793026727) is a number from 8 to 15 digits, as E.164 has them. */
const PLAIN = { min: 8, max: 15 };
/** Between two groups of digits: at most two of these (`) ` in `+41 (79) 302`). */
const SEPARATORS = new Set([' ', '\u00a0', '\u202f', '.', '-', '/', '(', ')']);

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Where the run of digits at `at` ends, looking at most `limit` digits far. */
function digitRun(text: string, at: number, limit = Infinity): number {
  let end = at;
  while (end - at < limit && isDigit(text[end])) end++;
  return end;
}

interface Candidate {
  /** Where the digits end (after the last digit taken). */
  end: number;
  digits: string;
  groups: number[];
}

/** Groups of digits from `at` joined by separators, while they stay within `max` digits. */
function readGroups(text: string, at: number, max: number): Candidate {
  let digits = '';
  const groups: number[] = [];
  let end = at;
  let next = at;
  for (;;) {
    const stop = digitRun(text, next, max + 1 - digits.length);
    if (stop === next || digits.length + (stop - next) > max) break;
    digits += text.slice(next, stop);
    groups.push(stop - next);
    end = stop;
    let k = stop;
    while (k < text.length && k - stop < 2 && SEPARATORS.has(text[k] as string)) k++;
    if (k === stop || !isDigit(text[k])) break;
    next = k;
  }
  return { end, digits, groups };
}

/** 06.12.2026, 2026-12-06 (with a time after it): a date, not a national number. */
function looksLikeDate(groups: readonly number[]): boolean {
  const [a = 0, b = 0, c = 0] = groups;
  return groups.length >= 3 && ((a <= 2 && b <= 2 && c === 4) || (a === 4 && b <= 2 && c <= 2));
}

/**
 * Every phone number in a text masked, however it is written: a run of 8 to 15 digits
 * (41793026727), a number with + or 00 and separators (`+41 79 302 67 27`, `+41 (79) 302-67-28`,
 * `0041 79 302 67 27`, `+41.79.302.67.27`), a national one starting with 0
 * (`078 123 45 67`, `079-302-67-27`). Dates, prices and short ids stay. One pass, each position
 * looked at a bounded number of times: linear in the text.
 */
export function maskPhonesIn(text: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  const replace = (start: number, end: number, masked: string) => {
    out += text.slice(copied, start) + masked;
    copied = end;
    i = end;
  };
  while (i < text.length) {
    const c = text[i] as string;
    const before = text[i - 1];
    if (c === '+' && (isDigit(text[i + 1]) || (text[i + 1] === '(' && isDigit(text[i + 2])))) {
      const from = isDigit(text[i + 1]) ? i + 1 : i + 2;
      const found = readGroups(text, from, INTERNATIONAL.max);
      if (found.digits.length >= INTERNATIONAL.min) {
        replace(i, found.end, `+${maskPhone(found.digits)}`);
        continue;
      }
      i = from;
      continue;
    }
    if (!isDigit(c)) {
      i++;
      continue;
    }
    if (isDigit(before)) {
      i = digitRun(text, i);
      continue;
    }
    if (c === '0' && text[i + 1] === '0' && isDigit(text[i + 2])) {
      const found = readGroups(text, i + 2, INTERNATIONAL.max);
      // Without separators it is a run of digits like any other (below).
      if (found.groups.length > 1 && found.digits.length >= INTERNATIONAL.min) {
        replace(i, found.end, `00${maskPhone(found.digits)}`);
        continue;
      }
    } else if (c === '0') {
      const found = readGroups(text, i, NATIONAL.max);
      if (
        found.groups.length > 1 &&
        found.digits.length >= NATIONAL.min &&
        !looksLikeDate(found.groups)
      ) {
        replace(i, found.end, maskPhone(found.digits));
        continue;
      }
    }
    // A run of digits alone.
    const end = digitRun(text, i);
    const length = end - i;
    if (length >= PLAIN.min && length <= PLAIN.max) replace(i, end, maskPhone(text.slice(i, end)));
    else i = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** A diagnostic whose message and hint quote no full phone number. */
export function maskDiagnostic(d: Diagnostic): Diagnostic {
  const masked: Diagnostic = { ...d, message: maskPhonesIn(d.message) };
  if (d.hint !== undefined) masked.hint = maskPhonesIn(d.hint);
  return masked;
}
