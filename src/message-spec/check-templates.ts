import Handlebars from 'handlebars';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { startOf } from '../diagnostics/position.js';
import type { SourcePosition, SpecPath } from './types.js';

interface Located {
  locate(path: SpecPath): SourcePosition;
  sourceOf(path: SpecPath): string | undefined;
}

/** Where Handlebars stopped (1-based line, 0-based column in the template) and what it says, in full. */
function explain(error: unknown, text: string): { message: string; line: number; column: number } {
  const raw = error instanceof Error ? error.message : String(error);
  const parse = /^Parse error on line (\d+):\n(.*)\n(-*)\^\n([\s\S]*)$/.exec(raw);
  if (parse) {
    // The parser shows up to 20 characters before the error (newlines dropped): find them on that line.
    const line = Number(parse[1]);
    const before = (parse[2] ?? '').slice(0, (parse[3] ?? '').length).replace(/^\.\.\./, '');
    const templateLine = text.split('\n')[line - 1] ?? '';
    let column = 0;
    for (let k = Math.min(before.length, templateLine.length); k > 0; k--) {
      const at = templateLine.indexOf(before.slice(-k));
      if (at >= 0) {
        column = at + k;
        break;
      }
    }
    const detail = (parse[4] ?? '').replace(
      /^Expecting (.*), got (.*)$/s,
      'expected $1 but found $2',
    );
    return { message: detail, line, column };
  }
  const located = /^(.*) - (\d+):(\d+)$/s.exec(raw);
  if (located)
    return { message: located[1] ?? raw, line: Number(located[2]), column: Number(located[3]) };
  return { message: raw.replace(/\n/g, ' '), line: 1, column: 0 };
}

/** The spec position of a template's line and column (plain, quoted or block scalars). */
function position(doc: Located, path: SpecPath, line: number, column: number): SourcePosition {
  const base = startOf(doc.locate(path));
  const source = doc.sourceOf(path) ?? '';
  if (/^[|>]/.test(source)) {
    const content = source.split('\n')[line] ?? '';
    return {
      ...base,
      line: base.line + line,
      column: content.length - content.trimStart().length + column,
    };
  }
  if (line === 1) return { ...base, column: base.column + (/^["']/.test(source) ? 1 : 0) + column };
  return base;
}

/** The template-syntax diagnostic for a Handlebars error: its whole message, at its line and column. */
export function templateSyntaxDiagnostic(
  error: unknown,
  text: string,
  path: SpecPath,
  doc: Located,
): Diagnostic {
  const { message, line, column } = explain(error, text);
  return makeDiagnostic(
    'template-syntax',
    `malformed template in ${path.join('.')} (line ${line}, column ${column + 1} of the template): ${message}`,
    position(doc, path, line, column),
    {
      hint: 'variables are written {{name}}; blocks as {{#if x}}…{{/if}}',
    },
  );
}

/** Every template string of whatsApp parsed, so a syntax error is found with the spec's other problems. */
export function checkTemplates(whatsApp: unknown, doc: Located): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (value: unknown, path: Array<string | number>): void => {
    if (typeof value === 'string') {
      if (!value.includes('{{')) return;
      try {
        Handlebars.parse(value);
      } catch (error) {
        out.push(templateSyntaxDiagnostic(error, value, path, doc));
      }
    } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]));
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
  };
  visit(whatsApp, ['whatsApp']);
  return out;
}
