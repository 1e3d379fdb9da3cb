import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { makeDiagnostic, type Diagnostic, type DiagnosticSink } from '../diagnostics/diagnostic.js';
import { quoteInput } from '../diagnostics/quote.js';
import { registerInputFile } from '../files/input-files.js';
import { hiddenInputText, refuseInput } from '../files/inside-workspace.js';
import { openRegularFile } from '../files/open-regular-file.js';
import { displayFile } from '../message-spec/load-spec.js';
import type {
  RecipientEntry,
  RecipientFileRef,
  SourcePosition,
  SpecDocument,
} from '../message-spec/types.js';
import { duplicateDiagnostic, entryOf, lineOf, varsHash, whereTag } from './duplicates.js';
import { identify, type Identified } from './identify.js';
import { identifyBatch, warmUpIdentifyWorker } from './phone-pool.js';
import { PhoneSet, type PhoneTags } from './phone-set.js';
import type { RawRecipient } from './read-csv.js';
import { SETTLE, type CsvItem, type CsvPiece, type PieceResult } from './csv-piece.js';
import { readJsonArray, readNdjson } from './read-json.js';
import { isKnownCountry } from './phone.js';
import type { ColumnOptions } from './table-columns.js';
import { delimiterOf } from './csv-delimiter.js';
import { maskPhone } from '../diagnostics/mask-phone.js';
import type { ExcludeSink, Recipient } from './types.js';

const WARM_UP_BYTES = 64 * 1024;
import { MAX_VALUE_CHARS } from './limits.js';

export { MAX_VALUE_CHARS };

/** The name of a variable (or a value nested in it) longer than MAX_VALUE_CHARS, if any. */
function longValue(value: unknown, name: string): string | undefined {
  if (typeof value === 'string') return value.length > MAX_VALUE_CHARS ? name : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  // Nesting is bounded where vars are read (MAX_NESTING), so this recursion is too.
  for (const [key, v] of Object.entries(value)) {
    const found = longValue(v, name);
    if (found !== undefined) return found;
    if (key.length > MAX_VALUE_CHARS) return name;
  }
  return undefined;
}

const cut = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

const FORMATS: Record<string, RecipientFileRef['format']> = {
  '.csv': 'csv',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.xlsx': 'xlsx',
};
/** Options that only tables (CSV, XLSX) have, and the one only workbooks have. */
const TABLE_OPTIONS = ['phoneColumn', 'columns', 'sheet', 'delimiter', 'encoding'] as const;
const FORMATS_OF: Record<(typeof TABLE_OPTIONS)[number], ReadonlyArray<string>> = {
  phoneColumn: ['csv', 'xlsx'],
  columns: ['csv', 'xlsx'],
  sheet: ['xlsx'],
  delimiter: ['csv'],
  encoding: ['csv'],
};

function resolveFile(doc: SpecDocument, ref: RecipientFileRef): string {
  return path.resolve(path.dirname(doc.absolutePath), ref.file);
}

/** Absolute paths of the recipient files a spec references (for digests and watching). */
export function recipientFiles(doc: SpecDocument): string[] {
  return doc.spec.recipients.flatMap((entry) => ('file' in entry ? [resolveFile(doc, entry)] : []));
}

function formatOf(ref: RecipientFileRef): RecipientFileRef['format'] {
  return ref.format ?? FORMATS[path.extname(ref.file).toLowerCase()];
}

/** The country of a file's numbers without + or 00: the entry's, else the config's. */
function defaultCountryOf(doc: SpecDocument, ref: RecipientFileRef): string | undefined {
  return (ref.defaultCountry ?? doc.recipientDefaults?.defaultCountry)?.toUpperCase();
}

