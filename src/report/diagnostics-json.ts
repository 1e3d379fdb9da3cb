import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** Diagnostics as printed data: positions 1-based, as editors and people count; the end (when known) is the last character's. */
export function diagnosticsToJson(
  diagnostics: readonly Diagnostic[],
): Array<Record<string, unknown>> {
  return diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    ...(d.file !== undefined ? { file: d.file } : {}),
    ...(d.line !== undefined ? { line: d.line + 1, column: (d.column ?? 0) + 1 } : {}),
    ...(d.line !== undefined && d.endLine !== undefined && d.endColumn !== undefined
      ? { endLine: d.endLine + 1, endColumn: d.endColumn + 1 }
      : {}),
    ...(d.cell !== undefined ? { cell: d.cell } : {}),
    ...(d.hint !== undefined ? { hint: d.hint } : {}),
  }));
}
