import type { DiagnosticCode } from './codes.js';
import { redactSecrets } from './quote.js';

export type Severity = 'error' | 'warning';

/** A problem in user input. Positions are 0-based here and printed 1-based. */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** Path of the file the problem is in, as the user named it (relative to cwd where possible). */
  file?: string;
  line?: number;
  column?: number;
  /**
   * Where the problem ends, when its source range is known: the line and column of its last
   * character (0-based, inclusive; never before line/column).
   */
  endLine?: number;
  endColumn?: number;
  /** In a spreadsheet: the cell (Sheet1!B12), shown instead of line and column. */
  cell?: string;
  hint?: string;
}

/** What a stage returns: its value plus every problem it found on the way. */
export interface WithDiagnostics<T> {
  value: T;
  diagnostics: Diagnostic[];
}

/** Stages that stream report problems through a sink instead of returning them. */
export type DiagnosticSink = (diagnostic: Diagnostic) => void;

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function makeDiagnostic(
  code: DiagnosticCode,
  message: string,
  where: Pick<Diagnostic, 'file' | 'line' | 'column' | 'endLine' | 'endColumn' | 'cell'> = {},
  extra: { severity?: Severity; hint?: string } = {},
): Diagnostic {
  // Whatever a message quotes, a credential in it is never shown.
  const d: Diagnostic = {
    code,
    severity: extra.severity ?? 'error',
    message: redactSecrets(message),
  };
  if (where.file !== undefined) d.file = where.file;
  if (where.line !== undefined) d.line = where.line;
  if (where.column !== undefined) d.column = where.column;
  if (where.cell !== undefined) d.cell = where.cell;
  // An end goes with a start and never lies before it.
  if (
    d.line !== undefined &&
    where.endLine !== undefined &&
    where.endColumn !== undefined &&
    (where.endLine > d.line || (where.endLine === d.line && where.endColumn >= (d.column ?? 0)))
  ) {
    d.endLine = where.endLine;
    d.endColumn = where.endColumn;
  }
  if (extra.hint !== undefined) d.hint = redactSecrets(extra.hint);
  return d;
}
