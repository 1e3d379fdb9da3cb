import { Command, type CommandUnknownOpts } from '@commander-js/extra-typings';
import pc from 'picocolors';
import { ConfigError, EXIT, WaspecError, type ExitCode } from '../errors.js';
import { escapeInvisibleInJson } from '../plan/plan-json.js';
import { diagnosticsToJson } from '../report/diagnostics-json.js';
import { revealOneLine } from '../report/reveal-invisible.js';
import { printDiagnostics, redactEnvSecrets } from './print-diagnostics.js';

/** Whether to colour stderr/stdout: only on a TTY, never with NO_COLOR. */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

/**
 * Wraps a command's action: its return value is the exit code; operational errors print
 * their message and hint (never a stack trace) and map to their exit code.
 */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<ExitCode>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      process.exitCode = await fn(...args);
    } catch (error) {
      process.exitCode = reportError(error, { json: wantsJson(args.at(-1)) });
    }
  };
}

/** Whether the command (commander passes it last to an action) was asked for JSON or NDJSON. */
function wantsJson(command: unknown): boolean {
  if (!(command instanceof Command)) return false;
  const { format } = (command as CommandUnknownOpts).opts();
  return format === 'json' || format === 'ndjson';
}

/** `--format json` (or ndjson) among arguments commander has not parsed (an error before an action ran). */
export function argsWantJson(args: readonly string[]): boolean {
  return args.some(
    (arg, i) =>
      /^--format=(nd)?json$/.test(arg) ||
      (arg === '--format' && /^(nd)?json$/.test(args[i + 1] ?? '')),
  );
}

/**
 * An error as the one JSON object on stdout that a command asked for JSON prints: whatever
 * happens, its output stays JSON (the text on stderr is written too).
 */
function writeJsonError(error: unknown, message: string): void {
  const waspec = error instanceof WaspecError;
  const out = {
    error: {
      code: waspec ? error.code : 'internal',
      message,
      ...(waspec && error.hint ? { hint: redactEnvSecrets(error.hint) } : {}),
    },
    ...(error instanceof ConfigError ? { diagnostics: diagnosticsToJson(error.diagnostics) } : {}),
  };
  process.stdout.write(`${escapeInvisibleInJson(JSON.stringify(out, null, 2))}\n`);
}

export function reportError(error: unknown, options: { json?: boolean } = {}): ExitCode {
  const message = redactEnvSecrets(error instanceof Error ? error.message : String(error));
  if (options.json) writeJsonError(error, message);
  const color = useColor(process.stderr);
  const red = color ? pc.red : (s: string) => s;
  const dim = color ? pc.dim : (s: string) => s;
  // Under JSON the diagnostics are in the object (annotations on stdout would break it).
  if (error instanceof ConfigError && !options.json) printDiagnostics(error.diagnostics);
  if (error instanceof WaspecError) {
    // Messages may quote file names and values: shown escaped, newlines kept only between lines we wrote.
    process.stderr.write(
      `${red('error')}: ${redactEnvSecrets(error.message)
        .split('\n')
        .map((line) => revealOneLine(line))
        .join('\n')}\n`,
    );
    if (error.hint)
      process.stderr.write(`${dim('hint')}: ${revealOneLine(redactEnvSecrets(error.hint))}\n`);
    return error.exitCode;
  }
  process.stderr.write(`${red('internal error')}: ${revealOneLine(message)}\n`);
  if (process.env.WASPEC_DEBUG && error instanceof Error && error.stack) {
    process.stderr.write(`${error.stack}\n`);
  } else {
    process.stderr.write('This is a bug in waspec; run with WASPEC_DEBUG=1 for details.\n');
  }
  return EXIT.error;
}
