import type { SourcePosition } from '../message-spec/types.js';

/** What a template's header is (schemas/templates.schema.json). */
export type HeaderKind = 'none' | 'text' | 'image' | 'video' | 'document' | 'location';

export interface ApprovedButton {
  kind: 'quick_reply' | 'url' | 'phone_number';
  /** The label the phone shows. */
  text: string;
  /** A url button's URL, with {{1}} where the spec's urlPlaceholder goes, if it takes one. */
  url?: string;
  phoneNumber?: string;
}

/** What WhatsApp charges a template message as (schemas/rates.schema.json prices each). */
export type TemplateCategory = 'marketing' | 'utility' | 'authentication';

/** Whether WhatsApp sends the template now: only approved ones are sent. */
export type TemplateStatus = 'approved' | 'paused' | 'disabled' | 'pending';

/** One approved template in one language: plain data, saved in plans (plan.templates). */
export interface ApprovedTemplate {
  name: string;
  language: string;
  /** Its pricing category, when the catalogue says it. */
  category?: TemplateCategory;
  /** Absent: approved. */
  status?: TemplateStatus;
  header: { kind: HeaderKind; text?: string };
  /** With {{1}}…{{n}}. */
  body: string;
  footer?: string;
  buttons: ApprovedButton[];
}

/** Where the config names the catalogue. */
export interface CatalogueRef {
  /** Absolute path. */
  path: string;
  /** As shown in diagnostics (relative to cwd where possible). */
  file: string;
  /** The `templates:` value in the config, for a catalogue that cannot be read. */
  at?: SourcePosition;
  /** Folders (or files) the catalogue may lie in, as for suppression files; unchecked when absent. */
  roots?: readonly string[];
}

/** The catalogue as read: templates by name and language. */
export interface Catalogue {
  file: string;
  /** sha256 hex of the file's bytes (a saved plan's input). */
  digest: string;
  /** By templateKey(name, language). */
  templates: Map<string, ApprovedTemplate>;
  /** Every approved language of each name. */
  languages: Map<string, string[]>;
}

export const templateKey = (name: string, language: string): string => `${name}\u0000${language}`;

/** The template a message names, from a list such as plan.templates. */
export function findTemplate(
  templates: readonly ApprovedTemplate[] | undefined,
  name: string | undefined,
  language: string | undefined,
): ApprovedTemplate | undefined {
  if (!templates || name === undefined || language === undefined) return undefined;
  return templates.find((t) => t.name === name && t.language === language);
}
