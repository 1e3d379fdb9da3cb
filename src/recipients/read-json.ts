import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { makeDiagnostic, type DiagnosticSink } from '../diagnostics/diagnostic.js';
import type { Vars } from '../spec/types.js';
import type { RawRecipient } from './read-csv.js';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Checks one {phoneNumber, vars?} object; a string for what is wrong. */
function toRaw(value: unknown, line: number): RawRecipient | string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'each recipient must be an object {phoneNumber, vars}';
  const entries = Object.entries(value);
  const phone = entries.find(([k]) => k === 'phoneNumber')?.[1];
  if (typeof phone !== 'string' && typeof phone !== 'number') return 'phoneNumber is missing or not a string';
  const vars: Vars = Object.create(null) as Vars;
  for (const [key, v] of entries) {
    if (key === 'phoneNumber') continue;
    if (key !== 'vars') return `unknown field '${key}' (expected phoneNumber and vars)`;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return 'vars must be an object';
    for (const [name, varValue] of Object.entries(v)) {
      if (FORBIDDEN.has(name)) return `the variable name '${name}' is not allowed`;
      vars[name] = varValue;
    }
  }
  return { phoneNumber: String(phone), vars, line };
}

const BATCH = 512;

/** NDJSON / JSONL: one {phoneNumber, vars?} object per line, streamed in batches. */
export async function* readNdjson(absolutePath: string, file: string, sink: DiagnosticSink): AsyncIterable<RawRecipient[]> {
  const lines = createInterface({ input: createReadStream(absolutePath), crlfDelay: Infinity });
  let line = -1;
  let batch: RawRecipient[] = [];
  for await (const text of lines) {
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      sink(makeDiagnostic('json-syntax', `${file}: ${(error as Error).message}`, { file, line, column: 0 }));
      continue;
    }
    const raw = toRaw(value, line);
    if (typeof raw === 'string') sink(makeDiagnostic('recipient-invalid', `${file}: ${raw}`, { file, line, column: 0 }));
    else batch.push(raw);
  }
  if (batch.length > 0) yield batch;
}

/** A JSON array of {phoneNumber, vars?}; read whole, so keep big lists in CSV or NDJSON. */
export async function* readJsonArray(absolutePath: string, file: string, sink: DiagnosticSink): AsyncIterable<RawRecipient[]> {
  const text = await readFile(absolutePath, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    const before = text.slice(0, offset).split('\n');
    sink(makeDiagnostic('json-syntax', `${file}: ${message}`, { file, line: before.length - 1, column: before.at(-1)?.length ?? 0 }));
    return;
  }
  if (!Array.isArray(value)) {
    sink(makeDiagnostic('recipient-invalid', `${file} must hold a JSON array of {phoneNumber, vars}`, { file, line: 0, column: 0 }));
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
    if (typeof raw === 'string') sink(makeDiagnostic('recipient-invalid', `${file}[${index}]: ${raw}`, { file, line: keyLines[index] ?? 0, column: 0 }));
    else rows.push(raw);
  }
  yield rows;
}
