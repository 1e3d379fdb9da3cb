import { makeDiagnostic, type DiagnosticSink } from '../diagnostics/diagnostic.js';
import { mapSchemaError, parsePointer } from '../diagnostics/schema-error.js';
import { resolveRecipientBatches } from '../recipients/resolve-recipients.js';
import { createRenderer } from '../render/render-message.js';
import type { SpecDocument } from '../spec/types.js';
import { contentHashOf } from './identity.js';
import type { CompiledMessage, MessageContent } from './types.js';
import { validateRequestBody } from './validate-request.js';

/** Distinct contents remembered per spec; beyond it, old ones are re-validated if seen again. */
const CONTENT_CACHE = 1000;
/** Problems of one kind reported per spec before they are summed up. */
const REPORT_LIMIT = 20;

const PROBE_DESTINATION = [{ messageId: 'probe', to: { phoneNumber: '41793026727' } }];

/**
 * Streams one compiled message per valid recipient: rendered, checked against
 * schemas/request.schema.json, with its deterministic messageId and content hash.
 * Problems go to `sink` with positions in the spec or recipient file.
 */
export async function* compileSpec(
  doc: SpecDocument,
  sink: DiagnosticSink,
): AsyncIterable<CompiledMessage> {
  for await (const batch of compileSpecBatches(doc, sink)) yield* batch;
}

/** compileSpec in batches: one await per batch rather than per message (large recipient files). */
export async function* compileSpecBatches(
  doc: SpecDocument,
  sink: DiagnosticSink,
): AsyncIterable<CompiledMessage[]> {
  const { spec } = doc;
  const renderer = createRenderer(doc);
  renderer.diagnostics.forEach(sink);
  if (renderer.diagnostics.length > 0) return;

  const counts = new Map<string, number>();
  const report: DiagnosticSink = (d) => {
    const n = (counts.get(d.code) ?? 0) + 1;
    counts.set(d.code, n);
    if (n <= REPORT_LIMIT || d.severity === 'warning') sink(d);
  };
  // Validated contents; cleared when full (personalised messages never repeat, shared ones refill it).
  const cache = new Map<string, { content: MessageContent; valid: boolean }>();
  let recipients = 0;

  for await (const batch of resolveRecipientBatches(doc, sink)) {
    const out: CompiledMessage[] = [];
    for (const recipient of batch) {
      recipients++;
      const rendered = renderer.render(recipient);
      if (!rendered.whatsApp) {
        rendered.diagnostics.forEach(report);
        continue;
      }
      const content: MessageContent = { whatsApp: rendered.whatsApp };
      if (spec.sendAt !== undefined) content.sendAt = spec.sendAt;
      if (spec.scenarioKey !== undefined) content.scenarioKey = spec.scenarioKey;
      const contentHash = contentHashOf(content);
      let known = cache.get(contentHash);
      if (!known) {
        const errors = validateRequestBody({
          bulkId: 'probe',
          destinations: PROBE_DESTINATION,
          ...content,
        });
        for (const error of errors) {
          const mapped = mapSchemaError(error);
          if (!mapped) continue;
          const origin = `${recipient.phoneNumber} (${recipient.origin.file}:${recipient.origin.line + 1})`;
          report(
            makeDiagnostic(
              mapped.code === 'schema-invalid' ? 'request-invalid' : mapped.code,
              `${mapped.message} in the message for ${origin}`,
              doc.locate(parsePointer(error.instancePath)),
            ),
          );
        }
        known = { content, valid: errors.length === 0 };
        if (cache.size >= CONTENT_CACHE) cache.clear();
        cache.set(contentHash, known);
      }
      if (!known.valid) continue;
      out.push({
        spec: spec.name,
        revision: spec.revision,
        messageId: recipient.messageId,
        phoneNumber: recipient.phoneNumber,
        contentHash,
        content: known.content,
        origin: recipient.origin,
      });
    }
    if (out.length > 0) yield out;
  }
  for (const [code, n] of counts) {
    if (n > REPORT_LIMIT && code !== 'phone-duplicate') {
      sink(
        makeDiagnostic(
          'request-invalid',
          `${n - REPORT_LIMIT} more recipients of ${spec.name} have the problem '${code}' (not listed)`,
          doc.locate(['recipients']),
        ),
      );
    }
  }
  if (recipients === 0) {
    sink(
      makeDiagnostic(
        'recipients-empty',
        `${spec.name} has no valid recipients`,
        doc.locate(['recipients']),
        { severity: 'warning' },
      ),
    );
  }
}
