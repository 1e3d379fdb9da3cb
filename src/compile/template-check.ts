import type { WhatsApp } from '../api/types.js';
import { checkTemplateMessage } from '../catalogue/check-template.js';
import { templateKey, type Catalogue } from '../catalogue/types.js';
import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import type { Recipient } from '../recipients/types.js';
import type { SpecDocument } from '../message-spec/types.js';

/** (name, language) pairs remembered as checked; beyond it the set starts again (checks are cheap). */
const CHECKED_LIMIT = 1000;

/**
 * Checks a spec's template messages against the catalogue. A literal templateName and language
 * are checked once, now, against the spec itself; names or languages made of variables are
 * checked per distinct rendered pair (reported through `report`, which sums up repeats).
 * Returns the per-message check.
 */
export function createTemplateCheck(
  doc: SpecDocument,
  catalogue: Catalogue,
  sink: DiagnosticSink,
  report: DiagnosticSink,
): ((whatsApp: WhatsApp, recipient: Recipient) => void) | undefined {
  const { whatsApp } = doc.spec;
  if (whatsApp.templateName === undefined || whatsApp.language === undefined) return undefined;
  const dynamic = `${whatsApp.templateName}${whatsApp.language}`.includes('{{');
  if (!dynamic) {
    checkTemplateMessage(whatsApp, catalogue, doc.locate).forEach(sink);
    return undefined;
  }
  const checked = new Set<string>();
  return (rendered, recipient) => {
    const key = templateKey(rendered.templateName ?? '', rendered.language ?? '');
    if (checked.has(key)) return;
    if (checked.size >= CHECKED_LIMIT) checked.clear();
    checked.add(key);
    const context = `, as rendered for the first recipient with it, ${recipient.phoneNumber} (${recipient.origin.file}:${recipient.origin.line + 1})`;
    checkTemplateMessage(rendered, catalogue, doc.locate, context).forEach(report);
  };
}
