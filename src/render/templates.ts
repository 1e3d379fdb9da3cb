import Handlebars from 'handlebars';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SpecDocument, SpecPath } from '../spec/types.js';

export interface VariableRef {
  /** Path segments, e.g. ['customer', 'name']. */
  parts: string[];
  /** 1-based line and 0-based column inside the template string. */
  line: number;
  column: number;
}

export interface CompiledField {
  path: SpecPath;
  render: (context: object) => string;
  /** Variables read in the template's own context (strict mode misses helper arguments). */
  variables: VariableRef[];
}

const SAME_CONTEXT_BLOCKS = new Set(['if', 'unless']);

function collect(program: hbs.AST.Program, out: VariableRef[]): void {
  const addPath = (node: hbs.AST.Expression) => {
    if (node.type !== 'PathExpression') return;
    const p = node as hbs.AST.PathExpression;
    if (p.data || p.parts.length === 0 || /^(this|\.)/.test(p.original)) return;
    out.push({ parts: p.parts, line: p.loc.start.line, column: p.loc.start.column });
  };
  for (const statement of program.body) {
    if (statement.type === 'MustacheStatement' || statement.type === 'BlockStatement') {
      const s = statement as hbs.AST.MustacheStatement | hbs.AST.BlockStatement;
      const isHelper = s.params.length > 0 || (s.hash?.pairs.length ?? 0) > 0 || statement.type === 'BlockStatement';
      if (!isHelper) addPath(s.path);
      s.params.forEach(addPath);
      s.hash?.pairs.forEach((pair: hbs.AST.HashPair) => addPath(pair.value));
      if (statement.type === 'BlockStatement') {
        const b = statement as hbs.AST.BlockStatement;
        const name = b.path.type === 'PathExpression' ? (b.path as hbs.AST.PathExpression).original : '';
        if (SAME_CONTEXT_BLOCKS.has(name)) {
          collect(b.program, out);
          if (b.inverse) collect(b.inverse, out);
        }
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
      const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      diagnostics.push(
        makeDiagnostic('template-syntax', `malformed template in ${path.join('.')}: ${message}`, doc.locate(path), {
          hint: 'variables are written {{name}}; blocks as {{#if x}}…{{/if}}',
        }),
      );
    }
  }
  return { fields, diagnostics };
}
