// Small input files that cost a lot if the reader's work follows what the rows share rather than
// the file's size. The hostile-files bench times them; test/bad-input/hostile-files.test.ts
// checks what they give. Each writer puts a spec and its recipient file into `dir`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';

const specFor = (dir, name, file, text = 'Hi {{name}}') => {
  const spec = join(dir, `${name}.yaml`);
  writeFileSync(
    spec,
    `name: ${name}\nrevision: 1\nwhatsApp:\n  text: "${text}"\nrecipients:\n  - file: ${file}\n`,
  );
  return spec;
};

const phone = (i) => `+4179${String(1_000_000 + i)}`;

async function zip(parts) {
  const archive = new yazl.ZipFile();
  for (const [name, text] of Object.entries(parts)) archive.addBuffer(Buffer.from(text), name);
  archive.end();
  const chunks = [];
  for await (const chunk of archive.outputStream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const NS = 'http://schemas.openxmlformats.org';

/** An XLSX (about 25 KB) whose rows all point at one shared string of `chars` characters. */
export async function writeSharedStringXlsx(dir, { rows = 2000, chars = 1_000_000 } = {}) {
  let sheet = `<row r="1"><c r="A1" t="inlineStr"><is><t>phoneNumber</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>`;
  for (let i = 0; i < rows; i++) {
    const r = i + 2;
    sheet += `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>${phone(i)}</t></is></c><c r="B${r}" t="s"><v>0</v></c></row>`;
  }
  const rel = `${NS}/officeDocument/2006/relationships`;
  const bytes = await zip({
    '[Content_Types].xml': `<?xml version="1.0"?><Types xmlns="${NS}/package/2006/content-types"/>`,
    '_rels/.rels': `<?xml version="1.0"?><Relationships xmlns="${NS}/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0"?><workbook xmlns="${NS}/spreadsheetml/2006/main" xmlns:r="${rel}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0"?><Relationships xmlns="${NS}/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0"?><worksheet xmlns="${NS}/spreadsheetml/2006/main"><sheetData>${sheet}</sheetData></worksheet>`,
    'xl/sharedStrings.xml': `<?xml version="1.0"?><sst xmlns="${NS}/spreadsheetml/2006/main"><si><t>${'x'.repeat(chars)}</t></si></sst>`,
  });
  writeFileSync(join(dir, 'shared.xlsx'), bytes);
  return specFor(dir, 'shared', 'shared.xlsx');
}

/** A CSV (about 1.7 MB) of `rows` identical rows: one number listed again and again. */
export function writeRepeatedRowsCsv(dir, { rows = 100_000 } = {}) {
  writeFileSync(
    join(dir, 'repeated.csv'),
    `phoneNumber,name\n${'+41793026727,Ann\n'.repeat(rows)}`,
  );
  return specFor(dir, 'repeated', 'repeated.csv');
}

/** Distinct rows after a quote that is never closed (every row after it is one field). */
export function writeUnclosedQuoteCsv(dir, { rows = 100_000 } = {}) {
  const lines = ['phoneNumber,name', `${phone(0)},"Ann`];
  for (let i = 1; i < rows; i++) lines.push(`${phone(i)},Person ${i}`);
  writeFileSync(join(dir, 'unclosed.csv'), `${lines.join('\n')}\n`);
  return specFor(dir, 'unclosed', 'unclosed.csv');
}

const nested = (depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** NDJSON recipients whose vars are nested `depth` deep. */
export function writeDeepNdjson(dir, { depth = 5000, rows = 1 } = {}) {
  const line = (i) => `{"phoneNumber":"${phone(i)}","vars":{"name":${nested(depth)}}}`;
  writeFileSync(
    join(dir, 'deep.ndjson'),
    `${Array.from({ length: rows }, (_, i) => line(i)).join('\n')}\n`,
  );
  return specFor(dir, 'deep-ndjson', 'deep.ndjson');
}

/** A JSON array of recipients whose vars are nested `depth` deep. */
export function writeDeepJson(dir, { depth = 5000 } = {}) {
  writeFileSync(
    join(dir, 'deep.json'),
    `[{"phoneNumber":"${phone(0)}","vars":{"name":${nested(depth)}}}]\n`,
  );
  return specFor(dir, 'deep-json', 'deep.json');
}

/** A spec whose vars are a flow mapping nested `depth` deep. */
export function writeDeepSpec(dir, { depth = 5000 } = {}) {
  const spec = join(dir, 'deep-spec.yaml');
  writeFileSync(
    spec,
    `name: deep-spec\nrevision: 1\nwhatsApp:\n  text: hi\nvars:\n  a: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\nrecipients:\n  - phoneNumber: "${phone(0)}"\n`,
  );
  return spec;
}
