import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import { makeDiagnostic, type DiagnosticSink } from '../diagnostics/diagnostic.js';
import type { Vars } from '../spec/types.js';

export interface RawRecipient {
  phoneNumber: string;
  vars: Vars;
  /** 0-based line in the file. */
  line: number;
}

/** Text read but not yet parsed (an unfinished row) beyond which a quote is taken as not closed. */
const MAX_PENDING_TEXT = 1 << 20;

function lineBreakOf(text: string): '\n' | '\r\n' | '\r' {
  const lf = text.indexOf('\n');
  if (lf > 0 && text[lf - 1] === '\r') return '\r\n';
  if (lf < 0 && text.includes('\r')) return '\r';
  return '\n';
}

function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n++;
  return n;
}

/**
 * Streams the rows of a CSV with a header row, in batches of what was read; other columns become
 * vars. Fields are trimmed; empty lines are skipped; a row whose field count differs from the
 * header's is reported and skipped.
 */
export async function* readCsv(absolutePath: string, file: string, sink: DiagnosticSink): AsyncIterable<RawRecipient[]> {
  const syntax = (message: string, line: number) => sink(makeDiagnostic('csv-syntax', `${file}: ${message}`, { file, line, column: 0 }));
  // Text decoding in the stream keeps a character split between two reads whole.
  const stream = createReadStream(absolutePath, { encoding: 'utf8', highWaterMark: 1 << 16 });
  let parser: Papa.Parser | undefined;
  let newline = '\n';
  let pending = '';
  /** 0-based line where `pending` starts. */
  let line = 0;
  let header: string[] | undefined;
  let phoneColumn = -1;
  let others: Array<[name: string, index: number]> = [];
  let bare = false;

  // Parses `text` (whole rows unless `last`); returns the recipients, or undefined to stop reading.
  const rowsOf = (text: string, last: boolean): RawRecipient[] | undefined => {
    parser ??= new Papa.Parser({ delimiter: ',', newline: (newline = lineBreakOf(text)) as Papa.ParseConfig['newline'] });
    const { data, errors, meta } = parser.parse(text, 0, !last) as Papa.ParseResult<string[]>;
    pending = last ? '' : text.slice(meta.cursor);
    const broken = new Map<number, string>();
    for (const error of errors) if (error.row !== undefined && !broken.has(error.row)) broken.set(error.row, error.message);
    const out: RawRecipient[] = [];
    for (let r = 0; r < data.length; r++) {
      const fields = data[r] as string[];
      const at = line;
      line++;
      for (const field of fields) if (field.length > 0) line += count(field, newline === '\r' ? '\r' : '\n');
      const problem = broken.get(r);
      if (problem !== undefined) {
        syntax(`${problem.toLowerCase()} (line ${at + 1})`, at);
        // A quote left open swallows the rest of the file: nothing after it can be trusted.
        return errors.some((e) => e.code === 'MissingQuotes') ? undefined : out;
      }
      if (fields.length === 1 && (fields[0] as string).trim() === '') continue;
      if (!header) {
        header = fields.map((name, i) => (i === 0 ? name.replace(/^\uFEFF/, '') : name).trim());
        phoneColumn = header.indexOf('phoneNumber');
        if (phoneColumn < 0) {
          sink(
            makeDiagnostic('csv-missing-column', `${file} has no phoneNumber column`, { file, line: at, column: 0 }, {
              hint: `the header row names the columns; found: ${header.join(', ') || '(none)'}`,
            }),
          );
          return undefined;
        }
        // A column named __proto__ must stay a var, not set the prototype of a plain object.
        bare = header.includes('__proto__');
        others = header.flatMap((name, index): Array<[string, number]> => (index === phoneColumn ? [] : [[name, index]]));
        continue;
      }
      if (fields.length !== header.length) {
        syntax(`line ${at + 1} has ${fields.length} fields, the header has ${header.length}`, at);
        continue;
      }
      const vars: Vars = bare ? (Object.create(null) as Vars) : {};
      for (const [name, index] of others) vars[name] = (fields[index] as string).trim();
      out.push({ phoneNumber: (fields[phoneColumn] as string).trim(), vars, line: at });
    }
    return out;
  };

  try {
    for await (const piece of stream as AsyncIterable<string>) {
      const rows = rowsOf(pending + piece, false);
      if (!rows) return;
      if (rows.length > 0) yield rows;
      if (pending.length > MAX_PENDING_TEXT) {
        syntax(`the row at line ${line + 1} does not end within 1 MiB (a quote not closed?)`, line);
        return;
      }
    }
    const rows = rowsOf(pending, true);
    if (rows && rows.length > 0) yield rows;
  } catch (error) {
    syntax(`cannot be read: ${(error as Error).message}`, line);
  } finally {
    // A reader that stops early (errors elsewhere, a request limit) closes the file now.
    stream.destroy();
  }
}
