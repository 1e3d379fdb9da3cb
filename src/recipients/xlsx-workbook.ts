import path from 'node:path/posix';
import { SaxesParser } from 'saxes';
import { ZipProblem, type ZipArchive } from '../files/read-zip.js';
import { formatCodeOf } from './cell-format.js';

/** Workbook, relationship and other small parts: a few KiB in practice. */
const MAX_SMALL_PART = 1 << 20;
/** The shared strings are held in memory while the sheet streams: the cap of a JSON recipient file. */
export const MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024;

export interface XmlHandlers {
  open?: (name: string, attributes: Readonly<Record<string, string>>) => void;
  text?: (text: string) => void;
  close?: (name: string) => void;
}

/** Without its namespace prefix (some writers use x:row, most row). */
const local = (name: string) => name.slice(name.indexOf(':') + 1);

/**
 * A streaming XML parser calling `handlers` with local names. saxes expands only the predefined
 * entities and refuses undeclared ones, so entity bombs and external entities cannot happen.
 */
export function createXmlParser(handlers: XmlHandlers): SaxesParser {
  const parser = new SaxesParser({ position: false });
  parser.on('opentag', (tag) => {
    if (!handlers.open) return;
    const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [name, value] of Object.entries<string | { value: string }>(tag.attributes))
      attributes[local(name)] = typeof value === 'string' ? value : value.value;
    handlers.open(local(tag.name), attributes);
  });
  if (handlers.text) {
    parser.on('text', handlers.text);
    parser.on('cdata', handlers.text);
  }
  if (handlers.close) {
    const close = handlers.close;
    parser.on('closetag', (tag) => close(local(tag.name)));
  }
  return parser;
}

/** Parses a whole part; XML errors are ZipProblems naming the part. */
async function parsePart(
  zip: ZipArchive,
  part: string,
  maxBytes: number,
  handlers: XmlHandlers,
): Promise<void> {
  const stream = await zip.open(part, maxBytes);
  const parser = createXmlParser(handlers);
  stream.setEncoding('utf8');
  try {
    for await (const chunk of stream as AsyncIterable<string>) parser.write(chunk);
    parser.close();
  } catch (error) {
    throw new ZipProblem(
      `has a malformed part ${part} (${(error as Error).message.split('\n')[0] ?? ''})`,
    );
  } finally {
    stream.destroy();
  }
}

/** Relationship targets by id, resolved against the folder of the part they belong to. */
async function relationships(
  zip: ZipArchive,
  part: string,
): Promise<Map<string, { type: string; target: string }>> {
  const rels = `${path.dirname(part) === '.' ? '' : `${path.dirname(part)}/`}_rels/${path.basename(part)}.rels`;
  const out = new Map<string, { type: string; target: string }>();
  if (!zip.has(rels)) return out;
  await parsePart(zip, rels, MAX_SMALL_PART, {
    open(name, a) {
      if (name !== 'Relationship' || !a.Id || !a.Target || a.TargetMode === 'External') return;
      const target = a.Target.startsWith('/')
        ? a.Target.slice(1)
        : path.normalize(path.join(path.dirname(part), a.Target));
      out.set(a.Id, { type: a.Type ?? '', target });
    },
  });
  return out;
}

export interface Workbook {
  /** Sheets in workbook order, with the part holding each. */
  sheets: Array<{ name: string; part: string }>;
  /** The shared strings part, when the workbook has one. */
  sharedStrings?: string;
  /** The styles part, when the workbook has one (number formats of cells). */
  styles?: string;
}

/** The workbook's sheets and shared strings part, found through the package relationships. */
export async function readWorkbook(zip: ZipArchive): Promise<Workbook> {
  const root = await relationships(zip, '');
  const office =
    [...root.values()].find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
  if (!zip.has(office))
    throw new ZipProblem(
      'is not an XLSX workbook (no xl/workbook.xml; an old .xls or another zip file?)',
    );
  const rels = await relationships(zip, office);
  const sheets: Workbook['sheets'] = [];
  await parsePart(zip, office, MAX_SMALL_PART, {
    open(name, a) {
      if (name !== 'sheet' || a.name === undefined || a.id === undefined) return;
      const part = rels.get(a.id)?.target;
      if (part) sheets.push({ name: a.name, part });
    },
  });
  const sharedStrings = [...rels.values()].find((r) => r.type.endsWith('/sharedStrings'))?.target;
  const styles = [...rels.values()].find((r) => r.type.endsWith('/styles'))?.target;
  return {
    sheets,
    ...(sharedStrings && zip.has(sharedStrings) ? { sharedStrings } : {}),
    ...(styles && zip.has(styles) ? { styles } : {}),
  };
}

/** Per cell style (the s= of a cell), the format code of its number format; undefined for General. */
export async function readCellFormats(
  zip: ZipArchive,
  part: string,
): Promise<Array<string | undefined>> {
  const custom = new Map<number, string>();
  const formats: Array<string | undefined> = [];
  let inCellXfs = false;
  await parsePart(zip, part, MAX_SMALL_PART * 16, {
    open(name, a) {
      if (name === 'numFmt' && a.numFmtId !== undefined && a.formatCode !== undefined)
        custom.set(Number(a.numFmtId), a.formatCode);
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs)
        formats.push(formatCodeOf(Number(a.numFmtId ?? 0), custom));
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return formats;
}

/** The shared strings table: the text of each <si>, phonetic runs (<rPh>) left out. */
export async function readSharedStrings(zip: ZipArchive, part: string): Promise<string[]> {
  const strings: string[] = [];
  let current: string[] = [];
  let inText = false;
  let phonetic = 0;
  await parsePart(zip, part, MAX_SHARED_STRINGS_BYTES, {
    open(name) {
      if (name === 'si') current = [];
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && phonetic === 0) inText = true;
    },
    text(text) {
      if (inText) current.push(text);
    },
    close(name) {
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') strings.push(current.join(''));
    },
  });
  return strings;
}
