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

interface Row {
  fields: string[];
  /** csv-parse's line count when the record ended (1-based line of its last line). */
  lines: number;
}

/** Streams the rows of a CSV with a header row, in batches; other columns become vars. */
export async function* readCsv(absolutePath: string, file: string, sink: DiagnosticSink): AsyncIterable<RawRecipient[]> {
  // Records as arrays: csv-parse's per-record objects (columns, info: true) cost a third of
  // the parse on large files. The header and line numbers are taken here instead.
  const parser = parse({ bom: true, skip_empty_lines: true, skip_records_with_error: true, trim: true });
  const push = parser.push.bind(parser);
  // The parser's info is live: when a record is pushed it holds that record's line count.
  parser.push = (record: unknown) => push(record === null ? null : ({ fields: record as string[], lines: parser.info.lines } satisfies Row));
  parser.on('skip', (error: CsvError) => {
    sink(makeDiagnostic('csv-syntax', `${file}: ${error.message}`, { file, line: Math.max(0, Number(error.lines ?? 1) - 1), column: 0 }));
  });
  createReadStream(absolutePath)
    .on('error', (error) => parser.destroy(error))
    .pipe(parser);
  let header: string[] | undefined;
  let phoneColumn = -1;
  let others: Array<[name: string, index: number]> = [];
  try {
    for await (const rows of readBatches<Row>(parser)) {
      let start = 0;
      if (!header) {
        header = rows[0]?.fields ?? [];
        start = 1;
        phoneColumn = header.indexOf('phoneNumber');
        if (phoneColumn < 0) {
          sink(
            makeDiagnostic('csv-missing-column', `${file} has no phoneNumber column`, { file, line: 0, column: 0 }, {
              hint: `the header row names the columns; found: ${header.join(', ') || '(none)'}`,
            }),
          );
          parser.destroy();
          return;
        }
        others = header.flatMap((name, index): Array<[string, number]> => (index === phoneColumn ? [] : [[name, index]]));
      }
      const out: RawRecipient[] = [];
      for (let i = start; i < rows.length; i++) {
        const { fields, lines } = rows[i] as Row;
        const vars: Vars = Object.create(null) as Vars;
        for (const [name, index] of others) vars[name] = fields[index] ?? '';
        out.push({ phoneNumber: fields[phoneColumn] ?? '', vars, line: lines - 1 });
      }
      if (out.length > 0) yield out;
    }
  } catch (error) {
    const e = error as CsvError;
    sink(makeDiagnostic('csv-syntax', `${file}: ${e.message}`, { file, line: Math.max(0, Number(e.lines ?? 1) - 1), column: 0 }));
  } finally {
    // A reader that stops early (errors elsewhere, a request limit) closes the file now.
    parser.destroy();
  }
}
