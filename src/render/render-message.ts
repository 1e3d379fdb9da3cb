import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { WhatsApp } from '../compile/types.js';
import type { Recipient } from '../recipients/types.js';
import type { SourcePosition, SpecDocument, Vars } from '../spec/types.js';
import { compileTemplates, type CompiledField, type VariableRef } from './templates.js';

const COORDINATES = new Set(['latitude', 'longitude']);

export interface MessageRenderer {
  /** Template problems found once per spec (the spec cannot be rendered when non-empty). */
  diagnostics: Diagnostic[];
  render(recipient: Recipient): { whatsApp?: WhatsApp; diagnostics: Diagnostic[] };
}

function lookup(context: Vars, parts: readonly string[]): unknown {
  let value: unknown = context;
  for (const part of parts) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function describe(origin: SourcePosition): string {
  return `${origin.file}:${origin.line + 1}`;
}

/** Prepares a spec's templates once; `render` fills them for one recipient. */
export function createRenderer(doc: SpecDocument): MessageRenderer {
  const { fields, diagnostics } = compileTemplates(doc);
  const byPath = new Map<string, CompiledField>(fields.map((f) => [f.path.join('\u0000'), f]));
  const specVars = doc.spec.vars ?? {};

  const refPosition = (field: CompiledField, ref: VariableRef): SourcePosition => {
    const base = doc.locate(field.path);
    const quoted = /^["']/.test(doc.sourceOf(field.path) ?? '');
    return ref.line === 1 ? { ...base, column: base.column + (quoted ? 1 : 0) + ref.column } : base;
  };

  return {
    diagnostics,
    render(recipient) {
      const context: Vars = Object.create(null) as Vars;
      for (const [k, v] of Object.entries(specVars)) context[k] = v;
      for (const [k, v] of Object.entries(recipient.vars)) context[k] = v;
      const problems: Diagnostic[] = [];
      for (const field of fields) {
        for (const ref of field.variables) {
          if (lookup(context, ref.parts) === undefined) {
            problems.push(
              makeDiagnostic('variable-missing', `variable '${ref.parts.join('.')}' is not defined for ${recipient.phoneNumber} (${describe(recipient.origin)})`, refPosition(field, ref), {
                hint: 'define it in the spec\'s vars or the recipient\'s vars (a CSV column)',
              }),
            );
          }
        }
      }
      if (problems.length > 0) return { diagnostics: problems };
      const renderValue = (value: unknown, path: Array<string | number>): unknown => {
        if (typeof value === 'string') {
          const field = byPath.get(path.join('\u0000'));
          let text: string;
          try {
            text = field ? field.render(context) : value;
          } catch (error) {
            problems.push(makeDiagnostic('variable-missing', `${(error as Error).message.split('\n')[0]} for ${recipient.phoneNumber} (${describe(recipient.origin)})`, doc.locate(path)));
            return value;
          }
          const key = path.at(-1);
          if (typeof key === 'string' && COORDINATES.has(key)) {
            const n = Number(text);
            if (text.trim() === '' || !Number.isFinite(n)) {
              problems.push(makeDiagnostic('schema-type', `${key} rendered as '${text}', not a number, for ${recipient.phoneNumber} (${describe(recipient.origin)})`, doc.locate(path)));
            }
            return n;
          }
          return text;
        }
        if (Array.isArray(value)) return value.map((v, i) => renderValue(v, [...path, i]));
        if (value && typeof value === 'object') {
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(value)) out[k] = renderValue(v, [...path, k]);
          return out;
        }
        return value;
      };
      const whatsApp = renderValue(doc.spec.whatsApp, ['whatsApp']) as WhatsApp;
      return problems.length > 0 ? { diagnostics: problems } : { whatsApp, diagnostics: [] };
    },
  };
}

