import Handlebars from 'handlebars';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { RenderLimitError } from '../errors.js';
import { templateSyntaxDiagnostic } from '../message-spec/check-templates.js';
import type { SpecDocument, SpecPath } from '../message-spec/types.js';

export interface VariableRef {
  /** Path segments, e.g. ['customer', 'name']. */
  parts: string[];
  /** 1-based line and 0-based column inside the template string. */
  line: number;
  column: number;
  /** Printed as text ({{name}}), not a helper's argument. */
  printed: boolean;
  /** Inside {{#if name}} (or the else of {{#unless name}}), or the condition itself: may be empty or null. */
  guarded: boolean;
}

export interface CompiledField {
  path: SpecPath;
  /** The template as written in the spec. */
  source: string;
  render: (context: object) => string;
  /** Variables read in the template's own context (strict mode misses helper arguments). */
  variables: VariableRef[];
}

const SAME_CONTEXT_BLOCKS = new Set(['if', 'unless']);

/** Characters a rendered field may have: its API limit, else waspec's own cap. */
const FIELD_LIMITS: Record<string, number> = {
  imageUrl: 2048,
  audioUrl: 2048,
  videoUrl: 2048,
  urlPlaceholder: 2048,
  locationName: 1000,
  address: 1000,
};
export const DEFAULT_FIELD_LIMIT = 64 * 1024;
/** Work one field may take to render for one recipient: loop iterations plus characters produced at every level. */
export const RENDER_WORK_LIMIT = 500_000;

interface Budget {
  field: string;
  limit: number;
  used: number;
}

/**
 * A Handlebars environment of its own: `log` (which writes to the console) removed, and `each`
 * (also behind `{{#list}}…{{/list}}`) charging every iteration and the text it makes to `budget`.
 */
function createEnvironment(budget: Budget): typeof Handlebars {
  const env = Handlebars.create();
  env.unregisterHelper('log');
  const each = env.helpers.each as Handlebars.HelperDelegate;
  env.registerHelper(
    'each',
    function (this: unknown, context: unknown, options: Handlebars.HelperOptions) {
      let produced = 0;
      const line = (options as { loc?: { start: { line: number } } }).loc?.start.line ?? 1;
      const counted =
        (inner: Handlebars.TemplateDelegate) =>
        (value: unknown, runtime?: Handlebars.RuntimeOptions) => {
          const out = inner(value, runtime);
          produced += out.length;
          budget.used += 1 + out.length;
          if (produced > budget.limit)
            throw new RenderLimitError(
              `${budget.field} renders to more than ${budget.limit} characters (stopped early at the {{#each}} on line ${line} of the template)`,
            );
          if (budget.used > RENDER_WORK_LIMIT)
            throw new RenderLimitError(
              `${budget.field} takes too much work to render (loops within loops; stopped at the {{#each}} on line ${line} of the template)`,
            );
          return out;
        };
      return each.call(this, context, {
        ...options,
        fn: counted(options.fn),
        inverse: counted(options.inverse),
      }) as unknown;
    },
  );
  return env;
}

