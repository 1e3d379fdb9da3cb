import type { ExcludedRecipient, ExclusionCode } from '../recipients/types.js';

/** The reasons recipients are excluded, as a reviewer reads them. */
export const EXCLUSION_LABELS: Record<ExclusionCode, string> = {
  'phone-invalid': 'invalid phone number',
  'variable-empty': 'empty variable',
  'phone-duplicate-conflict': 'duplicate number with other vars',
};

/** Per reason, how many rows, in the order of EXCLUSION_LABELS. */
export function exclusionCounts(
  rows: readonly ExcludedRecipient[],
): Array<{ code: ExclusionCode; label: string; count: number }> {
  const counts = new Map<ExclusionCode, number>();
  for (const row of rows) counts.set(row.code, (counts.get(row.code) ?? 0) + 1);
  return (Object.keys(EXCLUSION_LABELS) as ExclusionCode[]).flatMap((code) => {
    const count = counts.get(code) ?? 0;
    return count > 0 ? [{ code, label: EXCLUSION_LABELS[code], count }] : [];
  });
}

/** Where a row is, as printed: file:line:column, or file:Sheet1!C5 in a spreadsheet. */
export function excludedWhere(row: ExcludedRecipient): string {
  return row.cell === undefined
    ? `${row.file}:${row.line + 1}:${row.column + 1}`
    : `${row.file}:${row.cell}`;
}
