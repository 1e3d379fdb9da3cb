import type { MessageContent } from '../api/types.js';
import { templateKey, type ApprovedTemplate, type Catalogue } from './types.js';

/** The approved templates some content uses, once each, in catalogue order: what a plan carries to show them filled in. */
export function templatesUsed(
  contents: Iterable<MessageContent>,
  catalogue: Catalogue,
): ApprovedTemplate[] {
  const used = new Set<string>();
  for (const { whatsApp } of contents) {
    if (whatsApp.templateName !== undefined && whatsApp.language !== undefined)
      used.add(templateKey(whatsApp.templateName, whatsApp.language));
  }
  return [...catalogue.templates].filter(([key]) => used.has(key)).map(([, template]) => template);
}
