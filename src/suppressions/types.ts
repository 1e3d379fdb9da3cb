import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** Why a number is on the suppression list, as its source says. */
export interface Suppression {
  /** Where it came from: a file path or `table`. */
  source: string;
  reason?: string;
  /** When it was suppressed, as written (e.g. 2026-01-02). */
  date?: string;
}

export interface SuppressionList {
  /** Normalised numbers (digits only, as recipients are) and why each is suppressed. */
  numbers: ReadonlyMap<string, Suppression>;
  diagnostics: Diagnostic[];
  /** sha256 of what a source that is not a file read (a saved plan records it); files are recorded by their own digests. */
  digest?: string;
}

/**
 * Where suppressed numbers come from (files; a database table with the PostgreSQL backend).
 * A saved plan records `files` by their digests, and the list's `digest` for other sources.
 */
export interface SuppressionSource {
  readonly location: string;
  /** Files the list was read from (their digests make a saved plan stale when they change). */
  readonly files: readonly string[];
  read(): Promise<SuppressionList>;
}