/** Reports the entry's options that do not fit its format or are not known; false when there are some. */
function checkOptions(
  doc: SpecDocument,
  ref: RecipientFileRef,
  index: number,
  format: NonNullable<RecipientFileRef['format']>,
  sink: DiagnosticSink,
): boolean {
  let ok = true;
  const wrong = (key: string, message: string, hint: string) => {
    ok = false;
    sink(
      makeDiagnostic('recipients-option', message, doc.locate(['recipients', index, key]), {
        hint,
      }),
    );
  };
  for (const key of TABLE_OPTIONS) {
    if (ref[key] === undefined) continue;
    const formats = FORMATS_OF[key];
    if (!formats.includes(format)) {
      wrong(
        key,
        `${key} applies to ${formats.map((f) => f.toUpperCase()).join(' and ')} files, not to ${format.toUpperCase()}`,
        format === 'json' || format === 'ndjson'
          ? 'JSON recipients are {phoneNumber, vars} objects'
          : `remove ${key}`,
      );
    }
  }
  if (ref.defaultCountry !== undefined && !isKnownCountry(ref.defaultCountry.toUpperCase())) {
    wrong(
      'defaultCountry',
      `'${ref.defaultCountry}' is not an ISO 3166 country code libphonenumber knows`,
      'two letters, e.g. CH, DE, GB, US',
    );
  }
  return ok;
}

/** Whether a CSV is read as UTF-8: no other encoding set, no UTF-16 byte order mark. */
async function readsAsUtf8(
  doc: SpecDocument,
  ref: RecipientFileRef,
  handle: FileHandle,
): Promise<boolean> {
  const encoding = ref.encoding ?? doc.recipientDefaults?.encoding ?? 'utf-8';
  const head = Buffer.alloc(2);
  const { bytesRead } = await handle.read(head, 0, 2, 0);
  const utf16 = bytesRead === 2 && (head.equals(UTF16_LE) || head.equals(UTF16_BE));
  return encoding === 'utf-8' && !utf16;
}

const UTF16_LE = Buffer.from([0xff, 0xfe]);
const UTF16_BE = Buffer.from([0xfe, 0xff]);

/** What a file's invalid rows and conflicting duplicates do: the entry's options over the config's. */
function rowPolicyOf(
  doc: SpecDocument,
  entry: RecipientEntry | undefined,
): { hold: boolean; firstOfDuplicates: boolean } {
  // Inline recipients are written in the spec by hand: their problems stay errors.
  if (!entry || !('file' in entry)) return { hold: false, firstOfDuplicates: false };
  const ref = entry;
  const defaults = doc.recipientDefaults ?? {};
  return {
    hold: (ref.invalid ?? defaults.invalid) === 'hold',
    firstOfDuplicates: (ref.duplicates ?? defaults.duplicates) === 'first',
  };
}

/** The number as written, masked for the plan: digits only, + kept. */
function maskedRaw(raw: string): string {
  const digits = raw.replace(/[^\d]/g, '');
  return digits === '' ? '(empty)' : maskPhone(digits);
}

/** How the header of this file maps to phone column and vars: the entry's options over the config's. */
function columnOptionsOf(doc: SpecDocument, ref: RecipientFileRef): ColumnOptions {
  const defaults = doc.recipientDefaults ?? {};
  const phoneColumn =
    ref.phoneColumn !== undefined
      ? { name: ref.phoneColumn, required: true }
      : defaults.phoneColumn !== undefined
        ? { name: defaults.phoneColumn, required: false }
        : undefined;
  return {
    ...(phoneColumn ? { phoneColumn } : {}),
    columns: { ...defaults.columns, ...ref.columns },
    mustExist: Object.keys(ref.columns ?? {}),
  };
}