/** Statements this project does not run: partials and decorators (they can recurse or grow without a loop), and `log`. */
function refused(
  program: hbs.AST.Program,
): { what: string; line: number; column: number } | undefined {
  for (const statement of program.body) {
    const at = { line: statement.loc.start.line, column: statement.loc.start.column };
    if (statement.type === 'PartialStatement' || statement.type === 'PartialBlockStatement')
      return { what: 'partials ({{> …}})', ...at };
    if (statement.type === 'DecoratorBlock' || statement.type === 'Decorator')
      return { what: 'decorators ({{* …}})', ...at };
    if (statement.type === 'MustacheStatement' || statement.type === 'BlockStatement') {
      const s = statement as hbs.AST.MustacheStatement | hbs.AST.BlockStatement;
      const calls = [s.path, ...s.params].some(
        (node) =>
          node.type === 'PathExpression' && (node as hbs.AST.PathExpression).original === 'log',
      );
      if (calls) return { what: 'the log helper', ...at };
      if (statement.type === 'BlockStatement') {
        const b = statement as hbs.AST.BlockStatement;
        const inner = refused(b.program) ?? (b.inverse ? refused(b.inverse) : undefined);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

function collect(
  program: hbs.AST.Program,
  out: VariableRef[],
  guards: ReadonlySet<string> = new Set(),
): void {
  const addPath = (node: hbs.AST.Expression, printed: boolean, guard = false) => {
    if (node.type !== 'PathExpression') return;
    const p = node as hbs.AST.PathExpression;
    if (p.data || p.parts.length === 0 || /^(this|\.)/.test(p.original)) return;
    const guarded = guard || guards.has(p.parts.join('.'));
    out.push({
      parts: p.parts,
      line: p.loc.start.line,
      column: p.loc.start.column,
      printed,
      guarded,
    });
  };
  for (const statement of program.body) {
    if (statement.type === 'MustacheStatement' || statement.type === 'BlockStatement') {
      const s = statement as hbs.AST.MustacheStatement | hbs.AST.BlockStatement;
      const isHelper =
        s.params.length > 0 ||
        (s.hash?.pairs.length ?? 0) > 0 ||
        statement.type === 'BlockStatement';
      const name =
        s.path.type === 'PathExpression' ? (s.path as hbs.AST.PathExpression).original : '';
      if (!isHelper) addPath(s.path, true);
      // The condition of if/unless is there to test emptiness.
      s.params.forEach((param) => addPath(param, false, SAME_CONTEXT_BLOCKS.has(name)));
      s.hash?.pairs.forEach((pair: hbs.AST.HashPair) => addPath(pair.value, false));
      if (statement.type === 'BlockStatement' && SAME_CONTEXT_BLOCKS.has(name)) {
        const b = statement as hbs.AST.BlockStatement;
        const tested =
          b.params[0]?.type === 'PathExpression'
            ? (b.params[0] as hbs.AST.PathExpression).parts.join('.')
            : undefined;
        const withTested = tested === undefined ? guards : new Set([...guards, tested]);
        // {{#if x}}…{{else}}…{{/if}}: x has a value in the first branch; {{#unless x}} in the second.
        collect(b.program, out, name === 'if' ? withTested : guards);
        if (b.inverse) collect(b.inverse, out, name === 'unless' ? withTested : guards);
      }
    }
  }
}

/** A piece of a plain template: its text, or the path of a variable it prints. */
type Piece = string | readonly string[];

/**
 * The pieces of a template made of text and variables alone (`Hi {{name}}, {{order.id}}`), or
 * undefined when it has anything else (helpers, blocks, `this`, `@data`, `../`).
 */
export function plainPieces(program: hbs.AST.Program, helpers: object): Piece[] | undefined {
  const pieces: Piece[] = [];
  for (const statement of program.body) {
    if (statement.type === 'ContentStatement') {
      // Its value is after whitespace control ({{~ … ~}}), as the compiled template prints it.
      const { value } = statement as hbs.AST.ContentStatement;
      if (value !== '') pieces.push(value);
    } else if (statement.type === 'CommentStatement') {
      continue;
    } else if (statement.type === 'MustacheStatement') {
      const m = statement as hbs.AST.MustacheStatement;
      if (m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0) return undefined;
      if (m.path.type !== 'PathExpression') return undefined;
      const p = m.path as hbs.AST.PathExpression;
      if (p.data || p.depth !== 0 || p.parts.length === 0 || /^(this|\.)/.test(p.original))
        return undefined;
      // A name that is also a helper's calls the helper.
      if (p.parts.length === 1 && Object.hasOwn(helpers, p.parts[0] ?? '')) return undefined;
      pieces.push([...p.parts]);
    } else return undefined;
  }
  return pieces;
}

/**
 * What the strict, unescaped compiled template prints for `pieces`, when every variable is an own
 * property holding text, a number, a boolean or null; undefined otherwise (the template itself then
 * runs, for its errors and its way of printing anything else).
 */
export function renderPlain(pieces: readonly Piece[], context: object): string | undefined {
  let out = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      out += piece;
      continue;
    }
    let value: unknown = context;
    for (const part of piece) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part))
        return undefined;
      value = (value as Record<string, unknown>)[part];
    }
    if (typeof value === 'string') out += value;
    else if (typeof value === 'number' || typeof value === 'boolean') out += String(value);
    else if (value !== null) return undefined;
  }
  return out;
}

/** Every string in whatsApp with the spec path that holds it. */
function stringFields(
  value: unknown,
  path: Array<string | number>,
  out: Array<{ path: SpecPath; text: string }>,
): void {
  if (typeof value === 'string') out.push({ path, text: value });
  else if (Array.isArray(value)) value.forEach((v, i) => stringFields(v, [...path, i], out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) stringFields(v, [...path, k], out);
}

/** Compiles each template string of the spec once. */
export function compileTemplates(doc: SpecDocument): {
  fields: CompiledField[];
  diagnostics: Diagnostic[];
} {
  const strings: Array<{ path: SpecPath; text: string }> = [];
  stringFields(doc.spec.whatsApp, ['whatsApp'], strings);
  const fields: CompiledField[] = [];
  const diagnostics: Diagnostic[] = [];
  const budget: Budget = { field: '', limit: DEFAULT_FIELD_LIMIT, used: 0 };
  const env = createEnvironment(budget);
  for (const { path, text } of strings) {
    if (!text.includes('{{')) {
      fields.push({ path, source: text, render: () => text, variables: [] });
      continue;
    }
    try {
      const ast = env.parse(text);
      const bad = refused(ast);
      if (bad) {
        diagnostics.push(
          makeDiagnostic(
            'template-syntax',
            `${bad.what} cannot be used in ${path.join('.')} (line ${bad.line} of the template)`,
            doc.locate(path),
            {
              hint: 'templates may use variables, {{#if}}, {{#unless}}, {{#each}}, {{#with}} and lookup',
            },
          ),
        );
        continue;
      }
      const variables: VariableRef[] = [];
      collect(ast, variables);
      const pieces = plainPieces(ast, env.helpers);
      const template = env.compile(ast, { strict: true, noEscape: true });
      const key = path.at(-1);
      const limit =
        (typeof key === 'string' ? FIELD_LIMITS[key] : undefined) ?? DEFAULT_FIELD_LIMIT;
      const field = path.join('.');
      // Once a field has blown its budget the spec is in error: later recipients fail fast.
      let tripped: RenderLimitError | undefined;
      const render = (context: object): string => {
        if (tripped) throw tripped;
        // Text and variables alone: printed here, without a template call's runtime set-up.
        const plain = pieces && renderPlain(pieces, context);
        if (plain !== undefined) return plain;
        budget.field = field;
        budget.limit = limit;
        budget.used = 0;
        try {
          return template(context);
        } catch (error) {
          if (error instanceof RenderLimitError) tripped = error;
          throw error;
        }
      };
      fields.push({ path, source: text, render, variables });
    } catch (error) {
      diagnostics.push(templateSyntaxDiagnostic(error, text, path, doc));
    }
  }
  return { fields, diagnostics };
}
