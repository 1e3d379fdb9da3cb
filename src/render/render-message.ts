import { describePosition, startOf } from '../diagnostics/position.js';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { quoteInput } from '../diagnostics/quote.js';
import type { WhatsApp } from '../api/types.js';
import type { Recipient } from '../recipients/types.js';
import type { SourcePosition, SpecDocument, Vars } from '../message-spec/types.js';
import { RenderLimitError } from '../errors.js';
import { compileTemplates, type CompiledField, type VariableRef } from './templates.js';
import { variableNames, variableValue } from './message-shape.js';

const COORDINATES = new Set(['latitude', 'longitude']);
const NONE: Diagnostic[] = [];
const NO_VARS: Readonly<Record<string, string>> = Object.freeze({});

/** A variable a recipient's message cannot use: summed up per variable by compile, not per recipient. */
export interface UnresolvedVariable {
  code: 'variable-missing' | 'variable-not-text';
  /** As written, e.g. `customer.city`. */
  name: string;
  /** Where the template uses it. */
  where: SourcePosition;
  /** For variable-not-text: 'a list' or 'a mapping'. */
  kind?: string;
}

export interface RenderResult {
  whatsApp?: WhatsApp;
  /** With whatsApp: what the message was rendered from; the renderer's varsOf gives its vars. */
  context?: Vars;
  diagnostics: Diagnostic[];
  unresolved?: UnresolvedVariable[];
  /** Variables printed empty, by name as written, with where their value is (beside their diagnostics). */
  empty?: Array<{ name: string; at: SourcePosition }>;
}

export interface MessageRenderer {
  /** Template problems found once per spec (the spec cannot be rendered when non-empty). */
  diagnostics: Diagnostic[];
  render(recipient: Recipient): RenderResult;
  /** The value of each variable the message uses (variableValue) in a context render gave, for plans. */
  varsOf: (context: Vars) => Readonly<Record<string, string>>;
}

/** Decimal numbers only: Number() would also take 0x10, 0b1, 1e3 and ' '. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** `vars: { city: { optional: true } }` declares a variable rather than giving it a value. */
export function isVarDeclaration(value: unknown): value is { optional: boolean } {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.hasOwn(value, 'optional')
  );
}

const isEmpty = (value: unknown) =>
  value === null || (typeof value === 'string' && value.trim() === '');

function lookup(context: Vars, parts: readonly string[]): unknown {
  let value: unknown = context;
  for (const part of parts) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part))
      return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Prepares a spec's templates once; `render` fills them for one recipient. */
