import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { maskPhonesIn } from '../diagnostics/mask-phone.js';
import { revealInvisible } from './reveal-invisible.js';

// Workflow commands need %, CR and LF escaped (and , : in properties), as GitHub documents; other
// control characters (ESC) are shown escaped so the log shows what the annotation says.
const escapeData = (s: string) =>
  revealInvisible(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions annotations: `::error file=…,line=…,col=…,title=code::message`; numbers always masked (logs are shared). */
export function formatDiagnosticsGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const props = [
        ...(d.file !== undefined ? [`file=${escapeProperty(d.file)}`] : []),
        // A spreadsheet has no lines to annotate: its cell goes into the message.
        ...(d.line !== undefined && d.cell === undefined
          ? [`line=${d.line + 1}`, `col=${(d.column ?? 0) + 1}`]
          : []),
        `title=${escapeProperty(d.code)}`,
      ];
      const message = maskPhonesIn(
        `${d.cell === undefined ? '' : `${d.cell}: `}${d.hint ? `${d.message} (hint: ${d.hint})` : d.message}`,
      );
      return `::${d.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${escapeData(message)}`;
    })
    .join('\n');
}