async function* fileRecipients(
  doc: SpecDocument,
  ref: RecipientFileRef,
  index: number,
  sink: DiagnosticSink,
  pool?: PiecePool,
): AsyncIterable<CsvItem> {
  const absolute = resolveFile(doc, ref);
  const file = displayFile(absolute);
  const format = formatOf(ref);
  const where = doc.locate(['recipients', index, 'file']);
  if (!format) {
    const old = /\.xls$/i.test(ref.file);
    sink(
      makeDiagnostic('recipients-format', `cannot tell the format of ${ref.file}`, where, {
        hint: old
          ? 'an old .xls workbook is not read: save it as .xlsx or CSV'
          : 'use .csv, .xlsx, .json, .ndjson or .jsonl, or set format:',
      }),
    );
    return;
  }
  if (!checkOptions(doc, ref, index, format, sink)) return;
  // The spec's folder tree or the current directory; anything else only when allowed by name.
  const roots = [path.dirname(doc.absolutePath), process.cwd(), ...(doc.allowOutside ?? [])];
  const refusal = await refuseInput(absolute, roots);
  if (refusal?.reason === 'hidden') {
    const text = hiddenInputText(refusal.segment);
    sink(
      makeDiagnostic('file-hidden', `recipient file ${ref.file} ${text.message}`, where, {
        hint: text.hint,
      }),
    );
    return;
  }
  if (refusal) {
    sink(
      makeDiagnostic(
        'file-outside-workspace',
        `recipient file ${ref.file} is outside the workspace`,
        where,
        {
          hint: 'recipient files live beside the spec or under the current directory; allow another place with --allow-outside PATH (or allowOutside: in the config)',
        },
      ),
    );
    return;
  }
  const opened = await openRegularFile(absolute);
  if ('refusal' in opened) {
    const missing = opened.refusal.reason === 'missing';
    sink(
      makeDiagnostic(
        missing ? 'recipients-file-not-found' : 'file-not-regular',
        `recipient file ${file} ${opened.refusal.message}`,
        where,
        {
          hint: missing
            ? 'paths are relative to the spec file'
            : 'a recipient file is a regular CSV, XLSX, JSON or NDJSON file',
        },
      ),
    );
    return;
  }
  const { handle, size } = opened;
  // Code frames show lines of UTF-8 text files only (a workbook is zipped XML; UTF-16 and
  // Windows-1252 lines would show as other characters).
  if (format !== 'xlsx' && (format !== 'csv' || (await readsAsUtf8(doc, ref, handle))))
    registerInputFile(absolute, 'data');
  // A large CSV is compiled in pieces by the pool, if there is one.
  const pieces = pool !== undefined && format === 'csv' && size >= pool.minBytes;
  // Over 64 KiB (a few thousand rows) the worker pays for itself: start it while the file is read.
  if (pieces) pool.warmUp();
  else if (size > WARM_UP_BYTES) warmUpIdentifyWorker();
  try {
    // The CSV and XLSX readers (papaparse; yauzl, saxes, numfmt) load when a file of theirs is read.
    if (format === 'csv') {
      const { readCsv } = await import('./read-csv.js');
      const defaults = doc.recipientDefaults ?? {};
      const delimiter = delimiterOf(ref.delimiter ?? defaults.delimiter);
      const encoding = ref.encoding ?? defaults.encoding;
      const options = {
        ...columnOptionsOf(doc, ref),
        ...(delimiter === undefined ? {} : { delimiter }),
        ...(encoding === undefined ? {} : { encoding }),
      };
      if (pieces) yield* readCsv(handle, file, sink, options, true);
      else yield* readCsv(handle, file, sink, options);
    } else if (format === 'xlsx') {
      const { readXlsx } = await import('./read-xlsx.js');
      yield* readXlsx(handle, file, sink, {
        ...columnOptionsOf(doc, ref),
        ...(ref.sheet === undefined ? {} : { sheet: ref.sheet }),
      });
    } else if (format === 'json') yield* readJsonArray(handle, size, file, sink);
    else yield* readNdjson(handle, file, sink);
  } finally {
    await handle.close();
  }
}

function invalidPhone(
  raw: string,
  origin: SourcePosition,
  country: string | undefined,
  inline: boolean,
): Diagnostic {
  const national = !/^\s*(\+|00)/.test(raw);
  if (country !== undefined && national) {
    return makeDiagnostic(
      'phone-invalid',
      `'${quoteInput(raw)}' is not a valid phone number of ${country} (defaultCountry)`,
      origin,
      {
        hint: 'a number of another country is written with + or 00 and its country code, e.g. +49 151 12345678',
      },
    );
  }
  return makeDiagnostic(
    'phone-invalid',
    `'${quoteInput(raw)}' is not a valid international phone number`,
    origin,
    {
      hint:
        national && !inline && /^\s*0/.test(raw)
          ? 'it looks like a national number: set defaultCountry: (e.g. CH) on the recipient file or in the config, or write it with its country code'
          : 'write it with its country code, e.g. +41 79 302 67 27',
    },
  );
}

/**
 * Batches whose numbers are being normalised while the next ones are read: enough to keep the
 * worker busy, few enough that rows in flight do not outlive the young generation (every row
 * waiting is copied by each scavenge: 4 batches of 64 KiB cost 5% more CPU than 2 of 16 KiB).
 */
