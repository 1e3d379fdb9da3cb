import {
  isAlias,
  isCollection,
  isPair,
  isScalar,
  visit,
  type Document,
  type LineCounter,
  type Node,
} from 'yaml';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { MAX_NESTING } from '../diagnostics/nesting.js';
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
    // The parser's own recursion gave up: the document is nested too deep for it.
    if (error instanceof RangeError || /call stack/i.test(message))
      return makeDiagnostic(
        'nesting-too-deep',
        `lists and mappings are nested more than ${MAX_NESTING} levels deep`,
        where,
      );
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

/** Options for every YAML input: collection keys are reported by findStructureProblems, not logged. */
export const YAML_OPTIONS = {
  uniqueKeys: true,
  prettyErrors: false,
  logLevel: 'error',
} as const;

/**
 * What the yaml library accepts but a plain value cannot hold, each at its line: nesting deeper
 * than MAX_NESTING, a list or mapping as a key, and an alias (or merge key) that refers to a node
 * containing it, which would make the value endless. Walked with a stack of its own (a document
 * nested thousands deep must not overflow the call stack), before anything else walks it.
 */
export function findStructureProblems(
  doc: Document,
  lineCounter: LineCounter,
  file: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (node: Node | null | undefined) => position(lineCounter, node?.range?.[0], file);
  const stack: Array<{ node: unknown; depth: number }> = [{ node: doc.contents, depth: 0 }];
  for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
    const { node, depth } = step;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      const [start] = node.range ?? [0];
      if (target?.range && target.range[0] <= start && start < target.range[2])
        out.push(
          makeDiagnostic(
            'yaml-alias-cycle',
            `the alias *${node.source} refers to a node that contains it`,
            at(node),
            { hint: 'an alias (or a merge key <<) may only repeat a node that is complete' },
          ),
        );
      continue;
    }
    if (!isCollection(node)) continue;
    if (depth >= MAX_NESTING) {
      out.push(
        makeDiagnostic(
          'nesting-too-deep',
          `lists and mappings are nested more than ${MAX_NESTING} levels deep`,
          at(node),
        ),
      );
      return out;
    }
    for (let i = node.items.length - 1; i >= 0; i--) {
      const item: unknown = node.items[i];
      if (!isPair(item)) {
        stack.push({ node: item, depth: depth + 1 });
        continue;
      }
      if (isCollection(item.key))
        out.push(
          makeDiagnostic(
            'yaml-collection-key',
            'a list or a mapping is used as a key',
            at(item.key),
            { hint: 'keys are plain text: write key: value (a ? starts a complex key)' },
          ),
        );
      stack.push({ node: item.value, depth: depth + 1 });
      stack.push({ node: item.key, depth: depth + 1 });
    }
  }
  return out;
}
