/* eslint-disable no-misleading-character-class -- each listed character is matched alone, joiners and combining marks too */
/**
 * Characters a reviewer cannot see or that a terminal, a Markdown table or a browser interprets:
 * C0 controls but newline and tab, DEL, C1 controls, zero-width characters, bidi controls, line
 * and paragraph separators, the soft hyphen and invisible fillers. A zero-width joiner between
 * two emoji (👨‍👩‍👧) is how families and flags are written, so that one is left alone.
 */
export const INVISIBLE =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB]/gu;
const ANY_INVISIBLE = new RegExp(INVISIBLE.source, 'u');
const ZWJ_BETWEEN_EMOJI =
  /(?<=\p{Extended_Pictographic}\uFE0F?)\u200D(?=\p{Extended_Pictographic})/u;

/** Whether a text holds an invisible character: a quick test before replacing or listing them. */
export function hasInvisible(text: string): boolean {
  return ANY_INVISIBLE.test(text);
}

/** Characters that change how the rest of a line looks (ESC sequences, bidi overrides and isolates). */
const DECEPTIVE = /[\u001B\u202A-\u202E\u2066-\u2069]/u;

const NAMES: Record<string, string> = { '\r': '\\r', '\u001B': '\\e' };

/** How one invisible character is shown: `\r`, `\e` (ESC), or `\u{202E}`. */
export function describeInvisible(ch: string): string {
  return (
    NAMES[ch] ?? `\\u{${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}}`
  );
}

/** Whether the invisible character at `offset` is a zero-width joiner inside an emoji sequence. */
export function isEmojiJoiner(ch: string, offset: number, text: string): boolean {
  return ch === '\u200D' && ZWJ_BETWEEN_EMOJI.test(text.slice(Math.max(0, offset - 3), offset + 3));
}

/** The distinct invisible characters of a text as shown (`\e`, `\u{202E}`), and whether one is deceptive. */
export function findInvisible(text: string): { found: string[]; deceptive: boolean } {
  if (!ANY_INVISIBLE.test(text)) return { found: [], deceptive: false };
  const found = new Set<string>();
  for (const match of text.matchAll(INVISIBLE)) {
    if (!isEmojiJoiner(match[0], match.index, text)) found.add(describeInvisible(match[0]));
  }
  return { found: [...found], deceptive: DECEPTIVE.test(text) };
}
