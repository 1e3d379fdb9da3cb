import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { maskPhonesIn } from '../diagnostics/mask-phone.js';
import { revealInvisible } from './reveal-invisible.js';

// Workflow commands need %, CR and LF escaped (and , : in properties), as GitHub documents; other
// control characters (ESC) are shown escaped so the log shows what the annotation says.
const escapeData = (s: string) =>
  revealInvisible(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * `line=…,col=…` and, when the end is known, `endLine=…,endColumn=…` (all 1-based). GitHub takes
 * columns only within one line: a range over several lines is `line=…,endLine=…` alone.
 */
function githubPosition(d: Diagnostic, line: number): string[] {
  const column = (d.column ?? 0) + 1;
  if (d.endLine === undefined || d.endColumn === undefined)
    return [`line=${line + 1}`, `col=${column}`];
  if (d.endLine === line)
    return [
      `line=${line + 1}`,
      `col=${column}`,
      `endLine=${line + 1}`,
      `endColumn=${d.endColumn + 1}`,
    ];
  return [`line=${line + 1}`, `endLine=${d.endLine + 1}`];
}

/** GitHub Actions annotations: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=code::message`; numbers always masked (logs are shared). */
export function formatDiagnosticsGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const props = [
        ...(d.file !== undefined ? [`file=${escapeProperty(d.file)}`] : []),
        // A spreadsheet has no lines to annotate: its cell goes into the message.
        ...(d.line !== undefined && d.cell === undefined ? githubPosition(d, d.line) : []),
        `title=${escapeProperty(d.code)}`,
      ];
      const message = maskPhonesIn(
        `${d.cell === undefined ? '' : `${d.cell}: `}${d.hint ? `${d.message} (hint: ${d.hint})` : d.message}`,
      );
      return `::${d.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${escapeData(message)}`;
    })
    .join('\n');
}
