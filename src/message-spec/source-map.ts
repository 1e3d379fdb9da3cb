import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourcePosition, SpecPath } from './types.js';

/** Maps spec paths back to YAML source ranges (0-based positions). */
export interface SourceMap {
  /** The node at `path`, or its nearest ancestor that exists. */
  locate: (path: SpecPath) => SourcePosition;
  /** The position of the key `path`'s last segment names (falls back to the value). */
  locateKey: (path: SpecPath) => SourcePosition;
  sourceOf: (path: SpecPath) => string | undefined;
}

interface Found {
  node: Node | null;
  key: Node | null;
  exact: boolean;
}

function walk(doc: Document, path: SpecPath): Found {
  let node: Node | null = doc.contents;
  let key: Node | null = null;
  for (const segment of path) {
    let next: Node | null = null;
    let nextKey: Node | null = null;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === String(segment)) {
          next = (pair.value as Node | null) ?? pair.key;
          nextKey = pair.key;
          break;
        }
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      next = (node.items[segment] as Node | undefined) ?? null;
    }
    if (!next) return { node, key, exact: false };
    node = next;
    key = nextKey;
  }
  return { node, key, exact: true };
}

export function createSourceMap(
  doc: Document,
  lineCounter: LineCounter,
  file: string,
  source: string,
): SourceMap {
  const at = (offset: number | undefined): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { file, line: line - 1, column: col - 1 };
  };
  /** The node's start and, when it is the node asked for, its last character (trailing breaks left out). */
  const span = (node: Node | null | undefined, exact: boolean): SourcePosition => {
    const start = at(node?.range?.[0]);
    const range = exact ? node?.range : undefined;
    if (!range) return start;
    let end = range[1];
    while (end > range[0] && /\s/.test(source[end - 1] ?? '')) end -= 1;
    if (end <= range[0]) return start;
    const last = at(end - 1);
    return { ...start, endLine: last.line, endColumn: last.column };
  };
  return {
    locate: (path) => {
      const found = walk(doc, path);
      return span(found.node, found.exact);
    },
    locateKey: (path) => {
      const found = walk(doc, path);
      return found.exact ? span(found.key ?? found.node, true) : at(found.node?.range?.[0]);
    },
    sourceOf: (path) => {
      const found = walk(doc, path);
      const range = found.exact ? found.node?.range : undefined;
      return range ? source.slice(range[0], range[1]) : undefined;
    },
  };
}
