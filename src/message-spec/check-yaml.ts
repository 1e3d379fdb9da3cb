import { isAlias, isScalar, visit, type Document, type LineCounter } from 'yaml';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { quoteInput } from '../diagnostics/quote.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function position(lineCounter: LineCounter, offset: number | undefined, file: string) {
  const { line, col } = lineCounter.linePos(offset ?? 0);
  return { file, line: line - 1, column: col - 1 };
}

/** Keys that could reach an object's prototype are refused wherever they appear. */
export function findForbiddenKeys(
  doc: Document,
  lineCounter: LineCounter,
  file: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && FORBIDDEN_KEYS.has(String(pair.key.value))) {
        out.push(
          makeDiagnostic(
            'forbidden-key',
            `the key '${String(pair.key.value)}' is not allowed`,
            position(lineCounter, pair.key.range?.[0], file),
            { hint: 'rename it: keys that name object internals are refused' },
          ),
        );
      }
    },
  });
  return out;
}

/** Position of the first alias, for the alias-bomb diagnostic. */
export function firstAliasPosition(doc: Document, lineCounter: LineCounter, file: string) {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      if (isAlias(node)) offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return position(lineCounter, offset, file);
}

/**
 * The first line of a YAML library message with the source text it quotes cut and redacted (a
 * file that is not YAML, such as .git/config, must not be shown whole).
 */
export function yamlErrorText(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return first.replace(/"((?:[^"\\]|\\.)*)"/g, (_, quoted: string) => `"${quoteInput(quoted)}"`);
}

/** YAML parse errors as diagnostics. */
export function yamlErrors(doc: Document, lineCounter: LineCounter, file: string): Diagnostic[] {
  return doc.errors.map((error) => {
    const where = position(lineCounter, error.pos[0], file);
    const message = yamlErrorText(error.message);
    return error.code === 'DUPLICATE_KEY'
      ? makeDiagnostic('yaml-duplicate-key', message, where, {
          hint: 'each key may appear once in a mapping',
        })
      : error.code === 'MISSING_CHAR'
        ? makeDiagnostic('yaml-syntax', message, where, {
            hint: 'a quote or bracket opened earlier is not closed',
          })
        : makeDiagnostic('yaml-syntax', message, where);
  });
}
