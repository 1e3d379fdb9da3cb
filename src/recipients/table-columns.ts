import { quoteInput } from '../diagnostics/quote.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

/** How a table's header becomes a phone column and variables (CSV, XLSX). */
export interface ColumnOptions {
  /** The phone column's header; `required` when the spec entry names it (the config's is a default). */
  phoneColumn?: { name: string; required: boolean };
  /** Header → variable name, or null to drop the column. */
  columns: Readonly<Record<string, string | null>>;
  /** Headers named in the spec entry's `columns:`: each must be in the header. */
  mustExist: readonly string[];
}

/** The phone column is phoneNumber, every other column a variable of its own name. */
export const NO_COLUMN_OPTIONS: ColumnOptions = { columns: {}, mustExist: [] };

export interface ColumnMap {
  phone: number;
  /** Variables by name and column index. */
  vars: Array<[name: string, index: number]>;
  /** The phone column's header when it was recognised rather than named phoneNumber or phoneColumn. */
  recognised?: string;
}

export interface ColumnProblem {
  code: DiagnosticCode;
  message: string;
  hint: string;
  /** The column the problem is about (else the header row). */
  column?: number;
}

/** Header names read as the phone column, compared without case, spaces, '_', '-' or '.'. */
export const PHONE_HEADERS = [
  'phoneNumber',
  'phone',
  'phone number',
  'mobile',
  'mobile number',
  'mobile phone',
  'msisdn',
  'cell',
  'cell phone',
  'whatsapp',
  'whatsapp number',
  // As Swiss, German, French and Italian exports name a mobile number.
  'handy',
  'handynummer',
  'mobil',
  'mobilnummer',
  'mobiltelefon',
  'natel',
  'natelnummer',
  'portable',
  'cellulare',
];

const loose = (name: string) => name.toLowerCase().replace(/[\s_.-]+/g, '');
const RECOGNISED = new Set(PHONE_HEADERS.map(loose));
/** Header names a message lists at most (a file that is not a table must not be quoted whole). */
const HEADERS_SHOWN = 6;

/**
 * Header names quoted in a message, cut to a readable length, and hidden when they look like a
 * secret (a .env named as a CSV).
 */
export function listHeaders(names: readonly string[]): string {
  const text = names
    .slice(0, HEADERS_SHOWN)
    .map((n) => `'${quoteInput(n, 24)}'`)
    .join(', ');
  const more = names.length > HEADERS_SHOWN ? ` and ${names.length - HEADERS_SHOWN} more` : '';
  return text ? `${text}${more}` : '(none)';
}

function findNamed(header: readonly string[], name: string): number[] {
  const exact = header.indexOf(name);
  if (exact >= 0) return [exact];
  return header.flatMap((h, i) => (loose(h) === loose(name) ? [i] : []));
}

function phoneColumnOf(
  header: readonly string[],
  options: ColumnOptions,
): { index: number; recognised?: string } | ColumnProblem {
  const named = options.phoneColumn;
  if (named) {
    const found = findNamed(header, named.name);
    if (found.length === 1) return { index: found[0] as number };
    if (found.length > 1)
      return {
        code: 'phone-column-ambiguous',
        message: `more than one column matches phoneColumn '${quoteInput(named.name)}': ${listHeaders(found.map((i) => header[i] as string))}`,
        hint: 'give each column its own header',
      };
    if (named.required)
      return {
        code: 'csv-missing-column',
        message: `has no column '${quoteInput(named.name)}' (phoneColumn)`,
        hint: `the header row names the columns; found: ${listHeaders(header)}`,
      };
  }
  const renamed = header.flatMap((h, i) =>
    Object.hasOwn(options.columns, h) && options.columns[h] === 'phoneNumber' ? [i] : [],
  );
  if (renamed.length === 1) return { index: renamed[0] as number };
  if (renamed.length > 1)
    return {
      code: 'phone-column-ambiguous',
      message: `more than one column is renamed to phoneNumber: ${listHeaders(renamed.map((i) => header[i] as string))}`,
      hint: 'rename one column to phoneNumber',
    };
  // An exact phoneNumber column wins, as it always has: other phone-like columns are then variables.
  const exact = header.indexOf('phoneNumber');
  if (exact >= 0 && !Object.hasOwn(options.columns, 'phoneNumber')) return { index: exact };
  // A column renamed or dropped in columns: is not a candidate.
  const candidates = header.flatMap((h, i) =>
    RECOGNISED.has(loose(h)) && !Object.hasOwn(options.columns, h) ? [i] : [],
  );
  if (candidates.length === 1) {
    const index = candidates[0] as number;
    return header[index] === 'phoneNumber'
      ? { index }
      : { index, recognised: header[index] as string };
  }
  if (candidates.length > 1) {
    return {
      code: 'phone-column-ambiguous',
      message: `more than one column could hold the phone numbers: ${listHeaders(candidates.map((i) => header[i] as string))}`,
      hint: `say which with phoneColumn: on the recipient file (e.g. phoneColumn: ${JSON.stringify(header[candidates[0] as number])})`,
    };
  }
  return {
    code: 'csv-missing-column',
    message: 'has no phone number column',
    hint: `name it phoneNumber (or phone, mobile, msisdn, …) or set phoneColumn: on the recipient file; the header has ${listHeaders(header)}`,
  };
}

/**
 * Which column holds the phone numbers and which variable each other column becomes. Columns
 * with an empty header, or dropped with `columns: { name: null }`, give no variable.
 */
export function mapColumns(
  header: readonly string[],
  options: ColumnOptions,
): ColumnMap | ColumnProblem {
  const absent = options.mustExist.filter((name) => !header.includes(name));
  if (absent.length > 0) {
    return {
      code: 'columns-invalid',
      message: `has no column ${listHeaders(absent)} (named in columns:)`,
      hint: `the header has ${listHeaders(header)}`,
    };
  }
  const phone = phoneColumnOf(header, options);
  if ('code' in phone) return phone;
  const vars: Array<[string, number]> = [];
  const taken = new Map<string, number>();
  for (const [index, name] of header.entries()) {
    if (index === phone.index) continue;
    const renamed = Object.hasOwn(options.columns, name) ? options.columns[name] : name;
    if (renamed === null || renamed === undefined || renamed === '') continue;
    const first = taken.get(renamed);
    if (first !== undefined) {
      return {
        code: 'columns-invalid',
        message: `two columns give the variable '${renamed}': ${listHeaders([header[first] as string, name])}`,
        hint: 'rename or drop one of them with columns: { "Header": otherName } or { "Header": null }',
        column: index,
      };
    }
    taken.set(renamed, index);
    vars.push([renamed, index]);
  }
  return {
    phone: phone.index,
    vars,
    ...(phone.recognised === undefined ? {} : { recognised: phone.recognised }),
  };
}

/** A warning naming the column read as phone numbers when its header is not phoneNumber. */
export function recognisedColumn(
  name: string,
  where: { file: string; line: number; column: number; cell?: string },
): Diagnostic {
  return makeDiagnostic(
    'phone-column-found',
    `phone numbers are read from the column ${listHeaders([name])}`,
    where,
    {
      severity: 'warning',
      hint: `set phoneColumn: ${JSON.stringify(name)} on the recipient file (or in the config's recipients:) to say so`,
    },
  );
}
