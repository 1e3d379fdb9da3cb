import type { Diagnostic } from './diagnostics/diagnostic.js';

/** waspec's exit codes, for the CLI and the GitHub Action (action/exit-codes.mjs, kept equal by a test). */
export const EXIT = {
  /** Success: every message accepted, nothing to send, or no problem found (warnings alone exit 0). */
  ok: 0,
  /** Errors in the input, or an operational error (the message says which): a refused command, an apply stopped before sending. */
  error: 1,
  /** plan --detailed-exitcode: the plan shows a change (send, retry or drift; held and excluded messages do not count). */
  changes: 2,
  /** apply: some message was rejected, failed or is in doubt. */
  notAccepted: 3,
  /** apply: the connection to the PostgreSQL state was lost; no more requests were sent, those in flight are in doubt. */
  stateLost: 4,
  /** apply: the circuit breaker stopped it (too many rejected or failed), or refuses to send after a trip. */
  breaker: 5,
  /** apply: paused after a healthy canary (rollout.pause); not a failure: the next apply sends the rest. */
  paused: 6,
  /** apply interrupted by Ctrl-C or SIGTERM (in-flight requests were recorded first). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What kind of operational failure a WaspecError is. */
export type ErrorCode =
  | 'usage'
  | 'lock-held'
  | 'auth'
  | 'stale-plan'
  | 'state'
  | 'state-lost'
  | 'config-invalid'
  | 'config-missing'
  | 'plan-file'
  | 'init-failed';

/**
 * Operational failures (not problems in user input, which are Diagnostics).
 * The CLI maps each to an exit code in one place (src/cli/run.ts) and prints only its message.
 */
export class WaspecError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;
  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string; exitCode?: ExitCode } = {},
  ) {
    super(message);
    this.name = 'WaspecError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT.error;
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

/** The connection to the state database was lost while waspec was using it. */
export class StateLostError extends WaspecError {
  constructor(message: string, hint?: string) {
    super('state-lost', message, {
      exitCode: EXIT.stateLost,
      ...(hint === undefined ? {} : { hint }),
    });
    this.name = 'StateLostError';
  }
}

/**
 * A render stopped early: the field would be over its limit, or the template does too much work.
 * Caught where a message is rendered and reported as a diagnostic, never shown as it is.
 */
export class RenderLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderLimitError';
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
