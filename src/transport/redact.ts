const MARKER = '[redacted]';

/** A secret shorter than this is not looked for (it would match ordinary text). */
const MIN_SECRET_CHARS = 4;
/** The part of a base64 encoding that depends on the secret alone is looked for from this length. */
const MIN_BASE64_CHARS = 8;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** A hex digit in either case (percent-encodings and \u escapes may use either). */
const anyCase = (hex: string) =>
  hex.replace(/[a-f]/gi, (d) => `[${d.toLowerCase()}${d.toUpperCase()}]`);

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** JSON's short escapes. */
const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * A pattern for one character written any way an answer may echo it: as is, percent-encoded
 * (either case, `+` for a space), or JSON-escaped.
 */
function charPattern(ch: string): string {
  const ways = new Set([escapeRegExp(ch)]);
  ways.add(
    [...Buffer.from(ch, 'utf8')].map((b) => `%${anyCase(hex(b, 2).toUpperCase())}`).join(''),
  );
  if (ch === ' ') ways.add('\\+');
  const escaped = SHORT_ESCAPES[ch];
  if (escaped) ways.add(escapeRegExp(escaped));
  let units = '';
  for (let i = 0; i < ch.length; i++) units += `\\\\u${anyCase(hex(ch.charCodeAt(i), 4))}`;
  ways.add(units);
  return ways.size === 1 ? escapeRegExp(ch) : `(?:${[...ways].join('|')})`;
}

/** A pattern for `text` with each character written any way charPattern allows. */
// Array.from walks code points: a character outside the BMP is one character, as JSON and UTF-8 encode it.
const textPattern = (text: string) => Array.from(text, charPattern).join('');

/**
 * The parts of the base64 encodings of `secret` that depend on it alone, wherever it starts in
 * the encoded text (3 alignments), in the standard and the URL-safe alphabet: what stays the same
 * when an answer base64-encodes a text holding the secret (an echoed `Bearer …` header).
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes])
      .toString('base64')
      .replace(/=+$/, '');
    // Characters shared with the bytes before and after the secret.
    const head = [0, 2, 3][shift] ?? 0;
    const tail = (shift + bytes.length) % 3 === 0 ? 0 : 1;
    const core = encoded.slice(head, encoded.length - tail);
    if (core.length < MIN_BASE64_CHARS) continue;
    forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

const MAX_PATTERNS = 64;
const patterns = new Map<string, RegExp>();

function patternOf(secret: string): RegExp {
  let pattern = patterns.get(secret);
  if (!pattern) {
    const forms = [secret, ...base64Forms(secret)].map(textPattern);
    pattern = new RegExp(forms.join('|'), 'g');
    if (patterns.size >= MAX_PATTERNS) patterns.clear(); // a long apply renews its token often
    patterns.set(secret, pattern);
  }
  return pattern;
}

/**
 * Replaces every secret in `text` with a marker: as is, percent-encoded, JSON-escaped or
 * base64-encoded (the ways an API answer or an error may echo a token or an app secret). The one
 * place answer text is cleaned before it reaches the journal, PostgreSQL, output or errors.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_CHARS) continue;
    out = out.replace(patternOf(secret), MARKER);
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
