/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * WhatsApp's own formatting (*bold*, _italic_, ~strike~, ```mono```, line breaks) applied AFTER
 * escaping, so a message can never inject markup: only these tags are ever produced.
 */
export function formatWhatsAppText(text: string): string {
  const parts = escapeHtml(text).split(/```([\s\S]*?)```/g);
  return parts
    .map((part, i) =>
      i % 2 === 1
        ? `<code>${part}</code>`
        : part
            .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,!?:;])/g, '$1<strong>$2</strong>')
            .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,!?:;])/g, '$1<em>$2</em>')
            .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,!?:;])/g, '$1<s>$2</s>'),
    )
    .join('')
    .replace(/\n/g, '<br>');
}

/** A link only for http(s) URLs; anything else (javascript:, data:) stays text. */
export function formatUrl(url: string): string {
  const safe = escapeHtml(url);
  return /^https?:\/\//i.test(url) ? `<a href="${safe}" rel="noreferrer noopener" target="_blank">${safe}</a>` : `<span class="url">${safe}</span>`;
}
