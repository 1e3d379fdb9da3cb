import { getCountries, getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

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
      singleCountry.set(code, countries.length === 1 ? countries[0] : countries.length > 1 ? '' : undefined);
    }
    const country = singleCountry.get(code);
    if (country === '') break; // shared calling code (+1, +7, +44…): the number says which country
    if (country !== undefined) return country;
  }
  return parsePhoneNumberFromString(`+${digits}`)?.country;
}
