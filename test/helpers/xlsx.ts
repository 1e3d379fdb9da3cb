import yazl from 'yazl';
import { columnLetters } from '../../src/recipients/read-xlsx.js';

/** `format`: a built-in numFmtId (14 is a date) or a custom format code ("dd.mm.yyyy"). */
export type Cell =
  | string
  | number
  | boolean
  | null
  | { error: string }
  | { inline: string }
  | { number: number; format: number | string };

export interface SheetSpec {
  name: string;
  rows: Cell[][];
  /** Merged ranges (B1:C1), as Excel writes them after the rows. */
  merge?: string[];
}

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The parts of a minimal XLSX workbook as Excel writes it: strings shared, numbers as values. */
export function xlsxParts(sheets: SheetSpec[]): Record<string, string> {
  const shared: string[] = [];
  const index = new Map<string, number>();
  // Cell styles by format: style 0 is General; custom codes get numFmtIds from 164, as Excel's do.
  const styles = new Map<number | string, number>();
  const custom = new Map<string, number>();
  const styleOf = (format: number | string): number => {
    let s = styles.get(format);
    if (s === undefined) {
      s = styles.size + 1;
      styles.set(format, s);
      if (typeof format === 'string' && !custom.has(format)) custom.set(format, 164 + custom.size);
    }
    return s;
  };
  const sheetXml = (rows: Cell[][], merge: string[] = []) => {
    const body = rows
      .map((cells, r) => {
        const xml = cells
          .map((cell, c) => {
            const ref = `${columnLetters(c)}${r + 1}`;
            if (cell === null) return '';
            if (typeof cell === 'number') return `<c r="${ref}"><v>${cell}</v></c>`;
            if (typeof cell === 'boolean') return `<c r="${ref}" t="b"><v>${cell ? 1 : 0}</v></c>`;
            if (typeof cell === 'object' && 'number' in cell)
              return `<c r="${ref}" s="${styleOf(cell.format)}"><v>${cell.number}</v></c>`;
            if (typeof cell === 'object' && 'error' in cell)
              return `<c r="${ref}" t="e"><v>${escape(cell.error)}</v></c>`;
            if (typeof cell === 'object')
              return `<c r="${ref}" t="inlineStr"><is><t>${escape(cell.inline)}</t></is></c>`;
            let at = index.get(cell);
            if (at === undefined) {
              at = shared.length;
              index.set(cell, at);
              shared.push(cell);
            }
            return `<c r="${ref}" t="s"><v>${at}</v></c>`;
          })
          .join('');
        return `<row r="${r + 1}">${xml}</row>`;
      })
      .join('');
    return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData>${merge.length > 0 ? `<mergeCells count="${merge.length}">${merge.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>` : ''}</worksheet>`;
  };
  const parts: Record<string, string> = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  };
  sheets.forEach((sheet, i) => {
    parts[`xl/worksheets/sheet${i + 1}.xml`] = sheetXml(sheet.rows, sheet.merge);
  });
  parts['xl/workbook.xml'] =
    `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheets
      .map((s, i) => `<sheet name="${escape(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
      .join('')}</sheets></workbook>`;
  parts['xl/_rels/workbook.xml.rels'] =
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
      .map(
        (_, i) =>
          `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
      )
      .join(
        '',
      )}<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId${sheets.length + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;
  const ids = [...styles.keys()].map((f) =>
    typeof f === 'number' ? f : (custom.get(f) as number),
  );
  parts['xl/styles.xml'] =
    `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="${custom.size}">${[
      ...custom,
    ]
      .map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${escape(code)}"/>`)
      .join(
        '',
      )}</numFmts><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="${ids.length + 1}"><xf numFmtId="0" xfId="0"/>${ids
      .map((id) => `<xf numFmtId="${id}" xfId="0" applyNumberFormat="1"/>`)
      .join('')}</cellXfs></styleSheet>`;
  parts['xl/sharedStrings.xml'] =
    `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${shared.length}" uniqueCount="${shared.length}">${shared
      .map((s) => `<si><t xml:space="preserve">${escape(s)}</t></si>`)
      .join('')}</sst>`;
  return parts;
}

/** Zips parts into a file's bytes (deflated, as Excel does). */
export async function zipParts(parts: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(parts))
    zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export async function makeXlsx(sheets: SheetSpec[]): Promise<Buffer> {
  return zipParts(xlsxParts(sheets));
}
