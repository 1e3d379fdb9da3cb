import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { makeDiagnostic, type DiagnosticSink } from '../diagnostics/diagnostic.js';
import { quoteInput } from '../diagnostics/quote.js';
import { hiddenInputText, refuseInput } from '../files/inside-workspace.js';
import { openRegularFile } from '../files/open-regular-file.js';
import { readLines } from '../files/read-lines.js';
import { normalizePhoneNumber } from '../recipients/phone.js';
import { jsonSyntaxMessage, MAX_NDJSON_LINE_BYTES } from '../recipients/read-json.js';
import { displayFile } from '../message-spec/load-spec.js';
import type { Suppression } from './types.js';

/** Where a file is named (the config's `suppressions:` entry), for diagnostics about the file itself. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface SuppressionFileOptions {
  /**
   * Folders (or files) the file must lie in, symbolic links resolved: the config's folder, the
   * current directory and what allowOutside names. Undefined: anywhere (a file named on the command line).
   */
  roots?: readonly string[];
  /** Where the config names the file. */
  where?: SourceLocation;
  /** The country of national numbers (the config's `recipients.defaultCountry`), as for recipients. */
  defaultCountry?: string;
}

/** The list is held in memory whole (a Set of numbers): a file past this is refused, not read. */
export const MAX_SUPPRESSION_FILE_BYTES = 128 * 1024 * 1024;

interface Row {
  phoneNumber: string;
  reason?: string;
  date?: string;
  line: number;
}

/** The longest reason (or name) kept: it is shown in every plan. */
export const MAX_SUPPRESSION_TEXT = 200;

/** Untrusted text shown in plans (the formatters reveal control characters): length bounded. */
function bounded(value: string): string {
  return value.length > MAX_SUPPRESSION_TEXT ? `${value.slice(0, MAX_SUPPRESSION_TEXT)}…` : value;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? bounded(value.trim()) : undefined;

/** NDJSON / JSONL: one {phoneNumber, reason?, date?} per line; a line over 1 MiB is skipped, never held. */
async function* ndjsonRows(
  handle: FileHandle,
  file: string,
  sink: DiagnosticSink,
): AsyncIterable<Row[]> {
  let line = -1;
  const batch: Row[] = [];
  for await (const read of readLines(handle, { maxLineBytes: MAX_NDJSON_LINE_BYTES })) {
    line++;
    if (read.tooLong) {
      sink(
        makeDiagnostic(
          'json-syntax',
          `${file}: line ${line + 1} is longer than 1 MiB`,
          { file, line, column: 0 },
          { hint: 'NDJSON holds one {"phoneNumber": …} object per line' },
        ),
      );
      continue;
    }
    const raw = read.bytes.toString('utf8');
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line === 0 ? raw.replace(/^\uFEFF/, '') : raw);
    } catch (error) {
      sink(
        makeDiagnostic('json-syntax', `${file}: ${jsonSyntaxMessage(error)}`, {
          file,
          line,
          column: 0,
        }),
      );
      continue;
    }
    const record =
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? new Map<string, unknown>(Object.entries(value))
        : undefined;
    const phone = record?.get('phoneNumber');
    if (typeof phone !== 'string') {
      sink(
        makeDiagnostic(
          'suppression-invalid',
          `${file}: each line must be an object with a phoneNumber string`,
          { file, line, column: 0 },
        ),
      );
      continue;
    }
    batch.push({
      phoneNumber: phone,
      line,
      ...optional(record?.get('reason'), record?.get('date')),
    });
    if (batch.length >= 512) yield batch.splice(0);
  }
  if (batch.length > 0) yield batch;
}

function optional(reason: unknown, date: unknown): { reason?: string; date?: string } {
  const out: { reason?: string; date?: string } = {};
  const r = text(reason);
  const d = text(date);
  if (r !== undefined) out.reason = r;
  if (d !== undefined) out.date = d;
  return out;
}

async function* csvRows(
  handle: FileHandle,
  file: string,
  sink: DiagnosticSink,
): AsyncIterable<Row[]> {
  // papaparse loads when a CSV list is read (the plan of a spec without a list never does).
  const { readCsv } = await import('../recipients/read-csv.js');
  for await (const batch of readCsv(handle, file, sink)) {
    yield batch.map((r) => ({
      phoneNumber: r.phoneNumber,
      line: r.line,
      ...optional(r.vars.reason, r.vars.date),
    }));
  }
}

