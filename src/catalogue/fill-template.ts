import type { WhatsApp } from '../api/types.js';
import { valueButtons } from './check-template.js';
import { fillPlaceholders } from './placeholders.js';
import type { ApprovedButton, ApprovedTemplate } from './types.js';

export interface FilledButton {
  kind: ApprovedButton['kind'];
  /** The label the phone shows. */
  text: string;
  /** A url button's final URL. */
  url?: string;
  /** A quick reply's payload (what comes back when tapped). */
  payload?: string;
  phoneNumber?: string;
}

/** A template message as the phone shows it: the approved texts with the message's parameters in. */
export interface FilledTemplate {
  /** A text header, filled. */
  headerText?: string;
  body: string;
  /** The list that filled the body; the other one, if the message has it, is not shown in it. */
  bodyFrom: 'placeholders' | 'templateData' | 'none';
  footer?: string;
  buttons: FilledButton[];
}

/**
 * The body is filled from mediaTemplateData.body.placeholders when the message has them (a media
 * template), else from templateData; a parameter without a value stays {{n}}.
 */
export function fillTemplate(template: ApprovedTemplate, w: WhatsApp): FilledTemplate {
  const media = w.mediaTemplateData;
  const placeholders = media?.body?.placeholders;
  const bodyFrom =
    placeholders !== undefined
      ? 'placeholders'
      : w.templateData !== undefined
        ? 'templateData'
        : 'none';
  const filled: FilledTemplate = {
    body: fillPlaceholders(template.body, placeholders ?? w.templateData ?? []),
    bodyFrom,
    buttons: [],
  };
  if (template.header.kind === 'text' && template.header.text !== undefined) {
    const value = media?.header?.textPlaceholder;
    filled.headerText = fillPlaceholders(template.header.text, value === undefined ? [] : [value]);
  }
  if (template.footer !== undefined) filled.footer = template.footer;
  const given = media?.buttons ?? [];
  const slotOf = new Map(valueButtons(template).map((slot, i) => [slot.index, given[i]]));
  filled.buttons = template.buttons.map((button, index) => {
    const out: FilledButton = { kind: button.kind, text: button.text };
    const value = slotOf.get(index);
    if (button.url !== undefined)
      out.url = fillPlaceholders(
        button.url,
        value?.urlPlaceholder === undefined ? [] : [value.urlPlaceholder],
      );
    if (button.kind === 'quick_reply' && value?.quickReplyPayload !== undefined)
      out.payload = value.quickReplyPayload;
    if (button.phoneNumber !== undefined) out.phoneNumber = button.phoneNumber;
    return out;
  });
  return filled;
}
