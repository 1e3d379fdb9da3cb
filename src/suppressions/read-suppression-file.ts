import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { makeDiagnostic, type DiagnosticSink } from '../diagnostics/diagnostic.js';
import { openRegularFile } from '../files/open-regular-file.js';
import { normalizePhoneNumber } from '../recipients/phone.js';
import { readCsv } from '../recipients/read-csv.js';
import { displayFile } from '../spec/load-spec.js';
import type { Suppression } from './types.js';

interface Row {
  phoneNumber: string;
  reason?: string;
  date?: string;
  line: number;
}

/** Untrusted text shown in plans (the formatters reveal control characters): length bounded. */
function bounded(value: string): string {
  return value.length > 200 ? `${value.slice(0, 200)}…` : value;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? bounded(value.trim()) : undefined);

/** NDJSON / JSONL: one {phoneNumber, reason?, date?} per line. */
async function* readNdjsonRows(absolute: string, file: string, sink: DiagnosticSink): AsyncIterable<Row[]> {
  const lines = createInterface({ input: createReadStream(absolute), crlfDelay: Infinity });
  let line = -1;
  const batch: Row[] = [];
  for await (const raw of lines) {
    line++;
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      sink(makeDiagnostic('json-syntax', `${file}: ${(error as Error).message}`, { file, line, column: 0 }));
      continue;
    }
    const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? new Map(Object.entries(value)) : undefined;
    const phone = record?.get('phoneNumber');
    if (typeof phone !== 'string') {
      sink(makeDiagnostic('suppression-invalid', `${file}: each line must be an object with a phoneNumber string`, { file, line, column: 0 }));
      continue;
    }
    batch.push({ phoneNumber: phone, line, ...optional(record?.get('reason'), record?.get('date')) });
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

async function* csvRows(absolute: string, file: string, sink: DiagnosticSink): AsyncIterable<Row[]> {
  // Never blocks on a FIFO or reads a device.
  const opened = await openRegularFile(absolute);
  if ('refusal' in opened) {
    sink(makeDiagnostic('file-not-regular', `suppression file ${file} ${opened.refusal.message}`, { file }));
    return;
  }
  try {
    for await (const batch of readCsv(opened.handle, file, sink)) {
      yield batch.map((r) => ({ phoneNumber: r.phoneNumber, line: r.line, ...optional(r.vars.reason, r.vars.date) }));
    }
  } finally {
    await opened.handle.close();
  }
}

/**
 * Adds the numbers of one suppression file (CSV with a phoneNumber column and optional reason and
 * date columns, or NDJSON) to `into`. Numbers are normalised as recipients are; one that is not a
 * valid number is a warning and kept as digits, since keeping it can only suppress more.
 */
export async function readSuppressionFile(absolute: string, into: Map<string, Suppression>, sink: DiagnosticSink): Promise<void> {
  const file = displayFile(absolute);
  const ext = path.extname(absolute).toLowerCase();
  if (ext !== '.csv' && ext !== '.ndjson' && ext !== '.jsonl') {
    sink(makeDiagnostic('recipients-format', `cannot tell the format of the suppression file ${file}`, { file }, { hint: 'use .csv, .ndjson or .jsonl' }));
    return;
  }
  try {
    if (!(await stat(absolute)).isFile()) throw new Error('not a file');
  } catch {
    sink(makeDiagnostic('suppressions-file-not-found', `suppression file ${file} does not exist or is not a regular file`, { file }, { hint: 'paths in `suppressions:` are relative to the config file' }));
    return;
  }
  const rows = ext === '.csv' ? csvRows(absolute, file, sink) : readNdjsonRows(absolute, file, sink);
  // Lines without reason or date share one record: a million of them stay small.
  const plain: Suppression = { source: file };
  let invalid = 0;
  for await (const batch of rows) {
    for (const row of batch) {
      let number = normalizePhoneNumber(row.phoneNumber);
      if (number === undefined) {
        number = row.phoneNumber.replace(/\D/g, '').replace(/^00/, '');
        if (++invalid <= MAX_INVALID_REPORTED) sink(
          makeDiagnostic('suppression-invalid', `${file}: ${bounded(row.phoneNumber.slice(0, 40))} is not a valid international number; suppressed as ${number || '(nothing)'}`, { file, line: row.line, column: 0 }, {
            severity: 'warning',
            hint: 'write numbers in international format, e.g. +41 79 302 67 27',
          }),
        );
        if (number === '') continue;
      }
      if (into.has(number)) continue; // the first listing's reason stands
      if (row.reason === undefined && row.date === undefined) into.set(number, plain);
      else into.set(number, { source: file, ...(row.reason === undefined ? {} : { reason: row.reason }), ...(row.date === undefined ? {} : { date: row.date }) });
    }
  }
  if (invalid > MAX_INVALID_REPORTED) {
    const more = invalid - MAX_INVALID_REPORTED;
    sink(makeDiagnostic('suppression-invalid', `${file}: ${more.toLocaleString('en-US')} more ${more === 1 ? 'number is' : 'numbers are'} not valid international numbers (suppressed as written)`, { file }, { severity: 'warning' }));
  }
}

/** Invalid numbers reported one by one per file; the rest are counted in one line. */
const MAX_INVALID_REPORTED = 10;
