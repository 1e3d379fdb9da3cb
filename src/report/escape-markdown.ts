import { revealInvisible } from './reveal-invisible.js';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '|': '&#124;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '\\': '&#92;',
  '#': '&#35;',
  '~': '&#126;',
  '@': '&#64;',
  '!': '&#33;',
};

/**
 * Text from a spec made inert inside a Markdown table cell or HTML block: markup, emphasis,
 * links, @mentions and pipes become entities, newlines become <br>; control and invisible
 * characters are shown escaped (a lone CR would otherwise end the table row).
 */
export function escapeMarkdown(text: string): string {
  return revealInvisible(text)
    .replace(/[&<>|`*_[\]\\#~@!]/g, (ch) => ENTITIES[ch] ?? ch)
    .replace(/\r?\n/g, '<br>');
}
