import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { readCsv, type CsvOptions, type RawRecipient } from '../../src/recipients/read-csv.js';
import { makeWorkspace } from '../helpers/cli.js';

async function read(
  content: string | Buffer,
  options: Partial<CsvOptions> = {},
): Promise<{ rows: RawRecipient[]; diagnostics: Diagnostic[] }> {
  const { dir, cleanup } = await makeWorkspace({ 'people.csv': content });
  try {
    const rows: RawRecipient[] = [];
    const diagnostics: Diagnostic[] = [];
    const handle = await open(join(dir, 'people.csv'));
    try {
      const all: CsvOptions = { columns: {}, mustExist: [], ...options };
      for await (const batch of readCsv(handle, 'people.csv', (d) => diagnostics.push(d), all))
        rows.push(...batch);
    } finally {
      await handle.close();
    }
    return { rows, diagnostics };
  } finally {
    await cleanup();
  }
}

const summary = (rows: RawRecipient[]) => rows.map((r) => [r.line, r.phoneNumber, { ...r.vars }]);
const codes = (diagnostics: Diagnostic[]) =>
  diagnostics.map((d) => [d.code, d.severity, d.line, d.column]);

for (const [name, d] of [
  ['semicolon', ';'],
  ['tab', '\t'],
  ['pipe', '|'],
] as const) {
  test(`a ${name}-separated file is detected from its header, with a warning naming it`, async () => {
    const { rows, diagnostics } = await read(
      `phoneNumber${d}name${d}city\n41793026727${d}Anna${d}Zürich, Kreis 4\n`,
    );
    assert.equal(summary(rows), [[1, '41793026727', { name: 'Anna', city: 'Zürich, Kreis 4' }]]);
    assert.equal(codes(diagnostics), [['csv-delimiter', 'warning', 0, 0]]);
    assert.match(diagnostics[0]?.message ?? '', d === '\t' ? /by tab/ : `by '${d}'`);
  });
}

test('delimiter: set says so: no warning; a comma in a quoted header field does not mislead detection', async () => {
  const set = await read('phoneNumber;name\n41793026727;Anna\n', { delimiter: ';' });
  assert.equal(set.diagnostics, []);
  assert.equal(summary(set.rows), [[1, '41793026727', { name: 'Anna' }]]);
  const quoted = await read('"phone, mobile";name;x\n41793026727;Anna;1\n', {
    phoneColumn: { name: 'phone, mobile', required: true },
  });
  assert.equal(summary(quoted.rows), [[1, '41793026727', { name: 'Anna', x: '1' }]]);
});

test('a header that holds the other delimiter gets a hint naming it', async () => {
  const { rows, diagnostics } = await read('First Name;Mobile;City\nAnna;41793026727;Bern\n', {
    delimiter: ',',
  });
  assert.equal(rows, []);
  assert.equal(codes(diagnostics), [['csv-missing-column', 'error', 0, 0]]);
  assert.match(diagnostics[0]?.hint ?? '', /also holds ';': set delimiter: ";"/);
});

test('UTF-16 LE and BE with a byte order mark (Excel "Unicode text") are read', async () => {
  const text = 'phoneNumber\tname\r\n41793026727\tJosé\r\n';
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const be = Buffer.from(le);
  be.swap16();
  for (const bytes of [le, be]) {
    const { rows, diagnostics } = await read(bytes);
    assert.equal(summary(rows), [[1, '41793026727', { name: 'José' }]]);
    assert.equal(
      diagnostics.map((d) => d.code),
      ['csv-delimiter'],
    );
  }
});

test('Windows-1252 text is an error at its line and column with a hint, or read with encoding: windows-1252', async () => {
  const bytes = Buffer.from('phoneNumber,name\n41793026727,Ren\xe9\n', 'latin1');
  const strict = await read(bytes);
  assert.equal(strict.rows, []);
  assert.equal(codes(strict.diagnostics), [['csv-encoding', 'error', 1, 15]]);
  assert.match(strict.diagnostics[0]?.hint ?? '', /encoding: windows-1252/);
  const read1252 = await read(bytes, { encoding: 'windows-1252' });
  assert.equal(summary(read1252.rows), [[1, '41793026727', { name: 'René' }]]);
  assert.equal(read1252.diagnostics, []);
  // The euro sign is where Windows-1252 and Latin-1 differ.
  const euro = await read(Buffer.from('phoneNumber,price\n41793026727,\x80 5\n', 'latin1'), {
    encoding: 'windows-1252',
  });
  assert.equal(summary(euro.rows), [[1, '41793026727', { price: '€ 5' }]]);
});

test('UTF-8 with and without a BOM read alike', async () => {
  const text = 'phoneNumber,name\n41793026727,Zoë\n';
  for (const bytes of [Buffer.from(text), Buffer.from(`\uFEFF${text}`)]) {
    const { rows, diagnostics } = await read(bytes);
    assert.equal(summary(rows), [[1, '41793026727', { name: 'Zoë' }]]);
    assert.equal(diagnostics, []);
  }
});

test('values know their field: column of each value, lines of a quoted field over lines', async () => {
  const { rows } = await read('name,phoneNumber,city\n"A\nB",  41793026727,Bern\n');
  const row = rows[0] as RawRecipient;
  assert.is(row.column, 5, 'the phone value past its spaces');
  assert.equal(row.places?.at('city'), { file: 'people.csv', line: 2, column: 17 });
  assert.equal(row.places?.at('name'), { file: 'people.csv', line: 1, column: 0 });
});

test('a value under an empty header is a warning at its field, once', async () => {
  const { rows, diagnostics } = await read('phoneNumber,,name\n1,x,a\n2,y,b\n');
  assert.equal(rows.length, 2);
  assert.equal(codes(diagnostics), [['column-unnamed', 'warning', 1, 2]]);
  assert.match(diagnostics[0]?.message ?? '', /column 2/);
});

test.run();
