import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnosticsGithub } from './diagnostics-github.js';
import { diagnosticsToJson } from './diagnostics-json.js';
import { formatDiagnosticsPretty } from './diagnostics-pretty.js';
import { maskDiagnostic } from '../recipients/mask-phone.js';

export type DiagnosticsFormat = 'pretty' | 'json' | 'github';

/** Reads sources for code frames, once per file, never more than 1 MiB. */
export function sourceReader(): (file: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        const text = readFileSync(file, 'utf8');
        cache.set(file, text.length > 1024 * 1024 ? undefined : text);
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}

export function formatDiagnostics(
  all: readonly Diagnostic[],
  options: { format: DiagnosticsFormat; color?: boolean; readSource?: (file: string) => string | undefined; mask?: boolean },
): string {
  const diagnostics = options.mask ? all.map(maskDiagnostic) : all;
  if (options.format === 'json') return JSON.stringify(diagnosticsToJson(diagnostics), null, 2);
  if (options.format === 'github') return formatDiagnosticsGithub(diagnostics);
  return formatDiagnosticsPretty(diagnostics, {
    color: options.color ?? false,
    readSource: options.readSource ?? sourceReader(),
    mask: options.mask ?? false,
  });
}
