import type { FileHandle } from 'node:fs/promises';
import Papa from 'papaparse';
import { makeDiagnostic, type DiagnosticSink } from '../diagnostics/diagnostic.js';
import { quoteInput } from '../diagnostics/quote.js';
import type { Vars } from '../message-spec/types.js';
import {
  delimiterName,
  detectDelimiter,
  headerLine,
  otherDelimiter,
  type Delimiter,
} from './csv-delimiter.js';
import { decodeText, NotText, type TextEncoding } from './decode-text.js';
import { CsvPlaces, type FieldPlacesOf, type ValuePlaces } from './value-places.js';
import { SETTLE, type CsvItem, type CsvLayout, type CsvPiece } from './csv-piece.js';
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
  /** In a CSV: the 0-based column of the phone number's field. */
  column?: number;
  /** Where each variable's value is (its field or cell), for diagnostics about a value. */
  places?: ValuePlaces;
}

/** How a CSV is read beyond its columns: the separator and the text encoding (both detected by default). */
export interface CsvOptions extends ColumnOptions {
  delimiter?: Delimiter;
  encoding?: TextEncoding;
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
  /** Per row: the offset in the text where it starts. */
  starts: number[];
  /** Per row: its syntax error, if any (an unclosed quote first). */
  errors: Array<Papa.ParseError | undefined>;
  /** Text after the last complete row, to be read again with the next piece. */
  rest: string;
}

/** Parses `text`; unless it is the last, its last row may be cut short and is left in `rest`. */
export function parsePiece(
  text: string,
  newline: string,
  delimiter: string,
  last: boolean,
): Parsed {
  const rows: string[][] = [];
  const ends: number[] = [];
  const errors: Array<Papa.ParseError | undefined> = [];
  Papa.parse<string[]>(text, {
    delimiter,
    newline: newline as Papa.ParseConfig['newline'],
    step: (result) => {
      rows.push(result.data);
      ends.push(result.meta.cursor);
      errors.push(result.errors.find((e) => e.code === 'MissingQuotes') ?? result.errors[0]);
    },
  });
  const starts = [0, ...ends];
  if (last) return { rows, starts, errors, rest: '' };
  const complete = Math.max(0, rows.length - 1);
  return {
    rows: rows.slice(0, complete),
    starts,
    errors,
    rest: text.slice(ends[complete - 1] ?? 0),
  };
}

/**
 * The 0-based column of each field's value (past leading spaces) in the row starting at `start`,
 * and each field's line offset from the row's first line when a quoted field spans lines.
 */
function fieldColumns(
  text: string,
  start: number,
  fields: readonly string[],
  delimiter: string,
  newline: string,
  upTo = fields.length,
): { columns: number[]; lines?: number[] } {
  const columns: number[] = [];
  let lines: number[] | undefined;
  const lineBreak = newline === '\r' ? '\r' : '\n';
  let lineStart = start;
  let lineOffset = 0;
  let pos = start;
  for (let f = 0; f < upTo; f++) {
    const field = fields[f] as string;
    let value = pos;
    while (text[value] === ' ') value++;
    columns.push(value - lineStart);
    if (lineOffset > 0) lines ??= new Array<number>(columns.length - 1).fill(0);
    lines?.push(lineOffset);
    let end = pos + field.length;
    if (text[pos] === '"') {
      end = pos + 1;
      for (;;) {
        const quote = text.indexOf('"', end);
        if (quote < 0) {
          end = text.length;
          break;
        }
        end = quote + 1;
        if (text[end] !== '"') break;
        end++;
      }
      for (
        let n = text.indexOf(lineBreak, pos);
        n >= 0 && n < end;
        n = text.indexOf(lineBreak, n + 1)
      ) {
        lineOffset++;
        lineStart = n + 1;
      }
      // Text between the closing quote and the delimiter (malformed but read by the parser).
      const next = text.indexOf(delimiter, end);
      const stop = text.indexOf(lineBreak, end);
      if (next >= 0 && (stop < 0 || next < stop)) end = next;
    }
    pos = end + delimiter.length;
  }
  return lines ? { columns, lines } : { columns };
}

/**
 * The column of field `index`'s value in the row starting at `start`: fieldColumns(…).columns[index]
 * without its arrays while no field before it is quoted (the usual row).
 */
export function fieldColumn(
  text: string,
  start: number,
  fields: readonly string[],
  delimiter: string,
  newline: string,
  index: number,
): number {
  let pos = start;
  for (let f = 0; f < index; f++) {
    if (text.charCodeAt(pos) === 0x22)
      return fieldColumns(text, start, fields, delimiter, newline, index + 1).columns[index] ?? 0;
    pos += (fields[f] as string).length + delimiter.length;
  }
  let value = pos;
  while (text.charCodeAt(value) === 0x20) value++;
  return value - start;
}

