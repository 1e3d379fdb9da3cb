import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closest } from '../diagnostics/schema-error.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { ButtonSpec, SourcePosition, SpecPath, WhatsAppSpec } from '../message-spec/types.js';
import { parameterCount } from './placeholders.js';
import {
  templateKey,
  type ApprovedButton,
  type ApprovedTemplate,
  type Catalogue,
} from './types.js';

type Locate = (path: SpecPath) => SourcePosition;

const MEDIA: SpecPath = ['whatsApp', 'mediaTemplateData'];
const HEADER: SpecPath = [...MEDIA, 'header'];
const BUTTONS: SpecPath = [...MEDIA, 'buttons'];

/** The header fields of the API and the header kind each belongs to. */
const HEADER_FIELDS = [
  ['textPlaceholder', 'text'],
  ['imageUrl', 'image'],
  ['videoUrl', 'video'],
  ['latitude', 'location'],
  ['longitude', 'location'],
] as const;
const NEEDS: Partial<Record<ApprovedTemplate['header']['kind'], string>> = {
  image: 'imageUrl',
  video: 'videoUrl',
  location: 'latitude and longitude',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const excerpt = (text: string) => (text.length > 70 ? `${text.slice(0, 67)}…` : text);

/** The template's buttons that take a value from the spec, in order: quick replies and URLs with {{1}}. */
export function valueButtons(
  template: ApprovedTemplate,
): Array<{ button: ApprovedButton; index: number }> {
  return template.buttons
    .map((button, index) => ({ button, index }))
    .filter(
      ({ button }) =>
        button.kind === 'quick_reply' || (button.kind === 'url' && parameterCount(button.url) > 0),
    );
}

/**
 * Every way a template message does not fit its approved template, each a diagnostic at the
 * spec's line: unknown name or language, parameter counts, header, buttons. Works on the spec's
 * whatsApp (the shape is the same rendered) or on a rendered one whose name came from variables.
 */
export function checkTemplateMessage(
  w: WhatsAppSpec,
  catalogue: Catalogue,
  locate: Locate,
  context = '',
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (code: DiagnosticCode, path: SpecPath, message: string, hint?: string) =>
    out.push(makeDiagnostic(code, `${message}${context}`, locate(path), hint ? { hint } : {}));
  const name = w.templateName;
  if (name === undefined || w.language === undefined) return out;
  const languages = catalogue.languages.get(name);
  if (!languages) {
    const near = closest(name, catalogue.languages.keys());
    const known = [...catalogue.languages.keys()].sort();
    add(
      'template-unknown',
      ['whatsApp', 'templateName'],
      `template ${name} is not in the approved templates (${catalogue.file})`,
      near
        ? `did you mean ${near}?`
        : `approved: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''}`,
    );
    return out;
  }
  const template = catalogue.templates.get(templateKey(name, w.language));
  if (!template) {
    add(
      'template-language-unknown',
      ['whatsApp', 'language'],
      `template ${name} is not approved in ${w.language}`,
      `approved in: ${languages.join(', ')}`,
    );
    return out;
  }
  const label = `${name} (${template.language})`;
  const status = template.status ?? 'approved';
  if (status !== 'approved')
    add(
      'template-not-approved',
      ['whatsApp', 'templateName'],
      `template ${label} is ${status} (${catalogue.file}); WhatsApp refuses to send it`,
      status === 'pending'
        ? 'wait for the approval, then set status: approved in the catalogue'
        : 'send another template, or set status: approved once WhatsApp Manager shows it active again',
    );
  checkParameters(w, template, label, add);
  checkHeader(w, template, label, add);
  checkButtons(w.mediaTemplateData?.buttons ?? [], template, label, add);
  return out;
}

type Add = (code: DiagnosticCode, path: SpecPath, message: string, hint?: string) => void;

function checkParameters(
  w: WhatsAppSpec,
  template: ApprovedTemplate,
  label: string,
  add: Add,
): void {
  const n = parameterCount(template.body);
  const hint = `the approved body: "${excerpt(template.body)}"`;
  const placeholders = w.mediaTemplateData?.body?.placeholders;
  if (w.templateData !== undefined && w.templateData.length !== n) {
    add(
      'template-parameters',
      ['whatsApp', 'templateData'],
      `templateData has ${plural(w.templateData.length, 'item')}, but the body of ${label} has ${plural(n, 'parameter')}`,
      hint,
    );
  }
  if (placeholders !== undefined && placeholders.length !== n) {
    add(
      'template-parameters',
      [...MEDIA, 'body', 'placeholders'],
      `mediaTemplateData.body.placeholders has ${plural(placeholders.length, 'item')}, but the body of ${label} has ${plural(n, 'parameter')}`,
      hint,
    );
  }
  if (n > 0 && w.templateData === undefined && placeholders === undefined) {
    add(
      'template-parameters',
      ['whatsApp', 'templateName'],
      `the body of ${label} has ${plural(n, 'parameter')}, but the message gives none`,
      `give them in templateData (or mediaTemplateData.body.placeholders); ${hint}`,
    );
  }
}

function checkHeader(w: WhatsAppSpec, template: ApprovedTemplate, label: string, add: Add): void {
  const given = w.mediaTemplateData?.header;
  const { kind } = template.header;
  if (kind === 'document') {
    add(
      'template-header',
      given ? HEADER : ['whatsApp', 'templateName'],
      `${label} has a document header, which sendWhatsappMessage cannot send (a header takes text, an image, a video or a location)`,
      'use a template with an image or video header',
    );
    return;
  }
  if (kind === 'none') {
    if (given)
      add(
        'template-header',
        HEADER,
        `${label} has no header, but the message gives one`,
        'remove mediaTemplateData.header',
      );
    return;
  }
  const present = HEADER_FIELDS.filter(([field]) => given?.[field] !== undefined);
  for (const [field, of] of present) {
    if (of !== kind)
      add(
        'template-header',
        [...HEADER, field],
        `header.${field} is for ${of === 'image' ? 'an' : 'a'} ${of} header, but ${label} has ${kind === 'image' ? 'an' : 'a'} ${kind} header`,
      );
  }
  if (kind === 'text') {
    const wanted = parameterCount(template.header.text) > 0;
    const has = given?.textPlaceholder !== undefined;
    if (wanted && !has)
      add(
        'template-header',
        given ? HEADER : MEDIA,
        `the text header of ${label} has a parameter, but the message gives no header.textPlaceholder`,
        `the approved header: "${template.header.text ?? ''}"`,
      );
    if (!wanted && has)
      add(
        'template-header',
        [...HEADER, 'textPlaceholder'],
        `the text header of ${label} has no parameter, but the message gives header.textPlaceholder`,
        'remove it',
      );
    return;
  }
  const missing =
    kind === 'location'
      ? given?.latitude === undefined || given.longitude === undefined
      : given?.[kind === 'image' ? 'imageUrl' : 'videoUrl'] === undefined;
  if (missing)
    add(
      'template-header',
      given ? HEADER : MEDIA,
      `${label} has ${kind === 'image' ? 'an' : 'a'} ${kind} header, but the message gives no header.${NEEDS[kind] ?? kind}`,
    );
}

function checkButtons(
  given: readonly ButtonSpec[],
  template: ApprovedTemplate,
  label: string,
  add: Add,
): void {
  const wanted = valueButtons(template);
  given.forEach((entry, i) => {
    const at = [...BUTTONS, i];
    const slot = wanted[i];
    if (!slot) {
      add(
        'template-buttons',
        at,
        `button ${i + 1} of the message has no button to fill: ${label} has ${plural(wanted.length, 'button')} that ${wanted.length === 1 ? 'takes' : 'take'} a value`,
        'remove it (a phone-number button and a URL without {{1}} take no value)',
      );
      return;
    }
    const what = `'${slot.button.text}' (button ${slot.index + 1} of ${label})`;
    const [field, other] =
      slot.button.kind === 'url'
        ? (['urlPlaceholder', 'quickReplyPayload'] as const)
        : (['quickReplyPayload', 'urlPlaceholder'] as const);
    const kind = slot.button.kind === 'url' ? 'a URL button' : 'a quick-reply button';
    if (entry[other] !== undefined)
      add(
        'template-buttons',
        [...at, other],
        `button ${i + 1} of the message gives ${other}, but it fills ${what}, ${kind}`,
        `give ${field}`,
      );
    else if (entry[field] === undefined)
      add(
        'template-buttons',
        at,
        `button ${i + 1} of the message gives no ${field} for ${what}, ${kind}`,
      );
  });
  for (const slot of wanted.slice(given.length)) {
    const field = slot.button.kind === 'url' ? 'urlPlaceholder' : 'quickReplyPayload';
    add(
      'template-buttons',
      given.length > 0 ? BUTTONS : MEDIA,
      `${label}'s button '${slot.button.text}' (button ${slot.index + 1}) takes a value, but the message gives none`,
      `add { ${field}: … } to mediaTemplateData.buttons`,
    );
  }
}
