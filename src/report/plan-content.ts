import type { MessageContent } from '../api/types.js';

export interface ContentField {
  label: string;
  value: string;
}

const quoted = (values: readonly string[]): string => values.map((v, i) => `${i + 1}. "${v}"`).join('  ');

/** A rendered message as labelled fields, in the order a reviewer reads it. */
export function describeContent(content: MessageContent): ContentField[] {
  const w = content.whatsApp;
  const fields: ContentField[] = [];
  const add = (label: string, value: string | number | undefined): void => {
    if (value !== undefined) fields.push({ label, value: String(value) });
  };
  add('text', w.text);
  add('image', w.imageUrl);
  add('audio', w.audioUrl);
  add('video', w.videoUrl);
  if (w.latitude !== undefined || w.longitude !== undefined || w.locationName !== undefined) {
    add('location', w.locationName);
    add('address', w.address);
    add('coordinates', `${w.latitude ?? '?'}, ${w.longitude ?? '?'}`);
  } else {
    add('address', w.address);
  }
  if (w.templateName !== undefined) add('template', `${w.templateName}${w.language ? ` (${w.language})` : ''}`);
  if (w.templateData && w.templateData.length > 0) add('templateData', quoted(w.templateData));
  const media = w.mediaTemplateData;
  if (media?.header) {
    const h = media.header;
    if (h.textPlaceholder !== undefined) add('header text', `"${h.textPlaceholder}"`);
    add('header image', h.imageUrl);
    add('header video', h.videoUrl);
    if (h.latitude !== undefined || h.longitude !== undefined) add('header location', `${h.latitude ?? '?'}, ${h.longitude ?? '?'}`);
  }
  if (media?.body) add('body placeholders', quoted(media.body.placeholders));
  media?.buttons?.forEach((b, i) => {
    if (b.urlPlaceholder !== undefined) add(`button ${i + 1} url`, `"${b.urlPlaceholder}"`);
    if (b.quickReplyPayload !== undefined) add(`button ${i + 1} quick reply`, `"${b.quickReplyPayload}"`);
  });
  add('sendAt', content.sendAt);
  add('scenarioKey', content.scenarioKey);
  return fields;
}
