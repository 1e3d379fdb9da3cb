// What readCsv gives when asked for pieces (a module of its own: papaparse loads with read-csv).
import type { RawRecipient } from './read-csv.js';

/** How the data rows of a CSV are laid out: what a pool worker needs to read them. */
export interface CsvLayout {
  delimiter: string;
  /** Fields per row (the header's). */
  fields: number;
  phoneColumn: number;
  /** Variable name and field index of each other column. */
  vars: Array<[name: string, index: number]>;
  /** A column is named __proto__: vars without a prototype. */
  bare: boolean;
}

/**
 * Complete data rows of a CSV without quotes and with '\n' line breaks, as text: one line per row,
 * so they can be read anywhere (a pool worker) and named by line without reading them here.
 */
export interface CsvPiece {
  text: string;
  /** 0-based line of its first row. */
  line: number;
  layout: CsvLayout;
  /** Its rows read on this thread, reported as readCsv reports them (when no worker could). */
  rows(): RawRecipient[];
}

/**
 * Said before the rows of a piece read on this thread when pieces are asked for: what was read
 * before it is to be settled first (but the last batch), so that its diagnostics come in the
 * order they come without pieces.
 */
export const SETTLE = Symbol('settle');

export type CsvItem = RawRecipient[] | CsvPiece | typeof SETTLE;

/**
 * The compiled rows of a piece of CSV (complete rows, no quotes, '\n' line breaks), in order, one
 * string or number per row each: what the main thread needs to check duplicates, group and write.
 */
export interface PieceResult {
  /** Rows compiled (empty lines skipped). */
  count: number;
  /** 0-based line of each row from the piece's first. */
  lines: Int32Array;
  /** 0-based column of each row's phone number. */
  columns: Int32Array;
  /** varsHash of each row's vars. */
  hashes: Uint32Array;
  /** Normalised numbers (digits, below 2^53: exact as numbers). */
  phones: Float64Array;
  /** messageIds, 36 ASCII bytes each (out of V8's heap: a waiting group keeps no string of them). */
  ids: Uint8Array;
  /** The bulkId of a request to that one messageId, 64 ASCII bytes each. */
  soloBulkIds: Uint8Array;
  /** Each row's content key (its JSON, which never holds a raw line break), joined by '\n'. */
  keys: string;
}

/** A messageId (a UUID) and a bulkId (SHA-256 hex), in ASCII bytes in a PieceResult. */
export const ID_LENGTH = 36;
export const BULK_ID_LENGTH = 64;
