import { makeDiagnostic, type Diagnostic, type DiagnosticSink } from './diagnostic.js';
import type { DiagnosticCode } from './codes.js';

/** Diagnostics of one code in one file listed before the rest are counted instead. */
export const LISTED_PER_KIND = 5;

interface Folded {
  first: Diagnostic;
  count: number;
  error: boolean;
}

/**
 * A sink that passes on the first LISTED_PER_KIND diagnostics of each code in each file and
 * counts the rest; `flush` then gives one diagnostic per folded kind, at the first one left out,
 * saying how many there were. A file of 100,000 repeated rows gives a handful of diagnostics,
 * not 100,000 (each with a code frame to read).
 */
export function foldingSink(
  sink: DiagnosticSink,
  describe: (code: DiagnosticCode, count: number, file: string | undefined) => string,
  limit = LISTED_PER_KIND,
): { sink: DiagnosticSink; flush: () => void } {
  const seen = new Map<string, number>();
  const folded = new Map<string, Folded>();
  return {
    sink(d) {
      const key = `${d.code}\0${d.file ?? ''}`;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      if (n <= limit) return sink(d);
      const kind = folded.get(key);
      if (kind) {
        kind.count++;
        kind.error ||= d.severity === 'error';
      } else folded.set(key, { first: d, count: 1, error: d.severity === 'error' });
    },
    flush() {
      for (const { first, count, error } of folded.values())
        sink(
          makeDiagnostic(first.code, describe(first.code, count, first.file), first, {
            severity: error ? 'error' : 'warning',
          }),
        );
      folded.clear();
    },
  };
}
