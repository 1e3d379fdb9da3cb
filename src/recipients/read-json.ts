import type { FileHandle } from 'node:fs/promises';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { makeDiagnostic, type DiagnosticSink } from '../diagnostics/diagnostic.js';
import { MAX_NESTING, tooDeep } from '../diagnostics/nesting.js';
import { quoteInput } from '../diagnostics/quote.js';
import { readLines } from '../files/read-lines.js';
import type { Vars } from '../message-spec/types.js';
import type { RawRecipient } from './read-csv.js';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * What JSON.parse found wrong, without the excerpt of the text it quotes (a file that is not
 * JSON, such as a .env, must not be shown): "Unexpected token 'c' (not valid JSON)".
 */
export function jsonSyntaxMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const head = message.split(/,? "| in JSON at /)[0] ?? message;
  return `${quoteInput(head, 60)} (not valid JSON)`;
}

interface Problem {
  code: DiagnosticCode;
  message: string;
}

/** Checks one {phoneNumber, vars?} object; what is wrong, if anything. */
function toRaw(value: unknown, line: number): RawRecipient | Problem {
  const raw = shapeOf(value, line);
  if (typeof raw === 'string') return { code: 'recipient-invalid', message: raw };
  // Rendering and duplicate detection walk vars: a depth bound keeps them off the call stack's limit.
  if (tooDeep(raw.vars))
    return {
      code: 'nesting-too-deep',
      message: `vars are nested more than ${MAX_NESTING} levels deep`,
    };
  return raw;
}

function shapeOf(value: unknown, line: number): RawRecipient | string {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return 'each recipient must be an object {phoneNumber, vars}';
  const entries: Array<[string, unknown]> = Object.entries(value);
  const phone = entries.find(([k]) => k === 'phoneNumber')?.[1];
  if (typeof phone !== 'string' && typeof phone !== 'number')
    return 'phoneNumber is missing or not a string';
  const vars: Vars = Object.create(null) as Vars;
  for (const [key, v] of entries) {
    if (key === 'phoneNumber') continue;
    if (key !== 'vars') return `unknown field '${quoteInput(key)}' (expected phoneNumber and vars)`;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return 'vars must be an object';
    for (const [name, varValue] of Object.entries(v)) {
      if (FORBIDDEN.has(name)) return `the variable name '${name}' is not allowed`;
      vars[name] = varValue;
    }
  }
  return { phoneNumber: String(phone), vars, line };
}

const BATCH = 512;
/** One NDJSON recipient is a few hundred bytes; a line over this is not one. */
export const MAX_NDJSON_LINE_BYTES = 1 << 20;
/** A JSON array is parsed whole: past this size, NDJSON or CSV streams instead. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;
const BOM = /^\uFEFF/;

/** NDJSON / JSONL: one {phoneNumber, vars?} object per line, streamed in batches. */
export async function* readNdjson(
  handle: FileHandle,
  file: string,
  sink: DiagnosticSink,
): AsyncIterable<RawRecipient[]> {
  let line = -1;
  let batch: RawRecipient[] = [];
  for await (const read of readLines(handle, { maxLineBytes: MAX_NDJSON_LINE_BYTES })) {
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
    line++;
    if (read.tooLong) {
      sink(
        makeDiagnostic(
          'json-syntax',
          `${file}: line ${line + 1} is longer than 1 MiB`,
          { file, line, column: 0 },
          { hint: 'NDJSON holds one recipient object per line' },
        ),
      );
      continue;
    }
    const text = read.bytes.toString('utf8');
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line === 0 ? text.replace(BOM, '') : text);
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
    const raw = toRaw(value, line);
    if ('code' in raw)
      sink(makeDiagnostic(raw.code, `${file}: ${raw.message}`, { file, line, column: 0 }));
    else batch.push(raw);
  }
  if (batch.length > 0) yield batch;
}

/** A JSON array of {phoneNumber, vars?}; read whole, so keep big lists in CSV or NDJSON. */
export async function* readJsonArray(
  handle: FileHandle,
  size: number,
  file: string,
  sink: DiagnosticSink,
): AsyncIterable<RawRecipient[]> {
  if (size > MAX_JSON_BYTES) {
    sink(
      makeDiagnostic(
        'file-too-large',
        `${file} is ${(size / 1024 / 1024).toFixed(0)} MiB; a JSON recipient file may be at most 64 MiB`,
        { file, line: 0, column: 0 },
        { hint: 'write big lists as NDJSON (one object per line) or CSV: they are streamed' },
      ),
    );
    return;
  }
  const text = (await handle.readFile('utf8')).replace(BOM, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    const before = text.slice(0, offset).split('\n');
    sink(
      makeDiagnostic('json-syntax', `${file}: ${jsonSyntaxMessage(error)}`, {
        file,
        line: before.length - 1,
        column: before.at(-1)?.length ?? 0,
      }),
    );
    return;
  }
  if (!Array.isArray(value)) {
    sink(
      makeDiagnostic('recipient-invalid', `${file} must hold a JSON array of {phoneNumber, vars}`, {
        file,
        line: 0,
        column: 0,
      }),
    );
    return;
  }
  // Line of the n-th "phoneNumber" key: close enough to point a reader at the element.
  const keyLines: number[] = [];
  let line = 0;
  for (const chunk of text.split('\n')) {
    if (chunk.includes('"phoneNumber"')) keyLines.push(line);
    line++;
  }
  const rows: RawRecipient[] = [];
  for (const [index, item] of value.entries()) {
    const raw = toRaw(item, keyLines[index] ?? 0);
    if ('code' in raw)
      sink(
        makeDiagnostic(raw.code, `${file}[${index}]: ${raw.message}`, {
          file,
          line: keyLines[index] ?? 0,
          column: 0,
        }),
      );
    else rows.push(raw);
  }
  yield rows;
}
