import type { MessageContent } from '../api/types.js';
import { fillTemplate } from '../catalogue/fill-template.js';
import { findTemplate, type ApprovedTemplate } from '../catalogue/types.js';

export interface ContentField {
  label: string;
  value: string;
}

const quoted = (values: readonly string[]): string =>
  values.map((v, i) => `${i + 1}. "${v}"`).join('  ');

/**
 * A rendered message as labelled fields, in the order a reviewer reads it. A template found in
 * `templates` (the approved catalogue's, plan.templates) shows its texts filled in.
 */
export function describeContent(
  content: MessageContent,
  templates?: readonly ApprovedTemplate[],
): ContentField[] {
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
  if (w.templateName !== undefined)
    add('template', `${w.templateName}${w.language ? ` (${w.language})` : ''}`);
  const approved = findTemplate(templates, w.templateName, w.language);
  const filled = approved && fillTemplate(approved, w);
  if (w.templateData && w.templateData.length > 0 && filled?.bodyFrom !== 'templateData')
    add('templateData', quoted(w.templateData));
  const media = w.mediaTemplateData;
  if (media?.header) {
    const h = media.header;
    if (h.textPlaceholder !== undefined && filled?.headerText === undefined)
      add('header text', `"${h.textPlaceholder}"`);
    add('header image', h.imageUrl);
    add('header video', h.videoUrl);
    if (h.latitude !== undefined || h.longitude !== undefined)
      add('header location', `${h.latitude ?? '?'}, ${h.longitude ?? '?'}`);
  }
  if (filled) {
    // The approved texts with the parameters in, as the phone shows them.
    add('header', filled.headerText);
    add('body', filled.body);
    add('footer', filled.footer);
    filled.buttons.forEach((b, i) =>
      add(
        `button ${i + 1}`,
        `[${b.text}] ${b.url ?? b.phoneNumber ?? (b.payload === undefined ? 'quick reply' : `quick reply "${b.payload}"`)}`,
      ),
    );
  } else {
    if (media?.body) add('body placeholders', quoted(media.body.placeholders));
    media?.buttons?.forEach((b, i) => {
      if (b.urlPlaceholder !== undefined) add(`button ${i + 1} url`, `"${b.urlPlaceholder}"`);
      if (b.quickReplyPayload !== undefined)
        add(`button ${i + 1} quick reply`, `"${b.quickReplyPayload}"`);
    });
  }
  add('sendAt', content.sendAt);
  add('scenarioKey', content.scenarioKey);
  return fields;
}
