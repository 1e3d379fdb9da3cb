import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** Diagnostics as printed data: positions 1-based, as editors and people count. */
export function diagnosticsToJson(
  diagnostics: readonly Diagnostic[],
): Array<Record<string, unknown>> {
  return diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    ...(d.file !== undefined ? { file: d.file } : {}),
    ...(d.line !== undefined ? { line: d.line + 1, column: (d.column ?? 0) + 1 } : {}),
    ...(d.cell !== undefined ? { cell: d.cell } : {}),
    ...(d.hint !== undefined ? { hint: d.hint } : {}),
  }));
}
