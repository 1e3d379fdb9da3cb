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

/** One row of the PostgreSQL state's suppression table. */
export interface TableSuppression {
  phoneNumber: string;
  reason?: string;
  /** ISO 8601, UTC. */
  addedAt: string;
  addedBy: string;
}

/**
 * The suppression table of a PostgreSQL state's workspace: a source of the plan like the files,
 * and what `waspec suppress` changes.
 */
export interface SuppressionTable extends SuppressionSource {
  /** The digest `read()` gives, without reading the numbers (a saved plan's staleness check). */
  digest(): Promise<string>;
  /** Adds numbers (already normalised); a number already there keeps its reason and date. Returns how many were new. */
  add(
    entries: ReadonlyArray<{ phoneNumber: string; reason?: string }>,
    by: string,
  ): Promise<number>;
  /** Removes numbers; returns those that were there. */
  remove(numbers: readonly string[]): Promise<string[]>;
  /** Every row, ordered by number, streamed to `onRow`; returns how many. */
  list(onRow: (row: TableSuppression) => void): Promise<number>;
}
