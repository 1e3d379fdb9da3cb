/** Characters of a cell or line of an input file a diagnostic quotes at most. */
export const QUOTE_CHARS = 40;
/** Characters of the raw text looked at before redaction (a secret cut at QUOTE_CHARS is still seen whole). */
const SCAN_CHARS = 400;

const REDACTED = '[redacted]';

// Every pattern is linear: fixed keywords, then one character class without nested repetition.
const AUTHORIZATION = /(authorization["']?\s*[:=]\s*)((?:bearer|basic|token|digest)\s+)?[^\s'"]+/gi;
const ASSIGNED =
  /(token|secret|passw(?:or)?d|pwd|api[-_]?key|credentials?|private[-_]?key|cookie)(["']?\s*[:=]\s*)("[^"\n]*"?|'[^'\n]*'?|[^\s,;&'"]+)/gi;
const SCHEME = /\b(bearer|basic)(\s+)([A-Za-z0-9+/=._~-]{6,})/gi;
const USERINFO = /\/\/[^\s/@]*@/g;
const KNOWN_PREFIX = /(?:gh[pousr]_|github_pat_|xox[abprs]-|sk-|glpat-|AKIA)[A-Za-z0-9_-]{8,}/g;
const RUN = /[A-Za-z0-9+/=_-]{24,}/g;

/** A run of 24+ characters mixing digits, upper and lower case: base64 or a token, not a word. */
function looksRandom(run: string): boolean {
  return /[0-9]/.test(run) && /[a-z]/.test(run) && /[A-Z]/.test(run);
}

/**
 * `text` with what looks like a credential replaced by [redacted]: Authorization headers,
 * `token=…`/`password: …` assignments, bearer/basic schemes, user:password@ in URLs, tokens with
 * a well-known prefix (ghs_, xoxb-, …) and long base64-like runs.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(AUTHORIZATION, `$1$2${REDACTED}`)
    .replace(ASSIGNED, `$1$2${REDACTED}`)
    .replace(SCHEME, (all, scheme: string, space: string, value: string) =>
      /[0-9+/=._~-]/.test(value) || value.length >= 16 ? `${scheme}${space}${REDACTED}` : all,
    )
    .replace(USERINFO, `//${REDACTED}@`)
    .replace(KNOWN_PREFIX, REDACTED)
    .replace(RUN, (run) =>
      // A path (a temporary folder's random name) is judged segment by segment, not as one run.
      run
        .split('/')
        .map((part) => (part.length >= 24 && looksRandom(part) ? REDACTED : part))
        .join('/'),
    );
}

/** `text` cut to `max` characters (… marks the cut) without splitting a surrogate pair. */
export function cutText(text: string, max: number): string {
  const chars = Array.from(text.slice(0, max * 2 + 2));
  return chars.length > max || text.length > max * 2 + 2
    ? `${chars.slice(0, max - 1).join('')}…`
    : text;
}

/**
 * How a diagnostic quotes a cell, a line or a name read from an input file: secrets redacted,
 * line breaks shown as ⏎, at most `max` characters.
 */
export function quoteInput(text: string, max = QUOTE_CHARS): string {
  const redacted = redactSecrets(text.slice(0, SCAN_CHARS)).replace(/\r?\n/g, '⏎');
  return cutText(redacted, max);
}
