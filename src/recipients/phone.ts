import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const SEPARATORS = /[\s().\-/]/g;

/**
 * Normalises a phone number to international digits ("+41 79 302 67 27" → "41793026727").
 * Numbers without + or 00 are read as international. Undefined when it is not a valid number.
 */
export function normalizePhoneNumber(raw: string): string | undefined {
  let text = raw.replace(SEPARATORS, '');
  if (text.startsWith('00')) text = `+${text.slice(2)}`;
  else if (!text.startsWith('+')) text = `+${text}`;
  if (!/^\+\d{7,15}$/.test(text)) return undefined;
  const parsed = parsePhoneNumberFromString(text);
  return parsed?.isValid() ? parsed.number.slice(1) : undefined;
}
