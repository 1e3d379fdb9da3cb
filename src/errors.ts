import type { Diagnostic } from './diagnostics/diagnostic.js';

/**
 * Operational failures (not problems in user input, which are Diagnostics).
 * The CLI maps each to an exit code in one place (src/cli/run.ts) and prints only its message.
 */
export class WaspecError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: number;
  constructor(code: string, message: string, options: { hint?: string; exitCode?: number } = {}) {
    super(message);
    this.name = 'WaspecError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Bad command-line usage or a bad argument. */
export class UsageError extends WaspecError {
  constructor(message: string, hint?: string) {
    super('usage', message, hint === undefined ? {} : { hint });
    this.name = 'UsageError';
  }
}

/** Another apply holds the state lock. */
export class LockHeldError extends WaspecError {
  constructor(message: string, hint?: string) {
    super('lock-held', message, hint === undefined ? {} : { hint });
    this.name = 'LockHeldError';
  }
}

/** The token could not be obtained or was refused. */
export class AuthError extends WaspecError {
  constructor(message: string, hint?: string) {
    super('auth', message, hint === undefined ? {} : { hint });
    this.name = 'AuthError';
  }
}

/** A saved plan no longer matches the files or state it was made from. */
export class StalePlanError extends WaspecError {
  constructor(message: string, hint?: string) {
    super('stale-plan', message, hint === undefined ? {} : { hint });
    this.name = 'StalePlanError';
  }
}

/** The state cannot be read (e.g. written by a newer waspec). */
export class StateError extends WaspecError {
  constructor(message: string, hint?: string) {
    super('state', message, hint === undefined ? {} : { hint });
    this.name = 'StateError';
  }
}

/** The config file has problems; each is a diagnostic with its line and column. */
export class ConfigError extends WaspecError {
  readonly diagnostics: readonly Diagnostic[];
  constructor(message: string, diagnostics: readonly Diagnostic[]) {
    super('config-invalid', message);
    this.name = 'ConfigError';
    this.diagnostics = diagnostics;
  }
}
