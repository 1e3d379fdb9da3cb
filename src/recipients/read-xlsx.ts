import type { FileHandle } from 'node:fs/promises';
import { makeDiagnostic, type DiagnosticSink } from '../diagnostics/diagnostic.js';
import { openZip, ZipProblem, type ZipArchive } from '../files/read-zip.js';
import type { Vars } from '../message-spec/types.js';
import type { RawRecipient } from './read-csv.js';
import {
  listHeaders,
  mapColumns,
  recognisedColumn,
  type ColumnMap,
  type ColumnOptions,
} from './table-columns.js';
import {
  createXmlParser,
  readCellFormats,
  readSharedStrings,
  readWorkbook,
} from './xlsx-workbook.js';
import { formatCell } from './cell-format.js';
import { CellPlaces } from './value-places.js';

/** A sheet's XML streams; past this it is refused (Excel's own limit, 1,048,576 rows, fits well within). */
export const MAX_SHEET_BYTES = 1 << 30;
/** The text of one row, as for a CSV row. */
export const MAX_ROW_CHARS = 1 << 20;
/** Excel's limits: rows and columns (XFD). */
const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;
const BATCH = 512;
const RESAVE =
  'save the workbook again from a spreadsheet program as .xlsx (without a password), or export the sheet as CSV';

