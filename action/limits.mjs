// Cutting text to what GitHub accepts: a comment body (65,536 characters) and a step summary
// (1 MiB per step). Cuts fall on a line break, with a note saying where the rest is.

/** A pull request comment's body at most (GitHub's limit is 65,536 characters; room for the marker). */
export const MAX_COMMENT_CHARS = 65_000;
/** A step summary at most (GitHub's limit is 1 MiB per step). */
export const MAX_SUMMARY_BYTES = 1_000_000;

/**
 * `text` cut at a line break so that it and `note` fit in `max` units as `measure` counts them;
 * the text itself when it fits.
 * @param {string} text
 * @param {number} max
 * @param {string} note
 * @param {(s: string) => number} measure
 * @returns {string}
 */
function cutAtLine(text, max, note, measure) {
  if (measure(text) <= max) return text;
  const budget = max - measure(note) - 1;
  let low = 0;
  let high = text.length;
  // The longest prefix that fits (measure grows with length), then back to its last line break.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (measure(text.slice(0, mid)) <= budget) low = mid;
    else high = mid - 1;
  }
  const end = text.lastIndexOf('\n', low);
  return `${text.slice(0, end > 0 ? end : 0)}\n${note}`;
}

/**
 * @param {string} text
 * @param {string} note
 */
export function cutComment(text, note, max = MAX_COMMENT_CHARS) {
  // Code points, not UTF-16 units, are what GitHub counts; length over-counts, which is safe.
  return cutAtLine(text, max, note, (s) => s.length);
}

/**
 * @param {string} text
 * @param {string} note
 */
export function cutSummary(text, note, max = MAX_SUMMARY_BYTES) {
  return cutAtLine(text, max, note, (s) => Buffer.byteLength(s, 'utf8'));
}

/**
 * A fenced code block around `text` that no backtick run inside it can close.
 * @param {string} text
 * @param {string} language
 */
export function fence(text, language = 'text') {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}${language}\n${text.replace(/\n$/, '')}\n${marks}\n`;
}
