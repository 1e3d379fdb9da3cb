import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SpecDocument } from '../message-spec/types.js';

/** The docs named by --target (all when none); unknown names are target-not-found errors. */
export function selectTargets(
  docs: SpecDocument[],
  targets: string[],
  diagnostics: Diagnostic[],
): SpecDocument[] {
  if (targets.length === 0) return docs;
  const names = new Set(docs.map((d) => d.spec.name));
  for (const t of targets) {
    if (!names.has(t)) {
      const known = [...names].sort().join(', ') || 'none';
      diagnostics.push(
        makeDiagnostic(
          'target-not-found',
          `--target ${t} names no spec.`,
          {},
          { hint: `Spec names: ${known}.` },
        ),
      );
    }
  }
  return docs.filter((d) => targets.includes(d.spec.name));
}

/** sendAt must be in the future relative to `now`. */
export function checkSendAt(doc: SpecDocument, now: Date, diagnostics: Diagnostic[]): void {
  const sendAt = doc.spec.sendAt;
  if (sendAt === undefined) return;
  const at = Date.parse(sendAt);
  if (Number.isNaN(at) || at > now.getTime()) return; // an invalid date is loadSpec's to report
  diagnostics.push(
    makeDiagnostic(
      'send-at-past',
      `sendAt ${sendAt} is in the past (now is ${now.toISOString()}).`,
      doc.locate(['sendAt']),
      {
        hint: 'Set a future time, or remove sendAt to send right away.',
      },
    ),
  );
}