const LOOKAHEAD = 2;

/**
 * Pieces of CSV being compiled by a pool: enough to keep two or more workers busy; the text of
 * a piece waiting, and its result, are a few strings each, not its rows.
 */
const PIECES_AHEAD = 4;

/** How compile has a pool of workers compile large CSV files (see compile-pool.ts). */
export interface PiecePool {
  /** Files at least this large are read in pieces. */
  minBytes: number;
  /** Starts the workers (a large file is about to be read). */
  warmUp(): void;
  /** A piece's rows compiled on a worker; undefined when one of them has a problem (read here). */
  compile(piece: CsvPiece, defaultCountry: string | undefined): Promise<PieceResult | undefined>;
  /** False once a worker's result could differ from this thread's (a template blew its budget). */
  usable(): boolean;
}

/** Rows of a piece the pool compiled whose numbers were not listed before. */
export interface CompiledRows {
  result: PieceResult;
  /** Indices of the rows kept, in order. */
  kept: number[];
  file: string;
  /** 0-based line of the piece's first row. */
  line: number;
}

/** Batches of a spec's recipients, normalised and de-duplicated; invalid ones reported and skipped. */
export function resolveRecipientBatches(
  doc: SpecDocument,
  sink: DiagnosticSink,
  exclude?: ExcludeSink,
): AsyncIterable<Recipient[]>;
/** With a pool: large CSV files' rows come compiled, as CompiledRows. */
export function resolveRecipientBatches(
  doc: SpecDocument,
  sink: DiagnosticSink,
  exclude: ExcludeSink | undefined,
  pool: PiecePool,
): AsyncIterable<Recipient[] | CompiledRows>;
export function resolveRecipientBatches(
  doc: SpecDocument,
  sink: DiagnosticSink,
  exclude?: ExcludeSink,
  pool?: PiecePool,
): AsyncIterable<Recipient[] | CompiledRows> {
  return recipientBatches(doc, sink, exclude, pool);
}