/** Column letters of a 0-based index: 0 → A, 27 → AB. */
export function columnLetters(index: number): string {
  let out = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

/** A cell reference's 0-based column (B12 → 1), or undefined when it is not one. */
function columnOf(ref: string): number | undefined {
  const letters = /^([A-Z]{1,3})\d*$/i.exec(ref)?.[1]?.toUpperCase();
  if (!letters) return undefined;
  let n = 0;
  for (const c of letters) n = n * 26 + (c.charCodeAt(0) - 64);
  return n - 1;
}

/** A sheet name as Excel writes it in a reference: quoted unless plain. */
function sheetRef(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** A number as its digits: 4.1793026727E10 (how some writers store a phone number) → 41793026727. */
function numberText(text: string): string {
  if (!/e/i.test(text)) return text;
  const n = Number(text);
  return Number.isSafeInteger(n) ? String(n) : text;
}

interface Where {
  file: string;
  sheet: string;
}

const at = (where: Where, row: number, column: number) => ({
  file: where.file,
  line: row,
  column,
  cell: `${sheetRef(where.sheet)}!${columnLetters(column)}${row + 1}`,
});

/**
 * Streams the rows of one worksheet of an XLSX file: the first row with a value is the header,
 * read like a CSV's (mapColumns). Cells hold their stored value: text, shared text, numbers as
 * written (a date is its serial number), TRUE/FALSE; an error cell (#N/A) is an error. Positions
 * are cells (Sheet1!B12).
 */
export async function* readXlsx(
  handle: FileHandle,
  file: string,
  sink: DiagnosticSink,
  options: ColumnOptions & { sheet?: string },
): AsyncIterable<RawRecipient[]> {
  const invalid = (message: string, hint?: string) =>
    sink(makeDiagnostic('xlsx-invalid', `${file} ${message}`, { file }, hint ? { hint } : {}));
  try {
    const zip = await openZip(handle);
    const workbook = await readWorkbook(zip);
    const sheet =
      options.sheet === undefined
        ? workbook.sheets[0]
        : workbook.sheets.find((s) => s.name === options.sheet);
    if (!sheet || !zip.has(sheet.part)) {
      const names = listHeaders(workbook.sheets.map((s) => s.name));
      invalid(
        options.sheet === undefined ? 'has no worksheet' : `has no sheet '${options.sheet}'`,
        `its sheets: ${names}`,
      );
      return;
    }
    const shared = workbook.sharedStrings
      ? await readSharedStrings(zip, workbook.sharedStrings)
      : [];
    const formats = workbook.styles ? await readCellFormats(zip, workbook.styles) : [];
    yield* readSheet(
      zip,
      sheet.part,
      { shared, formats },
      { file, sheet: sheet.name },
      sink,
      options,
    );
  } catch (error) {
    if (!(error instanceof ZipProblem)) throw error;
    invalid(error.message, RESAVE);
  }
}

/** Ends the reading of a sheet; its diagnostic, if any, was already given. */
class StopSheet extends Error {}

async function* readSheet(
  zip: ZipArchive,
  part: string,
  { shared, formats }: { shared: readonly string[]; formats: ReadonlyArray<string | undefined> },
  where: Where,
  sink: DiagnosticSink,
  options: ColumnOptions,
): AsyncIterable<RawRecipient[]> {
  let out: RawRecipient[] = [];
  let map: ColumnMap | undefined;
  let bare = false;
  /** Variable name → its column, for the cells of values. */
  let columnsOf = new Map<string, readonly [number, string]>();
  /** The header's columns: a value beyond it or under an empty header is reported once. */
  let headerNames: string[] = [];
  let lostReported = false;
  // The cell's number format (its style's), applied to values of variables.
  let style = 0;
  // The row being read: its 0-based number, its cells by column, the text held so far.
  let row = -1;
  let cells = new Map<number, string>();
  /** Error values (#N/A) by column: an error only in a column that is read. */
  let errors = new Map<number, string>();
  let rowChars = 0;
  // The cell being read: its column, type (t=), value text, whether it is an inline string.
  let column = -1;
  let type = 'n';
  let value: string[] = [];
  let collecting = false;
  let inline = false;

  const fail = (message: string, c = column, hint = RESAVE): never => {
    sink(
      makeDiagnostic(
        'xlsx-invalid',
        `${where.file} ${message}`,
        at(where, Math.max(row, 0), Math.max(c, 0)),
        { hint },
      ),
    );
    throw new StopSheet();
  };
  const hold = (chars: number) => {
    rowChars += chars;
    if (rowChars > MAX_ROW_CHARS)
      fail(
        `has a row (${row + 1}) longer than 1 MiB of text`,
        column,
        'shorten the cells of that row, or leave the long column out of the sheet',
      );
  };
  const endCell = () => {
    const raw = value.join('');
    let text: string;
    if (type === 's') {
      const s = shared[Number(raw)];
      if (s === undefined)
        return fail(`has a cell whose shared text ${raw || '(none)'} does not exist`);
      hold(s.length);
      text = s;
    } else if (type === 'b') text = raw === '1' ? 'TRUE' : 'FALSE';
    else if (type === 'e') {
      errors.set(column, raw);
      text = '';
    } else if (type === 'n')
      // A date or a percentage reads as shown; the phone number keeps its digits.
      text = map && column !== map.phone ? formatCell(raw, formats[style]) : numberText(raw);
    else text = raw;
    cells.set(column, text.trim());
  };
  const endRow = () => {
    if ([...cells.values()].every((v) => v === '')) return;
    if (!map) {
      const header = Array.from(
        { length: Math.max(-1, ...cells.keys()) + 1 },
        (_, c) => cells.get(c) ?? '',
      );
      const mapped = mapColumns(header, options);
      if ('code' in mapped) {
        sink(
          makeDiagnostic(
            mapped.code,
            `${where.file} ${mapped.message}`,
            at(where, row, mapped.column ?? 0),
            { hint: mapped.hint },
          ),
        );
        throw new StopSheet();
      }
      map = mapped;
      headerNames = header;
      columnsOf = new Map(mapped.vars.map(([name, c]) => [name, [c, columnLetters(c)] as const]));
      if (mapped.recognised !== undefined)
        sink(recognisedColumn(mapped.recognised, at(where, row, mapped.phone)));
      bare = mapped.vars.some(([name]) => name === '__proto__');
      return;
    }
    // A row with an error value in a column that is read is reported and left out.
    let failed = false;
    for (const [c, error] of errors) {
      if (c !== map.phone && !map.vars.some(([, index]) => index === c)) continue;
      sink(
        makeDiagnostic(
          'xlsx-invalid',
          `${where.file}: the cell holds the error ${error}`,
          at(where, row, c),
          { hint: 'fix the formula, or clear the cell' },
        ),
      );
      failed = true;
    }
    if (failed) return;
    if (!lostReported) {
      const phone = map.phone;
      const lost = [...cells].find(
        ([c, v]) => v !== '' && c !== phone && (headerNames[c] ?? '') === '',
      )?.[0];
      if (lost !== undefined) {
        lostReported = true;
        sink(
          makeDiagnostic(
            'column-unnamed',
            `${where.file}: column ${columnLetters(lost)} has a value in row ${row + 1} but no header: the column is not read`,
            at(where, row, lost),
            {
              severity: 'warning',
              hint: `give column ${columnLetters(lost)} a header in the header row to read it as a variable (a merged header cell names only its first column; values further down are not reported)`,
            },
          ),
        );
      }
    }
    const vars: Vars = bare ? (Object.create(null) as Vars) : {};
    for (const [name, index] of map.vars) vars[name] = cells.get(index) ?? '';
    out.push({
      phoneNumber: cells.get(map.phone) ?? '',
      vars,
      line: row,
      cell: at(where, row, map.phone).cell,
      places: new CellPlaces(where.file, sheetRef(where.sheet), row, columnsOf),
    });
  };

  const parser = createXmlParser({
    open(name, a) {
      if (name === 'row') {
        const r = a.r === undefined ? row + 1 : Number(a.r) - 1;
        if (!Number.isInteger(r) || r <= row || r >= MAX_ROWS)
          fail(`has a row numbered ${a.r ?? '?'} after row ${row + 1}`, 0);
        row = r;
        cells = new Map();
        errors = new Map();
        rowChars = 0;
        column = -1;
      } else if (name === 'c') {
        const c = a.r === undefined ? column + 1 : columnOf(a.r);
        if (c === undefined || c <= column || c >= MAX_COLUMNS)
          fail(`has a cell ${a.r ?? '?'} out of order in row ${row + 1}`);
        column = c as number;
        type = a.t ?? 'n';
        style = a.s === undefined ? 0 : Number(a.s);
        value = [];
        inline = false;
      } else if (name === 'is') inline = true;
      else if (name === 'v' || (name === 't' && inline)) collecting = true;
    },
    text(text) {
      if (!collecting) return;
      hold(text.length);
      value.push(text);
    },
    close(name) {
      if (name === 'v' || name === 't') collecting = false;
      else if (name === 'c') endCell();
      else if (name === 'row') endRow();
    },
  });

  const stream = await zip.open(part, MAX_SHEET_BYTES);
  stream.setEncoding('utf8');
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      parser.write(chunk);
      if (out.length >= BATCH) {
        yield out;
        out = [];
      }
    }
    parser.close();
  } catch (error) {
    if (!(error instanceof StopSheet))
      throw new ZipProblem(
        `has a malformed part ${part} (${(error as Error).message.split('\n')[0] ?? ''})`,
      );
  } finally {
    stream.destroy();
  }
  if (out.length > 0) yield out;
}
