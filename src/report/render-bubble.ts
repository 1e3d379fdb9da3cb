import type { MessageContent, WhatsApp } from '../api/types.js';
import { escapeHtml, formatUrl, formatWhatsAppText } from './format-text.js';
import { ICONS } from './icons.js';
import {
  fillTemplate,
  type FilledButton,
  type FilledTemplate,
} from '../catalogue/fill-template.js';
import { findTemplate, type ApprovedTemplate } from '../catalogue/types.js';

/** Image and video as the phone shows them before download: a frame, then the URL as caption. */
function media(kind: 'image' | 'video', url: string, label: string): string {
  const icon = kind === 'video' ? ICONS.play : ICONS.image;
  return `<div class="media card-${kind}"><div class="frame">${icon}<span class="frame-label">${label}</span></div><div class="media-url">${formatUrl(url)}</div></div>`;
}

function audio(url: string): string {
  return `<div class="media card-audio"><div class="player"><span class="avatar">${ICONS.mic}</span>${ICONS.audioPlay}<span class="wave"></span></div><div class="media-url">${formatUrl(url)}</div></div>`;
}

function location(
  name: string | undefined,
  address: string | undefined,
  lat: number | undefined,
  lon: number | undefined,
): string {
  const lines = [
    name ? `<strong>${escapeHtml(name)}</strong>` : '',
    address ? `<span>${escapeHtml(address)}</span>` : '',
    lat !== undefined && lon !== undefined
      ? `<span class="coords">${Number(lat)}, ${Number(lon)}</span>`
      : '',
  ].filter(Boolean);
  return `<div class="media card-location"><div class="map">${ICONS.pin}</div><div class="place">${lines.join('<br>')}</div></div>`;
}

const list = (items: readonly string[]) =>
  `<ol class="params">${items.map((p) => `<li>${formatWhatsAppText(p)}</li>`).join('')}</ol>`;

/** A template: with its approved texts filled in when the catalogue has it, else its parameters as lists. */
function template(w: WhatsApp, filled: FilledTemplate | undefined): string {
  const out: string[] = [
    `<div class="template-name">Template <strong>${escapeHtml(w.templateName ?? '')}</strong> · ${escapeHtml(w.language ?? '')}</div>`,
  ];
  const header = w.mediaTemplateData?.header;
  if (header?.imageUrl) out.push(media('image', header.imageUrl, 'Header image'));
  if (header?.videoUrl) out.push(media('video', header.videoUrl, 'Header video'));
  if (header?.latitude !== undefined)
    out.push(location('Header location', undefined, header.latitude, header.longitude));
  const headerText = filled?.headerText ?? header?.textPlaceholder;
  if (headerText) out.push(`<div class="header-text">${formatWhatsAppText(headerText)}</div>`);
  if (w.templateData?.length && filled?.bodyFrom !== 'templateData')
    out.push(`<div class="label">Parameters</div>${list(w.templateData)}`);
  if (filled) {
    out.push(`<div class="text template-body">${formatWhatsAppText(filled.body)}</div>`);
    if (filled.footer !== undefined)
      out.push(`<div class="template-footer">${escapeHtml(filled.footer)}</div>`);
    return out.join('');
  }
  const placeholders = w.mediaTemplateData?.body?.placeholders;
  if (placeholders?.length) out.push(`<div class="label">Body</div>${list(placeholders)}`);
  return out.join('');
}

/** The approved buttons with their labels, final URLs, payloads and numbers. */
function approvedButtons(buttons: readonly FilledButton[]): string[] {
  return buttons.map((b) => {
    const detail =
      b.url ?? b.phoneNumber ?? (b.payload === undefined ? undefined : `payload ${b.payload}`);
    const icon =
      b.kind === 'url' ? ICONS.link : b.kind === 'phone_number' ? ICONS.phone : ICONS.reply;
    const small =
      detail === undefined
        ? ''
        : `<small class="button-detail">${b.url !== undefined ? formatUrl(b.url) : escapeHtml(detail)}</small>`;
    return `<div class="button button-${b.kind === 'quick_reply' ? 'reply' : b.kind === 'url' ? 'url' : 'phone'}">${icon}<span>${escapeHtml(b.text)}${small}</span></div>`;
  });
}

/** Template buttons sit under the bubble, as on the phone: URL buttons show their final URL. */
export function renderButtons(
  content: MessageContent,
  templates?: readonly ApprovedTemplate[],
): string {
  const filled = filledTemplate(content.whatsApp, templates);
  if (filled)
    return filled.buttons.length === 0
      ? ''
      : `<div class="buttons">${approvedButtons(filled.buttons).join('')}</div>`;
  const buttons = content.whatsApp.mediaTemplateData?.buttons ?? [];
  if (buttons.length === 0) return '';
  const rows = buttons.map((b) =>
    b.urlPlaceholder !== undefined
      ? `<div class="button button-url">${ICONS.link}<span>${escapeHtml(b.urlPlaceholder)}</span></div>`
      : `<div class="button button-reply">${ICONS.reply}<span>${escapeHtml(b.quickReplyPayload ?? '')}</span></div>`,
  );
  return `<div class="buttons">${rows.join('')}</div>`;
}

function filledTemplate(
  w: WhatsApp,
  templates: readonly ApprovedTemplate[] | undefined,
): FilledTemplate | undefined {
  const approved = findTemplate(templates, w.templateName, w.language);
  return approved && fillTemplate(approved, w);
}

/** One message as a chat bubble's content: what the recipient's phone would show (approved templates filled in). */
export function renderBubbleContent(
  content: MessageContent,
  templates?: readonly ApprovedTemplate[],
): string {
  const w = content.whatsApp;
  const parts: string[] = [];
  if (w.templateName !== undefined) parts.push(template(w, filledTemplate(w, templates)));
  if (w.imageUrl) parts.push(media('image', w.imageUrl, 'Image'));
  if (w.videoUrl) parts.push(media('video', w.videoUrl, 'Video'));
  if (w.audioUrl) parts.push(audio(w.audioUrl));
  if (w.latitude !== undefined || w.locationName !== undefined)
    parts.push(location(w.locationName, w.address, w.latitude, w.longitude));
  if (w.text !== undefined) parts.push(`<div class="text">${formatWhatsAppText(w.text)}</div>`);
  const meta = [
    content.sendAt
      ? `<span class="send-at">${ICONS.clock} scheduled ${escapeHtml(content.sendAt)}</span>`
      : '',
    content.scenarioKey
      ? `<span class="scenario">scenario ${escapeHtml(content.scenarioKey)}</span>`
      : '',
  ].filter(Boolean);
  if (meta.length) parts.push(`<div class="meta">${meta.join(' · ')}</div>`);
  return parts.join('');
}
