import Papa from 'papaparse';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourcePosition, SpecPath } from '../message-spec/types.js';
import type { RatesSource } from './read-rates.js';

const META = /^#\s*(currency|effective|source|example)\s*:\s*(.*?)\s*$/;

/**
 * A CSV rate card: `# currency: USD`, `# effective: 2025-07-01`, `# source: …` (and `# example:
 * true`) comment lines, then a header row `code,marketing,utility,authentication,service` and one
 * row per calling code. Returns the same data a YAML card gives, with positions by row.
 */
export function readRatesCsv(
  text: string,
  file: string,
): { data: unknown; source: RatesSource } | { diagnostics: Diagnostic[] } {
  const meta: Record<string, unknown> = {};
  const metaLines = new Map<string, number>();
  text.split('\n').forEach((line, i) => {
    const match = META.exec(line);
    if (match?.[1] === undefined) return;
    meta[match[1]] = match[1] === 'example' ? match[2] === 'true' : (match[2] ?? '');
    metaLines.set(match[1], i);
  });
  // One row a line (a rate card has no multi-line fields): positions are the file's lines.
  const rows: Array<{ line: number; fields: string[] }> = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const parsed = Papa.parse<string[]>(line, { header: false });
    rows.push({ line: i, fields: (parsed.data[0] ?? []).map((f) => f.trim()) });
  });
  const [head, ...body] = rows;
  if (!head)
    return {
      diagnostics: [
        makeDiagnostic(
          'rates-invalid',
          'the rate card has no header row',
          {
            file,
            line: 0,
            column: 0,
          },
          { hint: 'code,marketing,utility,authentication,service' },
        ),
      ],
    };
  const records = body.map((row) => ({
    line: row.line,
    // Empty cells are left out: the default row's price applies.
    record: Object.fromEntries(
      head.fields.flatMap((name, k) => {
        const value = row.fields[k] ?? '';
        return value === '' ? [] : [[name, value]];
      }),
    ),
  }));
  const prices = records.map((r) => r.record);
  const header = head.line;
  const locate = (path: SpecPath): SourcePosition => {
    if (path[0] === 'prices' && typeof path[1] === 'number') {
      const row = records[path[1]];
      return { file, line: row ? row.line : header, column: 0 };
    }
    const key = typeof path[0] === 'string' ? metaLines.get(path[0]) : undefined;
    return { file, line: key ?? 0, column: 0 };
  };
  return {
    data: { ...meta, prices },
    source: { locate, locateKey: locate, sourceOf: () => undefined },
  };
}
