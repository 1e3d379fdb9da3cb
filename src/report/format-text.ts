import { revealInvisible } from './reveal-invisible.js';

const entities = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const markInvisible = (escape: string) => `<span class="invisible">${escape}</span>`;

/**
 * Escapes text for HTML content and attribute values: control and invisible characters shown
 * escaped, newlines as an entity (no line of the page starts with text from a spec).
 */
export function escapeHtml(text: string): string {
  return revealInvisible(entities(text)).replace(/\n/g, '&#10;');
}

/**
 * WhatsApp's own formatting (*bold*, _italic_, ~strike~, ```mono```, line breaks) applied AFTER
 * escaping, so a message can never inject markup: only these tags are ever produced.
 */
export function formatWhatsAppText(text: string): string {
  const parts = revealInvisible(entities(text), markInvisible).split(/```([\s\S]*?)```/g);
  return parts
    .map((part, i) => (i % 2 === 1 ? `<code>${part}</code>` : applyMarkers(part)))
    .join('')
    .replace(/\n/g, '<br>');
}

const MARKERS: ReadonlyArray<[string, string]> = [
  ['*', 'strong'],
  ['_', 'em'],
  ['~', 's'],
];

/**
 * A marker pair formats when it is not inside a word and its text neither starts nor ends with a
 * space, as on the phone (`2*3*4` and `* x *` stay as typed; `*_both_*` nests).
 */
function applyMarkers(text: string): string {
  return MARKERS.reduce((out, [mark, tag]) => {
    const m = `\\${mark}`;
    const pattern = new RegExp(
      `(^|[^\\w${m}])${m}([^\\s${m}](?:[^${m}\\n]*[^\\s${m}])?)${m}(?![\\w${m}])`,
      'g',
    );
    return out.replace(pattern, `$1<${tag}>$2</${tag}>`);
  }, text);
}

/** A link only for http(s) URLs; anything else (javascript:, data:) stays text. */
export function formatUrl(url: string): string {
  const safe = escapeHtml(url);
  return /^https?:\/\//i.test(url)
    ? `<a href="${safe}" rel="noreferrer noopener" target="_blank">${safe}</a>`
    : `<span class="url">${safe}</span>`;
}
