import { mediaFieldsOf, type MediaCheck } from '../api/media-limits.js';
import type { WhatsApp } from '../api/types.js';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SpecDocument } from '../message-spec/types.js';

/** Failing URLs reported per spec field before the rest is summed up. */
const SHOWN = 5;

/**
 * Checks every distinct media URL of the messages (each fetched once by `check`), each failure a
 * diagnostic at the spec's line of the field that gives the URL.
 */
export async function checkMediaUrls(
  messages: Iterable<{ doc: SpecDocument; whatsApp: WhatsApp }>,
  check: MediaCheck,
): Promise<Diagnostic[]> {
  // By spec and field: the distinct URLs it gives (a URL made of variables gives many).
  const fields = new Map<
    string,
    {
      doc: SpecDocument;
      path: readonly (string | number)[];
      kind: Parameters<MediaCheck>[1];
      urls: Set<string>;
    }
  >();
  for (const { doc, whatsApp } of messages)
    for (const field of mediaFieldsOf(whatsApp)) {
      const key = `${doc.spec.name}\u0000${field.path.join('.')}`;
      let entry = fields.get(key);
      if (!entry)
        fields.set(key, (entry = { doc, path: field.path, kind: field.kind, urls: new Set() }));
      entry.urls.add(field.url);
    }
  const out: Diagnostic[] = [];
  for (const { doc, path, kind, urls } of fields.values()) {
    const verdicts = await Promise.all(
      [...urls].map(async (url) => ({ url, verdict: await check(url, kind) })),
    );
    const failed = verdicts.filter((v) => !v.verdict.ok);
    const where = doc.locate(path);
    for (const { url, verdict } of failed.slice(0, SHOWN)) {
      if (verdict.ok) continue;
      const named = urls.size > 1 ? ` (${url})` : '';
      out.push(
        makeDiagnostic(
          'media-check',
          `${verdict.message}${named}`,
          where,
          verdict.hint ? { hint: verdict.hint } : {},
        ),
      );
    }
    if (failed.length > SHOWN)
      out.push(
        makeDiagnostic(
          'media-check',
          `${failed.length - SHOWN} more ${kind} URLs of this field fail their check`,
          where,
        ),
      );
  }
  return out;
}
