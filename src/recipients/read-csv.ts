import type { FileHandle } from 'node:fs/promises';
import Papa from 'papaparse';
import { makeDiagnostic, type DiagnosticSink } from '../diagnostics/diagnostic.js';
import { quoteInput } from '../diagnostics/quote.js';
import type { Vars } from '../message-spec/types.js';
import {
  listHeaders,
  mapColumns,
  NO_COLUMN_OPTIONS,
  recognisedColumn,
  type ColumnOptions,
} from './table-columns.js';

export interface RawRecipient {
  phoneNumber: string;
  vars: Vars;
  /** 0-based line in the file (the row in a spreadsheet). */
  line: number;
  /** In a spreadsheet: the cell of the phone number (Sheet1!B12). */
  cell?: string;
}

const QUOTE_HINT =
  'a field with a comma, quote or line break is written in double quotes, with "" for a quote inside it';

/** Text read but not yet parsed (an unfinished row) beyond which a quote is taken as not closed. */
const MAX_PENDING_TEXT = 1 << 20;

function lineBreakOf(text: string): '\n' | '\r\n' | '\r' {
  const lf = text.indexOf('\n');
  if (lf > 0 && text[lf - 1] === '\r') return '\r\n';
  if (lf < 0 && text.includes('\r')) return '\r';
  return '\n';
}

/** A header quoted in a hint: its start only, secrets redacted (a .env named as a CSV). */
const shown = (text: string) => `'${quoteInput(text)}'`;

function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n++;
  return n;
}

interface Parsed {
  rows: string[][];
  /** Per row: its syntax error, if any (an unclosed quote first). */
  errors: Array<Papa.ParseError | undefined>;
  /** Text after the last complete row, to be read again with the next piece. */
  rest: string;
}

/** Parses `text`; unless it is the last, its last row may be cut short and is left in `rest`. */
function parsePiece(text: string, newline: string, last: boolean): Parsed {
  const rows: string[][] = [];
  const ends: number[] = [];
  const errors: Array<Papa.ParseError | undefined> = [];
  Papa.parse<string[]>(text, {
    delimiter: ',',
    newline: newline as Papa.ParseConfig['newline'],
    step: (result) => {
      rows.push(result.data);
      ends.push(result.meta.cursor);
      errors.push(result.errors.find((e) => e.code === 'MissingQuotes') ?? result.errors[0]);
    },
  });
  if (last) return { rows, errors, rest: '' };
  const complete = Math.max(0, rows.length - 1);
  return { rows: rows.slice(0, complete), errors, rest: text.slice(ends[complete - 1] ?? 0) };
}

/**
 * Streams the rows of a CSV with a header row, in batches of what was read; the phone column is
 * found by mapColumns, other columns become vars. Fields are trimmed; empty lines are skipped; a row whose field count differs from the
 * header's is reported and skipped.
 */
export async function* readCsv(
  handle: FileHandle,
  file: string,
  sink: DiagnosticSink,
  options: ColumnOptions = NO_COLUMN_OPTIONS,
): AsyncIterable<RawRecipient[]> {
  const syntax = (message: string, line: number, hint = QUOTE_HINT) =>
    sink(makeDiagnostic('csv-syntax', `${file}: ${message}`, { file, line, column: 0 }, { hint }));
  // Text decoding in the stream keeps a character split between two reads whole.
  const stream = handle.createReadStream({
    encoding: 'utf8',
    highWaterMark: 1 << 16,
    autoClose: false,
  });
  let newline: string | undefined;
  let pending = '';
  /** 0-based line where `pending` starts. */
  let line = 0;
  let header: string[] | undefined;
  let phoneColumn = -1;
  let others: Array<[name: string, index: number]> = [];
  let bare = false;

  // The recipients of the complete rows of `text`, or undefined to stop reading.
  const rowsOf = (text: string, last: boolean): RawRecipient[] | undefined => {
    newline ??= lineBreakOf(text);
    const { rows, errors, rest } = parsePiece(text, newline, last);
    pending = rest;
    const out: RawRecipient[] = [];
    for (let r = 0; r < rows.length; r++) {
      const fields = rows[r] as string[];
      const at = line;
      line++;
      for (const field of fields)
        if (field.length > 0) line += count(field, newline === '\r' ? '\r' : '\n');
      const error = errors[r];
      if (error) {
        syntax(`${error.message.toLowerCase()} (line ${at + 1})`, at);
        // A quote left open swallows the rest of the file: nothing after it can be trusted.
        if (error.code === 'MissingQuotes') return undefined;
        continue;
      }
      if (fields.length === 1 && (fields[0] as string).trim() === '') continue;
      if (!header) {
        header = fields.map((name, i) => (i === 0 ? name.replace(/^\uFEFF/, '') : name).trim());
        const map = mapColumns(header, options);
        if ('code' in map) {
          const otherSeparator =
            map.code === 'csv-missing-column' && /[;\t|]/.test(header.join(''));
          sink(
            makeDiagnostic(
              map.code,
              `${file} ${map.message}`,
              { file, line: at, column: 0 },
              {
                hint: otherSeparator
                  ? `columns are separated by commas; this header looks separated by another character: ${shown(header.join(','))}`
                  : map.hint,
              },
            ),
          );
          return undefined;
        }
        if (map.recognised !== undefined)
          sink(recognisedColumn(map.recognised, { file, line: at, column: 0 }));
        phoneColumn = map.phone;
        others = map.vars;
        // A column named __proto__ must stay a var, not set the prototype of a plain object.
        bare = others.some(([name]) => name === '__proto__');
        continue;
      }
      if (fields.length !== header.length) {
        syntax(
          `line ${at + 1} has ${fields.length} fields, the header has ${header.length}`,
          at,
          `every row has the header's columns (${listHeaders(header)}); ${QUOTE_HINT}`,
        );
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
    syntax(
      `cannot be read: ${(error as Error).message}`,
      line,
      'check that the file is readable text (UTF-8)',
    );
  } finally {
    // A reader that stops early (errors elsewhere, a request limit) closes the file now.
    stream.destroy();
  }
}
