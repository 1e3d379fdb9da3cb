import { createReadStream } from 'node:fs';
import { parse, type CsvError } from 'csv-parse';
import { makeDiagnostic, type DiagnosticSink } from '../diagnostics/diagnostic.js';
import { readBatches } from './read-batches.js';
import type { Vars } from '../spec/types.js';

export interface RawRecipient {
  phoneNumber: string;
  vars: Vars;
  /** 0-based line in the file. */
  line: number;
}

/** Streams the rows of a CSV with a header row, in batches; other columns become vars. */
export async function* readCsv(absolutePath: string, file: string, sink: DiagnosticSink): AsyncIterable<RawRecipient[]> {
  let header: string[] = [];
  const parser = createReadStream(absolutePath).pipe(
    parse({
      bom: true,
      columns: (names: string[]) => (header = names.map((n) => n.trim())),
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      trim: true,
    }),
  );
  parser.on('skip', (error: CsvError) => {
    sink(makeDiagnostic('csv-syntax', `${file}: ${error.message}`, { file, line: Math.max(0, Number(error.lines ?? 1) - 1), column: 0 }));
  });
  let checked = false;
  try {
    for await (const rows of readBatches<{ record: Record<string, string>; info: { lines: number } }>(parser)) {
      if (!checked) {
        checked = true;
        if (!header.includes('phoneNumber')) {
          sink(
            makeDiagnostic('csv-missing-column', `${file} has no phoneNumber column`, { file, line: 0, column: 0 }, {
              hint: `the header row names the columns; found: ${header.join(', ') || '(none)'}`,
            }),
          );
          parser.destroy();
          return;
        }
      }
      const others = header.filter((name) => name !== 'phoneNumber');
      yield rows.map((row) => {
        const vars: Vars = Object.create(null) as Vars;
        for (const name of others) vars[name] = row.record[name] ?? '';
        return { phoneNumber: row.record.phoneNumber ?? '', vars, line: row.info.lines - 1 };
      });
    }
  } catch (error) {
    const e = error as CsvError;
    sink(makeDiagnostic('csv-syntax', `${file}: ${e.message}`, { file, line: Math.max(0, Number(e.lines ?? 1) - 1), column: 0 }));
  }
}
