import {
  describeInvisible,
  hasInvisible,
  INVISIBLE,
  isEmojiJoiner,
} from '../diagnostics/invisible-characters.js';

/**
 * The text with every invisible or control character (ESC, CR, C1, zero-width, bidi controls)
 * replaced by a visible escape such as `\e`, `\r` or `\u{202E}`, so what is printed is what a
 * reviewer reads and no terminal, table or page interprets it. `mark` wraps each escape (an HTML
 * span). Every plan and diagnostic formatter passes user text through this.
 */
export function revealInvisible(
  text: string,
  mark: (escape: string) => string = (escape) => escape,
): string {
  if (!hasInvisible(text)) return text;
  return text.replace(INVISIBLE, (ch: string, offset: number, whole: string) =>
    isEmojiJoiner(ch, offset, whole) ? ch : mark(describeInvisible(ch)),
  );
}

/** revealInvisible, and newlines as `\n` too: for one-line places (diagnostics, annotations, lists). */
export function revealOneLine(text: string, mark?: (escape: string) => string): string {
  const shown = revealInvisible(text, mark);
  return shown.includes('\n') ? shown.replace(/\n/g, mark ? mark('\\n') : '\\n') : shown;
}
