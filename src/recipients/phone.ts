import {
  getCountries,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js/max';

const SEPARATORS = /[\s().\-/]/g;

/** Whether libphonenumber knows this ISO 3166 alpha-2 code (upper case). */
export function isKnownCountry(code: string): code is CountryCode {
  return isSupportedCountry(code);
}

/**
 * Normalises a phone number to international digits ("+41 79 302 67 27" → "41793026727").
 * Numbers with + or 00 are international. Without: international digits, or with a
 * `defaultCountry` a national number of that country ("079 302 67 27" with CH; its own calling
 * code without + also reads, "41 79 302 67 27"), never a guess at another country. Undefined
 * when it is not a valid number.
 */
export function normalizePhoneNumber(raw: string, defaultCountry?: string): string | undefined {
  let text = raw.replace(SEPARATORS, '');
  const international = text.startsWith('+') || text.startsWith('00');
  if (!international && defaultCountry !== undefined && isKnownCountry(defaultCountry)) {
    if (!/^\d{2,17}$/.test(text)) return undefined;
    const parsed = parsePhoneNumberFromString(text, defaultCountry);
    return parsed?.isValid() ? parsed.number.slice(1) : undefined;
  }
  if (text.startsWith('00')) text = `+${text.slice(2)}`;
  else if (!text.startsWith('+')) text = `+${text}`;
  if (!/^\+\d{7,15}$/.test(text)) return undefined;
  const parsed = parsePhoneNumberFromString(text);
  return parsed?.isValid() ? parsed.number.slice(1) : undefined;
}

const singleCountry = new Map<string, string | undefined>();

/**
 * The ISO country of a normalised number (e.g. 41793026727 → CH), undefined for non-geographic
 * ones. Calling codes used by one country only are answered without parsing the number.
 */
export function countryOfPhoneNumber(digits: string): string | undefined {
  for (let length = 1; length <= 3; length++) {
    const code = digits.slice(0, length);
    if (!singleCountry.has(code)) {
      const countries = getCountries().filter((c) => getCountryCallingCode(c) === code);
      singleCountry.set(
        code,
        countries.length === 1 ? countries[0] : countries.length > 1 ? '' : undefined,
      );
    }
    const country = singleCountry.get(code);
    if (country === '') break; // shared calling code (+1, +7, +44…): the number says which country
    if (country !== undefined) return country;
  }
  return parsePhoneNumberFromString(`+${digits}`)?.country;
}

let callingCodes: Set<string> | undefined;
const callingCodeByPrefix = new Map<string, string>();

/**
 * The country calling code of a normalised number (41793026727 → "41"), from libphonenumber's
 * codes: they form a prefix code, so the first 1 to 3 digits say it without parsing the number.
 */
export function callingCodeOf(digits: string): string {
  const prefix = digits.slice(0, 3);
  const known = callingCodeByPrefix.get(prefix);
  if (known !== undefined) return known;
  callingCodes ??= new Set(getCountries().map((c) => getCountryCallingCode(c)));
  let code: string | undefined;
  for (let length = 1; length <= 3 && code === undefined; length++)
    if (callingCodes.has(digits.slice(0, length))) code = digits.slice(0, length);
  // Non-geographic codes (+800, +882…) are not any country's: the number says.
  code ??= parsePhoneNumberFromString(`+${digits}`)?.countryCallingCode ?? '';
  callingCodeByPrefix.set(prefix, code);
  return code;
}
