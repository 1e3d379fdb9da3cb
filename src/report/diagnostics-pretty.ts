import { locationOf } from '../diagnostics/position.js';
import pc from 'picocolors';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { redactSecrets } from '../diagnostics/quote.js';
import { maskPhonesIn } from '../diagnostics/mask-phone.js';
import { revealInvisible, revealOneLine } from './reveal-invisible.js';

export interface PrettyOptions {
  color: boolean;
  /** Lines first..last (0-based) of a file, for code frames; undefined when not to be shown. */
  readLines?: (
    file: string,
    first: number,
    last: number,
  ) => ReadonlyArray<string | undefined> | undefined;
  /** Mask phone numbers in code frames (messages and hints are masked before). */
  mask?: boolean;
}

export function formatLocation(d: Diagnostic): string {
  return revealOneLine(locationOf(d));
}

function codeFrame(
  lines: ReadonlyArray<string | undefined>,
  first: number,
  line: number,
  column: number,
  color: boolean,
  mask: boolean,
): string {
  const last = first + lines.length - 1;
  const width = String(last + 1).length;
  const out: string[] = [];
  for (let i = first; i <= last; i++) {
    const raw = redactSecrets((lines[i - first] ?? '').slice(0, 200));
    const text = revealInvisible(mask ? maskPhonesIn(raw) : raw);
    const gutter = `${String(i + 1).padStart(width)} | `;
    out.push(`${i === line ? '> ' : '  '}${color ? pc.dim(gutter) : gutter}${text}`);
    if (i === line) {
      const caret = `${' '.repeat(width)} | ${' '.repeat(Math.min(column, 200))}^`;
      out.push(`  ${color ? pc.red(caret) : caret}`);
    }
  }
  return out.join('\n');
}

/** `file:line:col  error  message  [code]`, a code frame and the hint. */
export function formatDiagnosticsPretty(
  diagnostics: readonly Diagnostic[],
  options: PrettyOptions,
): string {
  const paint = (f: (s: string) => string, s: string) => (options.color ? f(s) : s);
  return diagnostics
    .map((d) => {
      const severity =
        d.severity === 'error' ? paint(pc.red, 'error') : paint(pc.yellow, 'warning');
      const location = formatLocation(d);
      const parts = [
        `${location ? `${paint(pc.bold, location)}  ` : ''}${severity}  ${revealOneLine(d.message)}  ${paint(pc.dim, `[${d.code}]`)}`,
      ];
      // A spreadsheet cell has no text line to show.
      if (d.file !== undefined && d.line !== undefined && d.cell === undefined) {
        const first = Math.max(0, d.line - 1);
        const lines = options.readLines?.(d.file, first, d.line + 1);
        if (lines && lines.length > d.line - first)
          parts.push(
            codeFrame(lines, first, d.line, d.column ?? 0, options.color, options.mask ?? false),
          );
      }
      if (d.hint) parts.push(`  ${paint(pc.cyan, 'hint')}: ${revealOneLine(d.hint)}`);
      return parts.join('\n');
    })
    .join('\n\n');
}
