import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostics } from '../report/diagnostics-format.js';
import { redactSecrets } from '../transport/redact.js';
import { useColor } from './run.js';

/** The configured secrets, redacted from anything printed (a diagnostic may quote any input). */
export function redactEnvSecrets(text: string): string {
  return redactSecrets(text, [process.env.WASPEC_TOKEN, process.env.WASPEC_APP_SECRET]);
}

/**
 * Human diagnostics to stderr (numbers masked when masking is on); also GitHub annotations when
 * running in GitHub Actions (always masked).
 */
export function printDiagnostics(
  diagnostics: readonly Diagnostic[],
  options: { mask?: boolean } = {},
): void {
  if (diagnostics.length === 0) return;
  process.stderr.write(
    `${redactEnvSecrets(formatDiagnostics(diagnostics, { format: 'pretty', color: useColor(process.stderr), mask: options.mask ?? false }))}\n\n`,
  );
  if (process.env.GITHUB_ACTIONS === 'true') {
    // The Action relays only annotation lines that start with its key, so no quoted input passes as one.
    const key = process.env.WASPEC_ANNOTATION_KEY ?? '';
    const lines = redactEnvSecrets(formatDiagnostics(diagnostics, { format: 'github' })).split(
      '\n',
    );
    process.stdout.write(`${lines.map((line) => `${key}${line}`).join('\n')}\n`);
  }
}
