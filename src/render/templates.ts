import Handlebars from 'handlebars';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { templateSyntaxDiagnostic } from '../spec/check-templates.js';
import type { SpecDocument, SpecPath } from '../spec/types.js';

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
  render: (context: object) => string;
  /** Variables read in the template's own context (strict mode misses helper arguments). */
  variables: VariableRef[];
}

const SAME_CONTEXT_BLOCKS = new Set(['if', 'unless']);

function collect(program: hbs.AST.Program, out: VariableRef[], guards: ReadonlySet<string> = new Set()): void {
  const addPath = (node: hbs.AST.Expression, printed: boolean, guard = false) => {
    if (node.type !== 'PathExpression') return;
    const p = node as hbs.AST.PathExpression;
    if (p.data || p.parts.length === 0 || /^(this|\.)/.test(p.original)) return;
    const guarded = guard || guards.has(p.parts.join('.'));
    out.push({ parts: p.parts, line: p.loc.start.line, column: p.loc.start.column, printed, guarded });
  };
  for (const statement of program.body) {
    if (statement.type === 'MustacheStatement' || statement.type === 'BlockStatement') {
      const s = statement as hbs.AST.MustacheStatement | hbs.AST.BlockStatement;
      const isHelper = s.params.length > 0 || (s.hash?.pairs.length ?? 0) > 0 || statement.type === 'BlockStatement';
      const name = s.path.type === 'PathExpression' ? (s.path as hbs.AST.PathExpression).original : '';
      if (!isHelper) addPath(s.path, true);
      // The condition of if/unless is there to test emptiness.
      s.params.forEach((param) => addPath(param, false, SAME_CONTEXT_BLOCKS.has(name)));
      s.hash?.pairs.forEach((pair: hbs.AST.HashPair) => addPath(pair.value, false));
      if (statement.type === 'BlockStatement' && SAME_CONTEXT_BLOCKS.has(name)) {
        const b = statement as hbs.AST.BlockStatement;
        const tested = b.params[0]?.type === 'PathExpression' ? (b.params[0] as hbs.AST.PathExpression).parts.join('.') : undefined;
        const withTested = tested === undefined ? guards : new Set([...guards, tested]);
        // {{#if x}}…{{else}}…{{/if}}: x has a value in the first branch; {{#unless x}} in the second.
        collect(b.program, out, name === 'if' ? withTested : guards);
        if (b.inverse) collect(b.inverse, out, name === 'unless' ? withTested : guards);
      }
    }
  }
}

/** Every string in whatsApp with the spec path that holds it. */
function stringFields(value: unknown, path: Array<string | number>, out: Array<{ path: SpecPath; text: string }>): void {
  if (typeof value === 'string') out.push({ path, text: value });
  else if (Array.isArray(value)) value.forEach((v, i) => stringFields(v, [...path, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) stringFields(v, [...path, k], out);
}

/** Compiles each template string of the spec once. */
export function compileTemplates(doc: SpecDocument): { fields: CompiledField[]; diagnostics: Diagnostic[] } {
  const strings: Array<{ path: SpecPath; text: string }> = [];
  stringFields(doc.spec.whatsApp, ['whatsApp'], strings);
  const fields: CompiledField[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const { path, text } of strings) {
    if (!text.includes('{{')) {
      fields.push({ path, render: () => text, variables: [] });
      continue;
    }
    try {
      const ast = Handlebars.parse(text);
      const variables: VariableRef[] = [];
      collect(ast, variables);
      const template = Handlebars.compile(ast, { strict: true, noEscape: true });
      fields.push({ path, render: (context) => template(context), variables });
    } catch (error) {
      diagnostics.push(templateSyntaxDiagnostic(error, text, path, doc));
    }
  }
  return { fields, diagnostics };
}
