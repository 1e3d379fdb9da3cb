import type { MessageContent, WhatsApp } from '../compile/types.js';
import { escapeHtml, formatUrl, formatWhatsAppText } from './format-text.js';

const card = (kind: string, icon: string, body: string) =>
  `<div class="card card-${kind}"><span class="icon" aria-hidden="true">${icon}</span><div>${body}</div></div>`;

function location(name: string | undefined, address: string | undefined, lat: number | undefined, lon: number | undefined): string {
  const lines = [
    name ? `<strong>${escapeHtml(name)}</strong>` : '',
    address ? `<span>${escapeHtml(address)}</span>` : '',
    lat !== undefined && lon !== undefined ? `<span class="coords">${lat}, ${lon}</span>` : '',
  ].filter(Boolean);
  return card('location', '◉', lines.join('<br>'));
}

function template(w: WhatsApp): string {
  const out: string[] = [`<div class="template-name">Template <strong>${escapeHtml(w.templateName ?? '')}</strong> · ${escapeHtml(w.language ?? '')}</div>`];
  const header = w.mediaTemplateData?.header;
  if (header?.textPlaceholder) out.push(`<div class="header-text">${formatWhatsAppText(header.textPlaceholder)}</div>`);
  if (header?.imageUrl) out.push(card('image', '▣', `Header image<br>${formatUrl(header.imageUrl)}`));
  if (header?.videoUrl) out.push(card('video', '▶', `Header video<br>${formatUrl(header.videoUrl)}`));
  if (header?.latitude !== undefined) out.push(location('Header location', undefined, header.latitude, header.longitude));
  if (w.templateData?.length) {
    out.push(`<ol class="params">${w.templateData.map((p) => `<li>${formatWhatsAppText(p)}</li>`).join('')}</ol>`);
  }
  const placeholders = w.mediaTemplateData?.body?.placeholders;
  if (placeholders?.length) {
    out.push(`<div class="label">Body</div><ol class="params">${placeholders.map((p) => `<li>${formatWhatsAppText(p)}</li>`).join('')}</ol>`);
  }
  const buttons = w.mediaTemplateData?.buttons ?? [];
  if (buttons.length) {
    out.push(
      `<div class="buttons">${buttons
        .map((b) =>
          b.urlPlaceholder !== undefined
            ? `<div class="button button-url">↗ <span>${escapeHtml(b.urlPlaceholder)}</span></div>`
            : `<div class="button button-reply">↩ <span>${escapeHtml(b.quickReplyPayload ?? '')}</span></div>`,
        )
        .join('')}</div>`,
    );
  }
  return out.join('');
}

/** One message as a chat bubble: the content as the recipient's phone would show it. */
export function renderBubbleContent(content: MessageContent): string {
  const w = content.whatsApp;
  const parts: string[] = [];
  if (w.text !== undefined) parts.push(`<div class="text">${formatWhatsAppText(w.text)}</div>`);
  if (w.imageUrl) parts.push(card('image', '▣', `Image<br>${formatUrl(w.imageUrl)}`));
  if (w.audioUrl) parts.push(card('audio', '♪', `Audio<br>${formatUrl(w.audioUrl)}`));
  if (w.videoUrl) parts.push(card('video', '▶', `Video<br>${formatUrl(w.videoUrl)}`));
  if (w.latitude !== undefined || w.locationName !== undefined) parts.push(location(w.locationName, w.address, w.latitude, w.longitude));
  if (w.templateName !== undefined) parts.push(template(w));
  const meta = [
    content.sendAt ? `<span class="send-at">◷ scheduled ${escapeHtml(content.sendAt)}</span>` : '',
    content.scenarioKey ? `<span class="scenario">scenario ${escapeHtml(content.scenarioKey)}</span>` : '',
  ].filter(Boolean);
  if (meta.length) parts.push(`<div class="meta">${meta.join(' · ')}</div>`);
  return parts.join('');
}
