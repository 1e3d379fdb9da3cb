import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { WhatsApp } from '../api/types.js';
import type { Recipient } from '../recipients/types.js';
import type { SourcePosition, SpecDocument, Vars } from '../spec/types.js';
import { compileTemplates, RenderLimitError, type CompiledField, type VariableRef } from './templates.js';

const COORDINATES = new Set(['latitude', 'longitude']);
const NONE: Diagnostic[] = [];

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

  type Build = (context: Vars, recipient: Recipient, problems: Diagnostic[]) => unknown;
  // The shape of whatsApp is fixed per spec: walk it once into builders, so a recipient costs
  // its template calls and the objects of its message, nothing more.
  const builder = (value: unknown, path: Array<string | number>): Build => {
    if (typeof value === 'string') {
      const field = byPath.get(path.join('\u0000'));
      const key = path.at(-1);
      const coordinate = typeof key === 'string' && COORDINATES.has(key);
      if (!field || (field.variables.length === 0 && !value.includes('{{') && !coordinate)) return () => value;
      return (context, recipient, problems) => {
        let text: string;
        try {
          text = field.render(context);
        } catch (error) {
          if (error instanceof RenderLimitError) {
            problems.push(makeDiagnostic('render-limit', `${error.message}, for ${recipient.phoneNumber} (${describe(recipient.origin)})`, doc.locate(path), { hint: 'loops over lists make text fast: keep what a message repeats small' }));
            return value;
          }
          problems.push(makeDiagnostic('variable-missing', `${(error as Error).message.split('\n')[0]} for ${recipient.phoneNumber} (${describe(recipient.origin)})`, doc.locate(path)));
          return value;
        }
        if (!coordinate) return text;
        const n = Number(text);
        if (text.trim() === '' || !Number.isFinite(n)) {
          problems.push(makeDiagnostic('schema-type', `${String(key)} rendered as '${text}', not a number, for ${recipient.phoneNumber} (${describe(recipient.origin)})`, doc.locate(path)));
        }
        return n;
      };
    }
    if (Array.isArray(value)) {
      const items = value.map((v, i) => builder(v, [...path, i]));
      return (context, recipient, problems) => items.map((build) => build(context, recipient, problems));
    }
    if (value && typeof value === 'object') {
      const entries = Object.entries(value).map(([k, v]) => [k, builder(v, [...path, k])] as const);
      return (context, recipient, problems) => {
        const out: Record<string, unknown> = {};
        for (const [k, build] of entries) out[k] = build(context, recipient, problems);
        return out;
      };
    }
    return () => value;
  };
  const buildWhatsApp = builder(doc.spec.whatsApp, ['whatsApp']);
  const specEntries = Object.entries(specVars);
  const references = fields.flatMap((field) => field.variables.map((ref) => ({ field, ref })));

  return {
    diagnostics,
    render(recipient) {
      let context: Vars = recipient.vars;
      if (specEntries.length > 0) {
        // Recipient vars override spec vars.
        context = Object.create(null) as Vars;
        for (const [k, v] of specEntries) context[k] = v;
        for (const [k, v] of Object.entries(recipient.vars)) context[k] = v;
      }
      const problems: Diagnostic[] = [];
      for (const { field, ref } of references) {
        if (lookup(context, ref.parts) === undefined) {
          problems.push(
            makeDiagnostic('variable-missing', `variable '${ref.parts.join('.')}' is not defined for ${recipient.phoneNumber} (${describe(recipient.origin)})`, refPosition(field, ref), {
              hint: 'define it in the spec\'s vars or the recipient\'s vars (a CSV column)',
            }),
          );
        }
      }
      if (problems.length > 0) return { diagnostics: problems };
      const whatsApp = buildWhatsApp(context, recipient, problems) as WhatsApp;
      return problems.length > 0 ? { diagnostics: problems } : { whatsApp, diagnostics: NONE };
    },
  };
}