/** Opens the file if it may be read: inside the roots, a regular file, within the size cap. */
async function openSuppressionFile(
  absolute: string,
  file: string,
  options: SuppressionFileOptions,
  sink: DiagnosticSink,
): Promise<FileHandle | undefined> {
  const where = options.where ?? { file };
  const refusal = options.roots ? await refuseInput(absolute, options.roots) : undefined;
  if (refusal?.reason === 'hidden') {
    const text = hiddenInputText(refusal.segment);
    sink(
      makeDiagnostic('file-hidden', `suppression file ${file} ${text.message}`, where, {
        hint: text.hint,
      }),
    );
    return undefined;
  }
  if (refusal) {
    sink(
      makeDiagnostic(
        'file-outside-workspace',
        `suppression file ${file} is outside the workspace`,
        where,
        {
          hint: "suppression files live under the config file's folder or the current directory; allow another place with --allow-outside PATH (or allowOutside: in the config)",
        },
      ),
    );
    return undefined;
  }
  // Never blocks on a FIFO or reads a device.
  const opened = await openRegularFile(absolute);
  if ('refusal' in opened) {
    const missing = opened.refusal.reason === 'missing';
    sink(
      makeDiagnostic(
        missing ? 'suppressions-file-not-found' : 'file-not-regular',
        `suppression file ${file} ${opened.refusal.message}`,
        where,
        {
          hint: missing
            ? 'paths in `suppressions:` are relative to the config file'
            : 'a suppression file is a regular CSV or NDJSON file',
        },
      ),
    );
    return undefined;
  }
  if (opened.size > MAX_SUPPRESSION_FILE_BYTES) {
    await opened.handle.close();
    sink(
      makeDiagnostic(
        'file-too-large',
        `suppression file ${file} is ${(opened.size / 2 ** 20).toFixed(0)} MiB; a suppression file may be at most 128 MiB`,
        where,
        {
          hint: 'split it into several files, or keep the list in the PostgreSQL state (waspec suppress import)',
        },
      ),
    );
    return undefined;
  }
  return opened.handle;
}

/**
 * Adds the numbers of one suppression file (CSV with a phoneNumber column and optional reason and
 * date columns, or NDJSON) to `into`. Numbers are normalised as recipients are; one that is not a
 * valid number is an error (it would suppress no one) and is not added.
 */
export async function readSuppressionFile(
  absolute: string,
  into: Map<string, Suppression>,
  sink: DiagnosticSink,
  options: SuppressionFileOptions = {},
): Promise<void> {
  const file = displayFile(absolute);
  const ext = path.extname(absolute).toLowerCase();
  if (ext !== '.csv' && ext !== '.ndjson' && ext !== '.jsonl') {
    sink(
      makeDiagnostic(
        'recipients-format',
        `cannot tell the format of the suppression file ${file}`,
        options.where ?? { file },
        { hint: 'use .csv, .ndjson or .jsonl' },
      ),
    );
    return;
  }
  const handle = await openSuppressionFile(absolute, file, options, sink);
  if (!handle) return;
  try {
    await addRows(
      ext === '.csv' ? csvRows(handle, file, sink) : ndjsonRows(handle, file, sink),
      file,
      into,
      sink,
      options.defaultCountry,
    );
  } finally {
    await handle.close();
  }
}

async function addRows(
  rows: AsyncIterable<Row[]>,
  file: string,
  into: Map<string, Suppression>,
  sink: DiagnosticSink,
  defaultCountry: string | undefined,
): Promise<void> {
  // Lines without reason or date share one record: a million of them stay small.
  const plain: Suppression = { source: file };
  let invalid = 0;
  for await (const batch of rows) {
    for (const row of batch) {
      const number = suppressedNumber(row.phoneNumber, defaultCountry);
      if (number === undefined) {
        if (++invalid <= MAX_INVALID_REPORTED)
          sink(
            makeDiagnostic(
              'suppression-invalid',
              `${file}: ${quoteInput(row.phoneNumber)} ${notValid(defaultCountry)}: it would suppress no one`,
              { file, line: row.line, column: 0 },
              { hint: SUPPRESSION_HINT },
            ),
          );
        continue;
      }
      if (into.has(number)) continue; // the first listing's reason stands
      if (row.reason === undefined && row.date === undefined) into.set(number, plain);
      else
        into.set(number, {
          source: file,
          ...(row.reason === undefined ? {} : { reason: row.reason }),
          ...(row.date === undefined ? {} : { date: row.date }),
        });
    }
  }
  if (invalid > MAX_INVALID_REPORTED) {
    const more = invalid - MAX_INVALID_REPORTED;
    sink(
      makeDiagnostic(
        'suppression-invalid',
        `${file}: ${more.toLocaleString('en-US')} more ${more === 1 ? 'number is' : 'numbers are'} not valid international numbers`,
        { file },
        { hint: SUPPRESSION_HINT },
      ),
    );
  }
}

/**
 * A number as the suppression list keeps it: normalised exactly as recipients are (a national
 * number with the config's `recipients.defaultCountry`); undefined when it is not a valid number,
 * which is an error: kept as written it would match no recipient and suppress no one.
 */
export function suppressedNumber(raw: string, defaultCountry?: string): string | undefined {
  return normalizePhoneNumber(raw, defaultCountry?.toUpperCase());
}

/** "is not a valid …" for a number suppressedNumber refused. */
export function notValid(defaultCountry: string | undefined): string {
  return defaultCountry === undefined
    ? 'is not a valid international number'
    : `is not a valid international number nor a national number of ${defaultCountry.toUpperCase()}`;
}

export const SUPPRESSION_HINT =
  'write numbers in international format (+41 79 302 67 27); national ones (079 302 67 27) need recipients.defaultCountry in the config (or --default-country)';

/** Invalid numbers reported one by one per file; the rest are counted in one line. */
const MAX_INVALID_REPORTED = 10;
