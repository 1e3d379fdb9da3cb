import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { UsageError } from '../errors.js';
import { notValid, SUPPRESSION_HINT, suppressedNumber } from './read-suppression-file.js';

// Numbers given to `waspec suppress` on the command line (the CLI shows its errors escaped).

/** The numbers as the table keeps them, normalised as recipients are; one that is not valid refuses them all. */
export function tableNumbers(
  numbers: readonly string[],
  defaultCountry: string | undefined,
): string[] {
  const out = new Set<string>();
  for (const raw of numbers) {
    const number = suppressedNumber(raw, defaultCountry);
    if (number === undefined)
      throw new UsageError(
        `'${raw.slice(0, 40)}' ${notValid(defaultCountry)}; nothing was suppressed`,
        SUPPRESSION_HINT,
      );
    out.add(number);
  }
  return [...out];
}

/**
 * The numbers to take off the table: normalised as for add; one that is not valid is a warning and
 * taken as its digits (an earlier waspec kept such numbers as written).
 */
export function removableNumbers(
  numbers: readonly string[],
  defaultCountry: string | undefined,
): { numbers: string[]; warnings: Diagnostic[] } {
  const out = new Set<string>();
  const warnings: Diagnostic[] = [];
  for (const raw of numbers) {
    const number = suppressedNumber(raw, defaultCountry);
    if (number === undefined) {
      const digits = raw.replace(/\D/g, '').replace(/^00/, '');
      warnings.push(
        makeDiagnostic(
          'suppression-invalid',
          `${raw.slice(0, 40)} ${notValid(defaultCountry)}; removing the row written ${digits}`,
          {},
          { severity: 'warning', hint: SUPPRESSION_HINT },
        ),
      );
      out.add(digits);
    } else out.add(number);
  }
  return { numbers: [...out], warnings };
}
