/** A row's place in words: `people.csv:12`, or `people.xlsx:Sheet1!B12` in a spreadsheet. */
export function describePosition(p: { file: string; line: number; cell?: string }): string {
  return p.cell === undefined ? `${p.file}:${p.line + 1}` : `${p.file}:${p.cell}`;
}

/** Where a diagnostic points, as printed: `file`, `file:line:column` (1-based) or `file:Sheet1!B12`. */
export function locationOf(d: {
  file?: string;
  line?: number;
  column?: number;
  cell?: string;
}): string {
  if (d.file === undefined) return '';
  if (d.cell !== undefined) return `${d.file}:${d.cell}`;
  return d.line === undefined ? d.file : `${d.file}:${d.line + 1}:${(d.column ?? 0) + 1}`;
}
