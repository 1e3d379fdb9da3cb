/** Replaces every secret in `text` (also URL-encoded) with a marker. */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)]))
      out = out.split(form).join('[redacted]');
  }
  return out;
}

/** API answer text kept (in the journal, in errors) at most, after redaction. */
export const MAX_REASON_CHARS = 300;

/** Redacts `text`, then cuts it to MAX_REASON_CHARS. */
export function redactAndCut(text: string, secrets: ReadonlyArray<string | undefined>): string {
  const redacted = redactSecrets(text, secrets);
  return redacted.length > MAX_REASON_CHARS ? `${redacted.slice(0, MAX_REASON_CHARS)}…` : redacted;
}
