import pc from 'picocolors';
import { ConfigError, EXIT, WaspecError, type ExitCode } from '../errors.js';
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
      process.exitCode = reportError(error);
    }
  };
}

export function reportError(error: unknown): ExitCode {
  const color = useColor(process.stderr);
  const red = color ? pc.red : (s: string) => s;
  const dim = color ? pc.dim : (s: string) => s;
  if (error instanceof ConfigError) printDiagnostics(error.diagnostics);
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
  const message = redactEnvSecrets(error instanceof Error ? error.message : String(error));
  process.stderr.write(`${red('internal error')}: ${revealOneLine(message)}\n`);
  if (process.env.WASPEC_DEBUG && error instanceof Error && error.stack) {
    process.stderr.write(`${error.stack}\n`);
  } else {
    process.stderr.write('This is a bug in waspec; run with WASPEC_DEBUG=1 for details.\n');
  }
  return EXIT.error;
}
