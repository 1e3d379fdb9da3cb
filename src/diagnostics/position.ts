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

/** A position without its end: for a point found inside a located range (e.g. in a template). */
export function startOf<T extends { endLine?: number; endColumn?: number }>(p: T): T {
  const start = { ...p };
  delete start.endLine;
  delete start.endColumn;
  return start;
}
