import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import type { SpecDocument } from '../spec/types.js';
import type { Recipient } from './types.js';

/**
 * Streams a spec's recipients (inline, CSV, JSON, NDJSON) normalised, de-duplicated
 * (a duplicate is reported as a warning and yielded once), invalid ones reported and skipped.
 */
export async function* resolveRecipients(
  doc: SpecDocument,
  sink: DiagnosticSink,
): AsyncIterable<Recipient> {
  throw new Error(`resolveRecipients is not built yet (${doc.file}, ${typeof sink})`);
}

/** Absolute paths of the recipient files a spec references (for digests and watching). */
export function recipientFiles(doc: SpecDocument): string[] {
  throw new Error(`recipientFiles is not built yet (${doc.file})`);
}