async function* recipientBatches(
  doc: SpecDocument,
  sink: DiagnosticSink,
  exclude: ExcludeSink | undefined,
  pool: PiecePool | undefined,
): AsyncIterable<Recipient[] | CompiledRows> {
  const seen = new PhoneSet();
  // Whether the spec's message (or its declared vars) mentions a variable name at all.
  const written = JSON.stringify([doc.spec.whatsApp, doc.spec.vars ?? {}]);
  const named = new Map<string, boolean>();
  const namedByMessage = (name: string): boolean => {
    let found = named.get(name);
    if (found === undefined) named.set(name, (found = written.includes(name)));
    return found;
  };
  const fileOf = (index: number): string => {
    const entry = doc.spec.recipients[index];
    return entry && 'file' in entry ? displayFile(resolveFile(doc, entry)) : doc.file;
  };
  // Without a plan to list them in (validate, compile), excluded rows are warnings.
  const excludeTo: ExcludeSink =
    exclude ??
    ((row) =>
      sink(
        makeDiagnostic(
          'recipient-excluded',
          `${row.phone} is left out of ${row.spec}: ${row.reason}`,
          {
            file: row.file,
            line: row.line,
            column: row.column,
            ...(row.cell ? { cell: row.cell } : {}),
          },
          {
            severity: 'warning',
            hint: 'invalid: hold (or duplicates: first) leaves such rows out; fix the row to send to it',
          },
        ),
      ));
  // A spreadsheet's rows are named by the cell of their phone number: its sheet and column, per entry.
  const cellColumns = new Map<number, string>();
  const positionOf = (
    index: number,
    file: string,
    line: number,
    cell?: string,
    column = 0,
  ): SourcePosition => {
    if (line < 0) return doc.locate(['recipients', index, 'phoneNumber']);
    if (cell === undefined) return { file, line, column };
    if (!cellColumns.has(index)) cellColumns.set(index, cell.replace(/\d+$/, ''));
    return { file, line, column, cell };
  };
  const firstAt = (index: number, line: number): SourcePosition => {
    const column = cellColumns.get(index);
    return positionOf(
      index,
      fileOf(index),
      line,
      column === undefined ? undefined : `${column}${line + 1}`,
    );
  };
  const leaveOut = (
    code: 'phone-invalid' | 'phone-duplicate-conflict',
    reason: string,
    phone: string,
    at: SourcePosition,
  ) =>
    excludeTo({
      spec: doc.spec.name,
      file: at.file,
      line: at.line,
      column: at.column,
      ...(at.cell === undefined ? {} : { cell: at.cell }),
      phone,
      code,
      reason,
    });
  type RowPolicy = { hold: boolean; firstOfDuplicates: boolean };
  /** Whether the number was listed before (reported or left out as the policy says). */
  const listedBefore = (
    phoneNumber: string,
    hash: number,
    index: number,
    line: number,
    origin: SourcePosition,
    policy: RowPolicy,
  ): boolean => {
    const first = seen.addWith(phoneNumber, whereTag(index, line), hash);
    if (!first) return false;
    listedAgain(first, phoneNumber, hash, origin, policy);
    return true;
  };
  /** Reports a number listed before (first at `first`), or leaves it out as the policy says. */
  const listedAgain = (
    first: PhoneTags,
    phoneNumber: string,
    hash: number,
    origin: SourcePosition,
    policy: RowPolicy,
  ): void => {
    const problem = duplicateDiagnostic(
      phoneNumber,
      doc.spec.name,
      first,
      { origin, hash },
      firstAt,
    );
    if (problem.code === 'phone-duplicate-conflict' && (policy.hold || policy.firstOfDuplicates)) {
      const kept = firstAt(entryOf(first.where), lineOf(first.where));
      leaveOut(
        'phone-duplicate-conflict',
        `the same number as ${kept.file}:${kept.line + 1} with other vars; the first row is kept`,
        maskPhone(phoneNumber),
        origin,
      );
    } else sink(problem);
  };
  const finish = (
    rows: RawRecipient[],
    { phoneNumbers, messageIds }: Identified,
    index: number,
    file: string,
    country: string | undefined,
  ): Recipient[] => {
    const out: Recipient[] = [];
    const policy = rowPolicyOf(doc, doc.spec.recipients[index]);
    const hold = policy.hold ? excludeTo : undefined;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as RawRecipient;
      const origin = positionOf(index, file, row.line, row.cell, row.column);
      const phoneNumber = phoneNumbers[i];
      const messageId = messageIds[i];
      if (!phoneNumber || !messageId) {
        const problem = invalidPhone(row.phoneNumber, origin, country, row.line < 0);
        if (hold)
          leaveOut(
            'phone-invalid',
            row.phoneNumber.trim() === '' ? 'no phone number' : 'not a valid phone number',
            maskedRaw(row.phoneNumber),
            origin,
          );
        else sink(problem);
        continue;
      }
      // Before anything else reads the vars: rows sharing one huge value must not cost its size each.
      // A long value the message never names (a CRM's notes column) is dropped, not an error.
      let long: string | undefined;
      for (const name in row.vars) {
        // Own keys only (a row's vars may have no prototype); short text, the usual case, first.
        if (!Object.hasOwn(row.vars, name)) continue;
        const v = row.vars[name];
        if (typeof v === 'string' && v.length <= MAX_VALUE_CHARS && name.length <= MAX_VALUE_CHARS)
          continue;
        if (longValue(v, name) === undefined) continue;
        if (!namedByMessage(name)) Reflect.deleteProperty(row.vars, name);
        else long ??= name;
      }
      if (long !== undefined) {
        sink(
          makeDiagnostic(
            'value-too-long',
            `the variable '${cut(long)}' is longer than ${MAX_VALUE_CHARS.toLocaleString('en-US')} characters; the recipient is left out`,
            origin,
            {
              hint: 'no WhatsApp text is that long: shorten the value, or drop the column with columns: { Name: null }',
            },
          ),
        );
        continue;
      }
      if (listedBefore(phoneNumber, varsHash(row.vars), index, row.line, origin, policy)) continue;
      // Built field by field: spreading {} per row cost an object each.
      const recipient: Recipient = { phoneNumber, messageId, vars: row.vars, origin };
      if (row.places) recipient.places = row.places;
      if (hold) recipient.hold = hold;
      out.push(recipient);
    }
    return out;
  };
  /** A piece's rows the pool compiled, less the numbers listed before. */
  const compiledRows = (
    piece: CsvPiece,
    result: PieceResult,
    index: number,
    file: string,
  ): CompiledRows => {
    const policy = rowPolicyOf(doc, doc.spec.recipients[index]);
    const kept: number[] = [];
    for (let i = 0; i < result.count; i++) {
      const line = piece.line + (result.lines[i] as number);
      const value = result.phones[i] as number;
      const hash = result.hashes[i] as number;
      // The number as the worker gave it: no string of it unless it was listed before.
      const first = seen.addValue(value, whereTag(index, line), hash);
      if (first === undefined) kept.push(i);
      else
        listedAgain(
          first,
          String(value),
          hash,
          { file, line, column: result.columns[i] as number },
          policy,
        );
    }
    return { result, kept, file, line: piece.line };
  };
  for (const [index, entry] of doc.spec.recipients.entries()) {
    const file = 'file' in entry ? displayFile(resolveFile(doc, entry)) : doc.file;
    const batches: AsyncIterable<CsvItem> | RawRecipient[][] =
      'file' in entry
        ? fileRecipients(doc, entry, index, sink, pool)
        : [[{ phoneNumber: entry.phoneNumber, vars: entry.vars ?? {}, line: -1 }]];
    type Ahead =
      | { rows: RawRecipient[]; identified: Promise<Identified> }
      | { piece: CsvPiece; result: Promise<PieceResult | undefined>; rows?: RawRecipient[] };
    const ahead: Ahead[] = [];
    const country = 'file' in entry ? defaultCountryOf(doc, entry) : undefined;
    const identifyHere = (rows: RawRecipient[]) =>
      identify({
        numbers: rows.map((r) => r.phoneNumber),
        spec: doc.spec.name,
        revision: doc.spec.revision,
        ...(country === undefined ? {} : { defaultCountry: country }),
      });
    const settle = async (due: Ahead, next: Ahead | undefined) => {
      // A piece the pool gave back is read here, reporting what the reader reports at the time
      // it would have been read without the pool: before the batch ahead of it is finished.
      if (next && 'piece' in next && next.rows === undefined && (await next.result) === undefined)
        next.rows = next.piece.rows();
      if ('identified' in due) return finish(due.rows, await due.identified, index, file, country);
      if (due.rows === undefined) {
        const result = await due.result;
        if (result !== undefined && pool?.usable() !== false)
          return compiledRows(due.piece, result, index, file);
        due.rows = due.piece.rows();
      }
      return finish(due.rows, identifyHere(due.rows), index, file, country);
    };
    const settleWhile = async function* (more: () => boolean) {
      while (more()) {
        const out = await settle(ahead.shift() as Ahead, ahead[0]);
        if (!Array.isArray(out) || out.length > 0) yield out;
      }
    };
    let slow = 0;
    for await (const item of batches) {
      if (item === SETTLE) {
        yield* settleWhile(() => ahead.length > 1);
        continue;
      }
      if (!Array.isArray(item)) {
        if (pool === undefined) throw new Error('a piece of CSV without a pool');
        ahead.push({ piece: item, result: pool.compile(item, country) });
        yield* settleWhile(() => ahead.length >= PIECES_AHEAD);
        continue;
      }
      // Rows read here (quoted fields) after the first batch: the phone worker takes their numbers.
      if (pool !== undefined && ++slow === 2) warmUpIdentifyWorker();
      const task = {
        numbers: item.map((r) => r.phoneNumber),
        spec: doc.spec.name,
        revision: doc.spec.revision,
      };
      ahead.push({
        rows: item,
        identified: identifyBatch(
          country === undefined ? task : { ...task, defaultCountry: country },
        ),
      });
      yield* settleWhile(() => ahead.length >= LOOKAHEAD);
    }
    yield* settleWhile(() => ahead.length > 0);
  }
}

/**
 * Streams a spec's recipients (inline, CSV, JSON, NDJSON) normalised, de-duplicated
 * (a duplicate is reported as a warning and yielded once), invalid ones reported and skipped.
 */
export async function* resolveRecipients(
  doc: SpecDocument,
  sink: DiagnosticSink,
): AsyncIterable<Recipient> {
  for await (const batch of resolveRecipientBatches(doc, sink)) yield* batch;
}
