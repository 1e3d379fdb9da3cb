import type { MessageContent } from '../api/types.js';
import type { SpecDocument, SpecPath } from '../message-spec/types.js';
import { compileTemplates, type CompiledField } from './templates.js';

/**
 * A spec's message as written, for reviewing many renders at once: each field that holds a
 * template, by JSON pointer into the rendered content (`/whatsApp/text`), and the variables the
 * message uses, in order of first use (`name`, `customer.city`).
 */
export interface MessageShape {
  fields: Record<string, string>;
  variables: string[];
}

/** Longest variable value a plan keeps: enough to recognise it, bounded for 1M recipients. */
const VALUE_LIMIT = 200;

/** `/whatsApp/templateData/0` for ['whatsApp', 'templateData', 0] (RFC 6901). */
export function pointerOf(path: SpecPath): string {
  return path.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Names of the variables the fields use, each once, in order of first use. */
export function variableNames(fields: readonly CompiledField[]): string[] {
  return [...new Set(fields.flatMap((f) => f.variables.map((ref) => ref.parts.join('.'))))];
}

/** The shape of a spec's message; undefined when no field holds a template (every render is the same). */
export function messageShapeOf(doc: SpecDocument): MessageShape | undefined {
  const { fields } = compileTemplates(doc);
  const templated = fields.filter((f) => f.source.includes('{{'));
  if (templated.length === 0) return undefined;
  return {
    fields: Object.fromEntries(templated.map((f) => [pointerOf(f.path), f.source])),
    variables: variableNames(fields),
  };
}

/**
 * A variable's value as a plan keeps it: text as is, numbers and booleans as written, null as
 * empty, lists and mappings as JSON; at most VALUE_LIMIT characters.
 */
export function variableValue(value: unknown): string {
  // The cast names what is left after objects (String() takes anything, but no-base-to-string needs to see it).
  const text =
    value === null || value === undefined
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
          String(value as string | number | boolean);
  return text.length > VALUE_LIMIT ? `${text.slice(0, VALUE_LIMIT - 1)}…` : text;
}

/**
 * The spec's message as written: its whatsApp object with every `{{variable}}` in place, with its
 * sendAt and scenarioKey. The same for every recipient, and holds none of their values: what the
 * state keeps of a message, and what a drift is shown against.
 */
export function writtenMessageOf(doc: SpecDocument): MessageContent {
  const { spec } = doc;
  return {
    whatsApp: spec.whatsApp as MessageContent['whatsApp'],
    ...(spec.sendAt === undefined ? {} : { sendAt: spec.sendAt }),
    ...(spec.scenarioKey === undefined ? {} : { scenarioKey: spec.scenarioKey }),
  };
}
