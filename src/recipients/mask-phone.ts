import type { Diagnostic } from '../diagnostics/diagnostic.js';

/**
 * Masks a phone number the way the API reference does (`155****8467`): the first 3 and
 * last 4 digits stay, four asterisks replace the rest whatever its length.
 */
export function maskPhone(phoneNumber: string): string {
  if (phoneNumber.length <= 7)
    return `${'*'.repeat(Math.max(phoneNumber.length - 2, 0))}${phoneNumber.slice(-2)}`;
  return `${phoneNumber.slice(0, 3)}****${phoneNumber.slice(-4)}`;
}

/** Masks every run of 8 to 15 digits in a text (phone numbers quoted in messages). */
export function maskPhonesIn(text: string): string {
  return text.replace(/(?<!\d)\d{8,15}(?!\d)/g, (digits) => maskPhone(digits));
}

/** A diagnostic whose message and hint quote no full phone number. */
export function maskDiagnostic(d: Diagnostic): Diagnostic {
  const masked: Diagnostic = { ...d, message: maskPhonesIn(d.message) };
  if (d.hint !== undefined) masked.hint = maskPhonesIn(d.hint);
  return masked;
}
