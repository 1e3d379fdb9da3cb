import { getCountry } from 'countries-and-timezones';
import { countryOfPhoneNumber } from '../../recipients/phone.js';

const zonesByCountry = new Map<string, readonly string[]>();

/** IANA zones of a number's country (libphonenumber's country, countries-and-timezones' zones); empty when unknown. */
export function zonesOfPhoneNumber(phoneNumber: string): {
  country: string;
  zones: readonly string[];
} {
  const country = countryOfPhoneNumber(phoneNumber) ?? '';
  let zones = zonesByCountry.get(country);
  if (!zones) {
    zones = country === '' ? [] : (getCountry(country)?.timezones ?? []);
    zonesByCountry.set(country, zones);
  }
  return { country, zones };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes east of UTC of `zone` at `at` (with daylight saving time as it is then). */
export function offsetOf(zone: string, at: Date): number {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    formatters.set(zone, format);
  }
  const name = format.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d\d):(\d\d)/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}
