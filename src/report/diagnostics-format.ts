import { createFrameReader } from '../files/read-frame-lines.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnosticsGithub } from './diagnostics-github.js';
import { diagnosticsToJson } from './diagnostics-json.js';
import { formatDiagnosticsPretty, type PrettyOptions } from './diagnostics-pretty.js';
import { maskDiagnostic } from '../diagnostics/mask-phone.js';
import { escapeInvisibleInJson } from '../plan/plan-json.js';

export type DiagnosticsFormat = 'pretty' | 'json' | 'github';

export function formatDiagnostics(
  all: readonly Diagnostic[],
  options: {
    format: DiagnosticsFormat;
    color?: boolean;
    readLines?: PrettyOptions['readLines'];
    mask?: boolean;
  },
): string {
  const diagnostics = options.mask ? all.map(maskDiagnostic) : all;
  if (options.format === 'json')
    return escapeInvisibleInJson(JSON.stringify(diagnosticsToJson(diagnostics), null, 2));
  if (options.format === 'github') return formatDiagnosticsGithub(diagnostics);
  return formatDiagnosticsPretty(diagnostics, {
    color: options.color ?? false,
    // Each file is read once for all its frames.
    readLines: options.readLines ?? createFrameReader(diagnostics),
    mask: options.mask ?? false,
  });
}
