/** The spec format users write (schemas/spec.schema.json is the truth). */

import type { RolloutSpec } from './rollout.js';

export interface HeaderSpec {
  textPlaceholder?: string;
  imageUrl?: string;
  videoUrl?: string;
  latitude?: number | string;
  longitude?: number | string;
}

export interface ButtonSpec {
  urlPlaceholder?: string;
  quickReplyPayload?: string;
}

export interface MediaTemplateDataSpec {
  header?: HeaderSpec;
  body?: { placeholders: string[] };
  buttons?: ButtonSpec[];
}

/** The API's whatsApp object; string fields may hold Handlebars expressions. */
export interface WhatsAppSpec {
  text?: string;
  imageUrl?: string;
  audioUrl?: string;
  videoUrl?: string;
  locationName?: string;
  address?: string;
  longitude?: number | string;
  latitude?: number | string;
  templateName?: string;
  templateData?: string[];
  language?: string;
  mediaTemplateData?: MediaTemplateDataSpec;
}

export type Vars = Record<string, unknown>;

export interface InlineRecipient {
  phoneNumber: string;
  vars?: Vars;
}

/** How the rows of a recipient file become recipients; the config's `recipients:` holds defaults. */
export interface RecipientDefaults {
  /** The header of the column holding phone numbers (CSV, XLSX); by default a recognised name. */
  phoneColumn?: string;
  /** Columns renamed (header → variable name) or dropped (null) (CSV, XLSX). */
  columns?: Record<string, string | null>;
  /** ISO 3166 alpha-2 country of numbers written without + or 00 (e.g. CH: 079 302 67 27). */
  defaultCountry?: string;
  /** CSV: the column separator (`tab` for a tab); by default found in the header row. */
  delimiter?: ',' | ';' | '\t' | 'tab' | '|';
  /** CSV: the text encoding of a file without a byte order mark (default UTF-8). */
  encoding?: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  /** A row with an invalid number, an empty variable or a conflicting duplicate: an error (default) or held out of the plan as excluded. */
  invalid?: 'error' | 'hold';
  /** Rows of one number with different vars: an error (default), or the first row kept and the others excluded. */
  duplicates?: 'error' | 'first';
}

export interface RecipientFileRef extends RecipientDefaults {
  /** Relative to the spec file. */
  file: string;
  /** Defaults to the file's extension. */
  format?: 'csv' | 'json' | 'ndjson' | 'xlsx';
  /** The worksheet of an XLSX file (default: the first). */
  sheet?: string;
}

export type RecipientEntry = InlineRecipient | RecipientFileRef;

/** A seed: a phone number as written, or a file of them (read as a recipient file; other columns unused). */
export type SeedEntry = string | RecipientFileRef;

/** `seed:` of a spec: test recipients who get the message before anyone else. */
export interface SeedSpec {
  recipients: SeedEntry[];
  /** The real recipient whose variables the seeds' message is rendered with (phone number or messageId); default the first. */
  sampleFrom?: string;
  /** Country of seed numbers written without + or 00 (default: the config's recipients.defaultCountry). */
  defaultCountry?: string;
}

/**
 * Where a spec's seeds are written: the spec's own `seed:` or the config's. File entries are
 * relative to `absolutePath`'s folder; `locate` takes a path inside the `seed:` mapping.
 */
export interface SeedSource extends SeedSpec {
  from: 'spec' | 'config';
  /** The file `seed:` is written in (as shown) and its absolute path. */
  file: string;
  absolutePath: string;
  locate: (path: SpecPath) => SourcePosition;
}

export interface Spec {
  name: string;
  revision: number;
  scenarioKey?: string;
  sendAt?: string;
  vars?: Vars;
  /** ESC and bidi controls in the spec's texts are warnings, not errors. */
  allowControlCharacters?: boolean;
  /** Destinations per request for recipients with identical content (default 100). */
  batchSize?: number;
  /** What kind of message (frequency caps count by category). */
  category?: string;
  /** What WhatsApp charges its messages as, when no template category says it (rate card). */
  pricing?: 'marketing' | 'utility' | 'authentication' | 'service';
  /** Precedence under a frequency cap: higher first, then by name (default 0). */
  priority?: number;
  /** Most messages one apply may send for this spec (size guard). */
  maxRecipients?: number;
  /** Send a canary first (docs/progressive-sending.md); overrides the config's policy.rollout. */
  rollout?: RolloutSpec;
  whatsApp: WhatsAppSpec;
  recipients: RecipientEntry[];
  /** Test recipients first (replaces the config's seed:). */
  seed?: SeedSpec;
}

/** A key or index path into the spec, e.g. ['whatsApp', 'templateData', 0]. */
export type SpecPath = ReadonlyArray<string | number>;

export interface SourcePosition {
  file: string;
  /** 0-based (the row of a spreadsheet) */
  line: number;
  /** 0-based */
  column: number;
  /** The line and column of the last character, when the source range is known (0-based). */
  endLine?: number;
  endColumn?: number;
  /** In a spreadsheet: the cell, e.g. Sheet1!B12 (shown instead of line and column). */
  cell?: string;
}

/** What reading specs takes from the command line and the config, beyond the spec files. */
export interface SpecReadOptions {
  /** Paths outside the workspace recipient files may come from (--allow-outside). */
  allowOutside?: readonly string[];
  /** The config's `recipients:` defaults for every recipient file. */
  recipientDefaults?: RecipientDefaults;
  /** The config's `seed:`, for every spec without its own. */
  seed?: SeedSource;
}

/** A loaded, schema-checked spec with a way back to its source. */
export interface SpecDocument {
  /** The file path as given (relative to cwd where possible). */
  file: string;
  /** Absolute path. */
  absolutePath: string;
  /** sha256 hex of the file's bytes. */
  digest: string;
  /** Absolute paths outside the workspace its recipient files may come from (--allow-outside). */
  allowOutside?: readonly string[];
  /** The config's `recipients:` defaults (a spec's recipient file entry overrides them). */
  recipientDefaults?: RecipientDefaults;
  /** Its seeds: the spec's `seed:`, else the config's (absent: none). */
  seed?: SeedSource;
  spec: Spec;
  /**
   * Set on a spec with errors whose other parts can still be checked in the same run (its
   * recipients, variables and, when `templates`, its approved template): never compiled to send.
   */
  flawed?: { templates: boolean };
  /** Position of the node at `path`, or of its nearest ancestor that exists. */
  locate: (path: SpecPath) => SourcePosition;
  /** The raw source text of the node at `path` (used for e.g. unquoted phone numbers). */
  sourceOf: (path: SpecPath) => string | undefined;
}