/**
 * Streams the rows of a CSV with a header row, in batches of what was read; the phone column is
 * found by mapColumns, other columns become vars. Fields are trimmed; empty lines are skipped; a row whose field count differs from the
 * header's is reported and skipped. With `pieces`, a piece of rows without quotes comes as a
 * CsvPiece (unread), and SETTLE before rows read here.
 */
export function readCsv(
  handle: FileHandle,
  file: string,
  sink: DiagnosticSink,
  options?: CsvOptions,
): AsyncIterable<RawRecipient[]>;
export function readCsv(
  handle: FileHandle,
  file: string,
  sink: DiagnosticSink,
  options: CsvOptions,
  pieces: true,
): AsyncIterable<CsvItem>;
export function readCsv(
  handle: FileHandle,
  file: string,
  sink: DiagnosticSink,
  options: CsvOptions = NO_COLUMN_OPTIONS,
  pieces = false,
): AsyncIterable<CsvItem> {
  return readCsvItems(handle, file, sink, options, pieces);
}

async function* readCsvItems(
  handle: FileHandle,
  file: string,
  sink: DiagnosticSink,
  options: CsvOptions,
  pieces: boolean,
): AsyncIterable<CsvItem> {
  const syntax = (message: string, line: number, hint = QUOTE_HINT, column = 0) =>
    sink(makeDiagnostic('csv-syntax', `${file}: ${message}`, { file, line, column }, { hint }));
  // Pieces of 16 KiB (some 500 rows): a batch's rows are all alive until it is compiled.
  const stream = handle.createReadStream({ highWaterMark: 1 << 14, autoClose: false });
  let newline: string | undefined;
  let delimiter: Delimiter | undefined = options.delimiter;
  let firstLine = '';
  /** Variable name → field index, for the places of values. */
  let fieldOf = new Map<string, number>();
  /** Header columns without a name: a value under one is reported once. */
  let unnamed: number[] = [];
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
    if (delimiter === undefined) {
      firstLine = headerLine(text);
      delimiter = detectDelimiter(firstLine);
      if (delimiter !== ',')
        sink(
          makeDiagnostic(
            'csv-delimiter',
            `${file}: columns are read as separated by ${delimiterName(delimiter)} (found in the header row)`,
            { file, line: 0, column: 0 },
            {
              severity: 'warning',
              hint: `set delimiter: ${delimiter === '\t' ? 'tab' : JSON.stringify(delimiter)} on the recipient file (or in the config's recipients:) to say so`,
            },
          ),
        );
    } else if (firstLine === '') firstLine = headerLine(text);
    const parsed = parsePiece(text, newline, delimiter, last);
    pending = parsed.rest;
    const read = recipientsOf(text, parsed, line, newline, delimiter);
    line = read.line;
    return read.out;
  };

  // The recipients of parsed rows from line `from` on; `out` undefined to stop reading.
  const recipientsOf = (
    text: string,
    { rows, starts, errors }: Parsed,
    from: number,
    newline: string,
    delimiter: Delimiter,
  ): { out: RawRecipient[] | undefined; line: number } => {
    let line = from;
    const out: RawRecipient[] = [];
    const rowDelimiter = delimiter;
    const rowNewline = newline;
    // Every field's place is worked out when a diagnostic asks (rarely); the phone's now.
    const placesOf: FieldPlacesOf = (start, fields) =>
      fieldColumns(text, start, fields, rowDelimiter, rowNewline);
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
        if (error.code === 'MissingQuotes') return { out: undefined, line };
        continue;
      }
      if (fields.length === 1 && (fields[0] as string).trim() === '') continue;
      const start = starts[r] ?? 0;
      if (!header) {
        const places = placesOf(start, fields);
        header = fields.map((name, i) => (i === 0 ? name.replace(/^\uFEFF/, '') : name).trim());
        const map = mapColumns(header, options);
        if ('code' in map) {
          const other =
            map.code === 'csv-missing-column' || map.code === 'columns-invalid'
              ? otherDelimiter(firstLine, delimiter)
              : undefined;
          sink(
            makeDiagnostic(
              map.code,
              `${file} ${map.message}`,
              {
                file,
                line: at,
                column: map.column === undefined ? 0 : (places.columns[map.column] ?? 0),
              },
              {
                hint:
                  other === undefined
                    ? map.hint
                    : `columns are read as separated by ${delimiterName(delimiter)}, and this header also holds ${delimiterName(other)}: set delimiter: ${other === '\t' ? 'tab' : JSON.stringify(other)} on the recipient file if that is its separator; the header: ${shown(header.join(delimiter))}`,
              },
            ),
          );
          return { out: undefined, line };
        }
        if (map.recognised !== undefined)
          sink(
            recognisedColumn(map.recognised, {
              file,
              line: at,
              column: places.columns[map.phone] ?? 0,
            }),
          );
        phoneColumn = map.phone;
        others = map.vars;
        fieldOf = new Map(others);
        unnamed = header.flatMap((name, i) => (name === '' && i !== phoneColumn ? [i] : []));
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
      const lost = unnamed.find((i) => (fields[i] as string).trim() !== '');
      if (lost !== undefined) {
        const places = placesOf(start, fields);
        sink(
          makeDiagnostic(
            'column-unnamed',
            `${file}: line ${at + 1} has a value in column ${lost + 1}, whose header is empty: the column is not read`,
            { file, line: at + (places.lines?.[lost] ?? 0), column: places.columns[lost] ?? 0 },
            {
              severity: 'warning',
              hint: 'give the column a header to read it as a variable (values further down are not reported)',
            },
          ),
        );
        unnamed = [];
      }
      const vars: Vars = bare ? (Object.create(null) as Vars) : {};
      for (const [name, index] of others) vars[name] = (fields[index] as string).trim();
      out.push({
        phoneNumber: (fields[phoneColumn] as string).trim(),
        vars,
        line: at,
        column: fieldColumn(text, start, fields, delimiter, newline, phoneColumn),
        places: new CsvPlaces(file, at, placesOf, start, fields, fieldOf),
      });
    }
    return { out, line };
  };

  try {
    let layout: CsvLayout | undefined;
    // The complete rows of `text` as a piece (`pending` the rest), or undefined to read them here.
    const pieceOf = (text: string): CsvPiece | undefined => {
      const cut = text.lastIndexOf('\n') + 1;
      if (!header || newline !== '\n' || unnamed.length > 0 || cut === 0 || text.includes('"'))
        return undefined;
      const rowDelimiter = delimiter as Delimiter;
      layout ??= {
        delimiter: rowDelimiter,
        fields: header.length,
        phoneColumn,
        vars: others,
        bare,
      };
      const rowsText = text.slice(0, cut);
      const at = line;
      pending = text.slice(cut);
      line += count(rowsText, '\n');
      return {
        text: rowsText,
        line: at,
        layout,
        rows: () => {
          const parsed = parsePiece(rowsText, '\n', rowDelimiter, false);
          return recipientsOf(rowsText, parsed, at, '\n', rowDelimiter).out ?? [];
        },
      };
    };
    for await (const piece of decodeText(stream as AsyncIterable<Uint8Array>, options.encoding)) {
      // A piece is what was read (16 KiB), as a batch of rows is: its problems are reported in the
      // same order (a batch's read before the previous one is finished).
      const text = pending + piece;
      const rowsPiece = pieces ? pieceOf(text) : undefined;
      if (rowsPiece) yield rowsPiece;
      else {
        if (pieces) yield SETTLE;
        const rows = rowsOf(text, false);
        if (!rows) return;
        if (rows.length > 0) yield rows;
      }
      if (pending.length > MAX_PENDING_TEXT) {
        syntax(`the row at line ${line + 1} does not end within 1 MiB (a quote not closed?)`, line);
        return;
      }
    }
    const lastPiece = pieces ? pieceOf(pending) : undefined;
    if (lastPiece) yield lastPiece;
    if (pieces) yield SETTLE;
    const rows = rowsOf(pending, true);
    if (rows && rows.length > 0) yield rows;
  } catch (error) {
    if (error instanceof NotText) {
      sink(
        makeDiagnostic(
          'csv-encoding',
          error.utf16
            ? `${file} is not UTF-8 text: it looks like UTF-16 without a byte order mark`
            : `${file} is not UTF-8 text: line ${error.line + 1} has bytes that are not UTF-8 (Windows-1252, as "Save as CSV" writes on many Windows setups?)`,
          { file, line: error.line, column: error.column },
          {
            hint: error.utf16
              ? 'set encoding: utf-16le (or utf-16be) on the recipient file, or save it as "CSV UTF-8"'
              : 'set encoding: windows-1252 on the recipient file (or in the config\'s recipients:), or save it as "CSV UTF-8"',
          },
        ),
      );
      return;
    }
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
