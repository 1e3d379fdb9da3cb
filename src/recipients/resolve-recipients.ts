import path from 'node:path';
import { makeDiagnostic, type DiagnosticSink } from '../diagnostics/diagnostic.js';
import { registerInputFile } from '../files/input-files.js';
import { isInsideRoots } from '../files/inside-workspace.js';
import { openRegularFile } from '../files/open-regular-file.js';
import { displayFile } from '../spec/load-spec.js';
import type { RecipientFileRef, SpecDocument } from '../spec/types.js';
import { duplicateDiagnostic, varsHash, whereTag } from './duplicates.js';
import type { Identified } from './identify.js';
import { identifyBatch, warmUpIdentifyWorker } from './phone-pool.js';
import { PhoneSet } from './phone-set.js';
import { readCsv, type RawRecipient } from './read-csv.js';
import { readJsonArray, readNdjson } from './read-json.js';
import type { Recipient } from './types.js';

const WARM_UP_BYTES = 64 * 1024;

const FORMATS: Record<string, 'csv' | 'json' | 'ndjson'> = { '.csv': 'csv', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson' };

function resolveFile(doc: SpecDocument, ref: RecipientFileRef): string {
  return path.resolve(path.dirname(doc.absolutePath), ref.file);
}

/** Absolute paths of the recipient files a spec references (for digests and watching). */
export function recipientFiles(doc: SpecDocument): string[] {
  return doc.spec.recipients.flatMap((entry) => ('file' in entry ? [resolveFile(doc, entry)] : []));
}

async function* fileRecipients(doc: SpecDocument, ref: RecipientFileRef, index: number, sink: DiagnosticSink): AsyncIterable<RawRecipient[]> {
  const absolute = resolveFile(doc, ref);
  const file = displayFile(absolute);
  const format = ref.format ?? FORMATS[path.extname(ref.file).toLowerCase()];
  const where = doc.locate(['recipients', index, 'file']);
  if (!format) {
    sink(makeDiagnostic('recipients-format', `cannot tell the format of ${ref.file}`, where, { hint: 'use .csv, .json, .ndjson or .jsonl, or set format:' }));
    return;
  }
  // The spec's folder tree or the current directory; anything else only when allowed by name.
  const roots = [path.dirname(doc.absolutePath), process.cwd(), ...(doc.allowOutside ?? [])];
  if (!(await isInsideRoots(absolute, roots))) {
    sink(makeDiagnostic('file-outside-workspace', `recipient file ${ref.file} is outside the workspace`, where, {
      hint: "recipient files live beside the spec or under the current directory; allow another place with --allow-outside PATH (or allowOutside: in the config)",
    }));
    return;
  }
  const opened = await openRegularFile(absolute);
  if ('refusal' in opened) {
    const missing = opened.refusal.reason === 'missing';
    sink(makeDiagnostic(missing ? 'recipients-file-not-found' : 'file-not-regular', `recipient file ${file} ${opened.refusal.message}`, where, {
      hint: missing ? 'paths are relative to the spec file' : 'a recipient file is a regular CSV, JSON or NDJSON file',
    }));
    return;
  }
  const { handle, size } = opened;
  registerInputFile(absolute);
  // Over 64 KiB (a few thousand rows) the worker pays for itself: start it while the file is read.
  if (size > WARM_UP_BYTES) warmUpIdentifyWorker();
  try {
    yield* format === 'csv' ? readCsv(handle, file, sink) : format === 'json' ? readJsonArray(handle, size, file, sink) : readNdjson(handle, file, sink);
  } finally {
    await handle.close();
  }
}

/**
 * Batches whose numbers are being normalised while the next ones are read: enough to keep the
 * worker busy, few enough that rows in flight do not outlive the young generation.
 */
const LOOKAHEAD = 4;

/** Batches of a spec's recipients, normalised and de-duplicated; invalid ones reported and skipped. */
export async function* resolveRecipientBatches(doc: SpecDocument, sink: DiagnosticSink): AsyncIterable<Recipient[]> {
  const seen = new PhoneSet();
  const fileOf = (index: number): string => {
    const entry = doc.spec.recipients[index];
    return entry && 'file' in entry ? displayFile(resolveFile(doc, entry)) : doc.file;
  };
  const firstAt = (index: number, line: number) => (line < 0 ? doc.locate(['recipients', index, 'phoneNumber']) : { file: fileOf(index), line, column: 0 });
  const finish = (rows: RawRecipient[], { phoneNumbers, messageIds }: Identified, index: number, file: string): Recipient[] => {
    const out: Recipient[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as RawRecipient;
      const origin = row.line < 0 ? doc.locate(['recipients', index, 'phoneNumber']) : { file, line: row.line, column: 0 };
      const phoneNumber = phoneNumbers[i];
      const messageId = messageIds[i];
      if (!phoneNumber || !messageId) {
        sink(makeDiagnostic('phone-invalid', `'${row.phoneNumber}' is not a valid international phone number`, origin, {
          hint: 'write it with its country code, e.g. +41 79 302 67 27',
        }));
        continue;
      }
      const hash = varsHash(row.vars);
      const first = seen.addTagged(phoneNumber, { where: whereTag(index, row.line), hash });
      if (first) {
        sink(duplicateDiagnostic(phoneNumber, doc.spec.name, first, { origin, hash }, firstAt));
        continue;
      }
      out.push({ phoneNumber, messageId, vars: row.vars, origin });
    }
    return out;
  };
  for (const [index, entry] of doc.spec.recipients.entries()) {
    const file = 'file' in entry ? displayFile(resolveFile(doc, entry)) : doc.file;
    const batches: AsyncIterable<RawRecipient[]> | RawRecipient[][] =
      'file' in entry ? fileRecipients(doc, entry, index, sink) : [[{ phoneNumber: entry.phoneNumber, vars: entry.vars ?? {}, line: -1 }]];
    const ahead: Array<{ rows: RawRecipient[]; identified: Promise<Identified> }> = [];
    const next = async () => {
      const { rows, identified } = ahead.shift()!;
      return finish(rows, await identified, index, file);
    };
    for await (const rows of batches) {
      ahead.push({ rows, identified: identifyBatch({ numbers: rows.map((r) => r.phoneNumber), spec: doc.spec.name, revision: doc.spec.revision }) });
      if (ahead.length < LOOKAHEAD) continue;
      const out = await next();
      if (out.length > 0) yield out;
    }
    while (ahead.length > 0) {
      const out = await next();
      if (out.length > 0) yield out;
    }
  }
}

/**
 * Streams a spec's recipients (inline, CSV, JSON, NDJSON) normalised, de-duplicated
 * (a duplicate is reported as a warning and yielded once), invalid ones reported and skipped.
 */
export async function* resolveRecipients(doc: SpecDocument, sink: DiagnosticSink): AsyncIterable<Recipient> {
  for await (const batch of resolveRecipientBatches(doc, sink)) yield* batch;
}