export function createRenderer(doc: SpecDocument): MessageRenderer {
  const { fields, diagnostics } = compileTemplates(doc);
  const byPath = new Map<string, CompiledField>(fields.map((f) => [f.path.join('\u0000'), f]));
  const specVars = doc.spec.vars ?? {};

  const refPosition = (field: CompiledField, ref: VariableRef): SourcePosition => {
    const base = doc.locate(field.path);
    const quoted = /^["']/.test(doc.sourceOf(field.path) ?? '');
    return ref.line === 1
      ? { ...startOf(base), column: base.column + (quoted ? 1 : 0) + ref.column }
      : base;
  };

  type Build = (context: Vars, recipient: Recipient, problems: Diagnostic[]) => unknown;
  // The shape of whatsApp is fixed per spec: walk it once into builders, so a recipient costs
  // its template calls and the objects of its message, nothing more.
  const builder = (value: unknown, path: Array<string | number>): Build => {
    if (typeof value === 'string') {
      const field = byPath.get(path.join('\u0000'));
      const key = path.at(-1);
      const coordinate = typeof key === 'string' && COORDINATES.has(key);
      if (!field || (field.variables.length === 0 && !value.includes('{{') && !coordinate))
        return () => value;
      return (context, recipient, problems) => {
        let text: string;
        try {
          text = field.render(context);
        } catch (error) {
          if (error instanceof RenderLimitError) {
            problems.push(
              makeDiagnostic(
                'render-limit',
                `${error.message}, for ${recipient.phoneNumber} (${describePosition(recipient.origin)})`,
                doc.locate(path),
                { hint: 'loops over lists make text fast: keep what a message repeats small' },
              ),
            );
            return value;
          }
          problems.push(
            makeDiagnostic(
              'variable-missing',
              `${(error as Error).message.split('\n')[0] ?? ''} for ${recipient.phoneNumber} (${describePosition(recipient.origin)})`,
              doc.locate(path),
            ),
          );
          return value;
        }
        if (!coordinate) return text;
        const n = DECIMAL.test(text.trim()) ? Number(text) : Number.NaN;
        if (!Number.isFinite(n)) {
          problems.push(
            makeDiagnostic(
              'schema-type',
              `${String(key)} rendered as '${quoteInput(text)}', not a number, for ${recipient.phoneNumber} (${describePosition(recipient.origin)})`,
              doc.locate(path),
            ),
          );
        }
        return n;
      };
    }
    if (Array.isArray(value)) {
      const items = value.map((v, i) => builder(v, [...path, i]));
      return (context, recipient, problems) =>
        items.map((build) => build(context, recipient, problems));
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
  const specEntries = Object.entries(specVars).filter(([, v]) => !isVarDeclaration(v));
  const optional = Object.entries(specVars)
    .filter(([, v]) => isVarDeclaration(v) && v.optional)
    .map(([k]) => k);
  const references = fields.flatMap((field) =>
    field.variables.map((ref) => ({ field, ref, name: ref.parts.join('.') })),
  );
  const used = variableNames(fields).map((name) => ({ name, parts: name.split('.') }));
  const plainVars = !used.some((u) => u.name === '__proto__');
  const varsOf = (context: Vars): Readonly<Record<string, string>> => {
    if (used.length === 0) return NO_VARS;
    // A plain object is kept in a third of the memory of one without prototype (a dictionary);
    // only a variable named __proto__ needs no prototype, to be a plain key.
    const vars = (plainVars ? {} : Object.create(null)) as Record<string, string>;
    for (const { name, parts } of used) vars[name] = variableValue(lookup(context, parts));
    return vars;
  };

  /** Problems building a message pushes (rare): one list for every recipient, emptied after each. */
  const built: Diagnostic[] = [];
  return {
    diagnostics,
    render(recipient) {
      let context: Vars = recipient.vars;
      if (specEntries.length > 0 || optional.length > 0) {
        // Recipient vars override spec vars; an optional variable nobody gave is null (renders as nothing).
        context = Object.create(null) as Vars;
        for (const k of optional) context[k] = null;
        for (const [k, v] of specEntries) context[k] = v;
        for (const [k, v] of Object.entries(recipient.vars)) context[k] = v;
      }
      // Made when a problem is found: most recipients have none.
      let problems: Diagnostic[] | undefined;
      let unresolved: UnresolvedVariable[] | undefined;
      let empty: Array<{ name: string; at: SourcePosition }> | undefined;
      for (const { field, ref, name } of references) {
        const value = lookup(context, ref.parts);
        const isOptional = optional.includes(ref.parts[0] ?? '');
        if (value === undefined) {
          if (!isOptional)
            (unresolved ??= []).push({
              code: 'variable-missing',
              name,
              where: refPosition(field, ref),
            });
        } else if (!ref.printed) {
          continue;
        } else if (value !== null && typeof value === 'object') {
          (unresolved ??= []).push({
            code: 'variable-not-text',
            name,
            where: refPosition(field, ref),
            kind: Array.isArray(value) ? 'a list' : 'a mapping',
          });
        } else if (isEmpty(value) && !ref.guarded && !isOptional) {
          // At the value itself (its CSV field or cell) when the recipient file says where it is.
          const at = recipient.places?.at(ref.parts[0] ?? name) ?? recipient.origin;
          (empty ??= []).push({ name, at });
          (problems ??= []).push(
            makeDiagnostic(
              'variable-empty',
              `variable '${name}' is ${value === null ? 'null' : 'empty'} for ${recipient.phoneNumber} (${describePosition(at)})`,
              at,
              {
                hint: `give it a value, guard it with {{#if ${name}}}…{{/if}}, or declare it optional in the spec: vars: { ${ref.parts[0] ?? name}: { optional: true } }`,
              },
            ),
          );
        }
      }
      if (unresolved !== undefined || problems !== undefined)
        return {
          diagnostics: problems ?? [],
          unresolved: unresolved ?? [],
          ...(empty === undefined ? {} : { empty }),
        };
      const whatsApp = buildWhatsApp(context, recipient, built) as WhatsApp;
      // splice empties the shared list for the next recipient and hands its problems over.
      return built.length > 0
        ? { diagnostics: built.splice(0) }
        : { whatsApp, context, diagnostics: NONE };
    },
    varsOf,
  };
}
