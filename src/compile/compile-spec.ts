import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import type { SpecDocument } from '../spec/types.js';
import type { CompiledMessage } from './types.js';

/**
 * Streams one compiled message per valid recipient: rendered, checked against
 * schemas/request.schema.json, with its deterministic messageId and content hash.
 * Problems go to `sink` with positions in the spec or recipient file.
 */
export async function* compileSpec(
  doc: SpecDocument,
  sink: DiagnosticSink,
): AsyncIterable<CompiledMessage> {
  throw new Error(`compileSpec is not built yet (${doc.file}, ${typeof sink})`);
}
