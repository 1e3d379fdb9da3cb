import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { RawRecipient } from '../../src/recipients/read-csv.js';
import { columnLetters, readXlsx } from '../../src/recipients/read-xlsx.js';
import { NO_COLUMN_OPTIONS, type ColumnOptions } from '../../src/recipients/table-columns.js';
import { makeWorkspace } from '../helpers/cli.js';
import { makeXlsx, xlsxParts, zipParts, type SheetSpec } from '../helpers/xlsx.js';

async function read(bytes: Buffer, options: Partial<ColumnOptions> & { sheet?: string } = {}) {
  const { dir, cleanup } = await makeWorkspace({ 'people.xlsx': bytes });
  const diagnostics: Diagnostic[] = [];
  const rows: RawRecipient[] = [];
  let batches = 0;
  try {
    const handle = await open(join(dir, 'people.xlsx'));
    try {
      for await (const batch of readXlsx(handle, 'people.xlsx', (d) => diagnostics.push(d), {
        ...NO_COLUMN_OPTIONS,
        ...options,
      })) {
        rows.push(...batch);
        batches++;
      }
    } finally {
      await handle.close();
    }
  } finally {
    await cleanup();
  }
  return { rows, diagnostics, batches };
}

const problems = (diagnostics: Diagnostic[]) => diagnostics.map((d) => [d.code, d.cell ?? null]);

test('column letters', () => {
  assert.equal([0, 1, 25, 26, 27, 701, 702, 16383].map(columnLetters), [
    'A',
    'B',
    'Z',
    'AA',
    'AB',
    'ZZ',
    'AAA',
    'XFD',
  ]);
});

test('cells as Excel stores them: shared and inline text, numbers (also in exponent form), booleans; rows named by the phone cell', async () => {
  const sheet: SheetSpec = {
    name: 'Contacts',
    rows: [
      [],
      ['Name', 'phoneNumber', 'Discount', 'VIP'],
      ['Anna', 41793026727, 20, true],
      [],
      [{ inline: 'Ben' }, '+44 7911 123456', 0.5, false],
    ],
  };
  const parts = xlsxParts([sheet]);
  // Some writers store a whole number in exponent form.
  parts['xl/worksheets/sheet1.xml'] = (parts['xl/worksheets/sheet1.xml'] as string).replace(
    '<v>41793026727</v>',
    '<v>4.1793026727E10</v>',
  );
  const { rows, diagnostics } = await read(await zipParts(parts));
  assert.equal(diagnostics, []);
  assert.equal(
    rows.map((r) => [r.phoneNumber, r.vars, r.line, r.cell]),
    [
      ['41793026727', { Name: 'Anna', Discount: '20', VIP: 'TRUE' }, 2, 'Contacts!B3'],
      ['+44 7911 123456', { Name: 'Ben', Discount: '0.5', VIP: 'FALSE' }, 4, 'Contacts!B5'],
    ],
  );
});

test('a recognised phone column is a warning at its header cell; a sheet name with a space is quoted', async () => {
  const { rows, diagnostics } = await read(
    await makeXlsx([
      {
        name: 'My List',
        rows: [
          ['Name', 'Mobile'],
          ['Anna', '079 302 67 27'],
        ],
      },
    ]),
  );
  assert.equal(problems(diagnostics), [['phone-column-found', "'My List'!B1"]]);
  assert.equal(rows[0]?.cell, "'My List'!B2");
});

test('the first sheet, or the one named by sheet:; an unknown sheet lists the sheets', async () => {
  const bytes = await makeXlsx([
    { name: 'Notes', rows: [['phoneNumber'], ['41793026727']] },
    { name: 'VIP', rows: [['phoneNumber'], ['447911123456']] },
  ]);
  assert.equal(
    (await read(bytes)).rows.map((r) => r.phoneNumber),
    ['41793026727'],
  );
  assert.equal(
    (await read(bytes, { sheet: 'VIP' })).rows.map((r) => r.cell),
    ['VIP!A2'],
  );
  const missing = await read(bytes, { sheet: 'Vip list' });
  assert.equal(problems(missing.diagnostics), [['xlsx-invalid', null]]);
  assert.match(missing.diagnostics[0]?.message ?? '', /no sheet 'Vip list'/);
  assert.match(missing.diagnostics[0]?.hint ?? '', /'Notes', 'VIP'/);
});

test('an error value (#N/A) in a column that is read leaves its row out with a diagnostic; in a dropped column it is ignored', async () => {
  const bytes = await makeXlsx([
    {
      name: 'S',
      rows: [
        ['phoneNumber', 'name', 'id'],
        ['41793026727', { error: '#N/A' }, 1],
        ['447911123456', 'Ben', { error: '#REF!' }],
      ],
    },
  ]);
  const { rows, diagnostics } = await read(bytes, { columns: { id: null } });
  assert.equal(
    rows.map((r) => r.phoneNumber),
    ['447911123456'],
  );
  assert.equal(problems(diagnostics), [['xlsx-invalid', 'S!B2']]);
  assert.match(diagnostics[0]?.message ?? '', /#N\/A/);
});

test('header problems point at the header row', async () => {
  const { rows, diagnostics } = await read(
    await makeXlsx([
      {
        name: 'S',
        rows: [
          ['Phone', 'Mobile'],
          ['41793026727', '41793026728'],
        ],
      },
    ]),
  );
  assert.equal(rows, []);
  assert.equal(problems(diagnostics), [['phone-column-ambiguous', 'S!A1']]);
});

test('a big sheet streams in several batches', async () => {
  const rows: SheetSpec['rows'] = [['phoneNumber', 'name']];
  for (let i = 0; i < 3000; i++) rows.push([`4179${String(i).padStart(7, '0')}`, `n${i}`]);
  const read3000 = await read(await makeXlsx([{ name: 'S', rows }]));
  assert.is(read3000.rows.length, 3000);
  assert.ok(read3000.batches > 1, `${read3000.batches} batches`);
  assert.is(read3000.rows[2999]?.cell, 'S!A3001');
});

// --- untrusted files: one diagnostic, never a crash or a hang ---

test('a file that is not a zip (a CSV renamed .xlsx) is an xlsx-invalid diagnostic', async () => {
  const { diagnostics } = await read(Buffer.from('phoneNumber,name\n41793026727,Anna\n'));
  assert.equal(problems(diagnostics), [['xlsx-invalid', null]]);
  assert.match(diagnostics[0]?.message ?? '', /not a zip archive/);
  assert.ok(diagnostics[0]?.hint);
});

test('a zip without a workbook is not an XLSX workbook', async () => {
  const { diagnostics } = await read(await zipParts({ 'readme.txt': 'hello' }));
  assert.match(diagnostics[0]?.message ?? '', /not an XLSX workbook/);
});

test('a zip bomb (a sheet that expands hundreds of times) is refused before it is inflated', async () => {
  const parts = xlsxParts([{ name: 'S', rows: [['phoneNumber'], ['41793026727']] }]);
  // 64 MiB of whitespace inside the sheet's XML: valid XML, deflated to about 64 KiB.
  parts['xl/worksheets/sheet1.xml'] = (parts['xl/worksheets/sheet1.xml'] as string).replace(
    '<sheetData>',
    `<sheetData>${' '.repeat(64 << 20)}`,
  );
  const bytes = await zipParts(parts);
  assert.ok(bytes.length < 1 << 20, `${bytes.length} bytes`);
  const { rows, diagnostics } = await read(bytes);
  assert.equal(rows, []);
  assert.equal(problems(diagnostics), [['xlsx-invalid', null]]);
  assert.match(diagnostics[0]?.message ?? '', /expands \d+ times \(a zip bomb\?\)/);
});

/** The central directory record of `name`, to rewrite the sizes it declares. */
function centralRecord(zip: Buffer, name: string): number {
  for (
    let at = zip.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'));
    at >= 0;
    at = zip.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'), at - 1)
  ) {
    const length = zip.readUInt16LE(at + 28);
    if (zip.toString('utf8', at + 46, at + 46 + length) === name) return at;
  }
  throw new Error(`no ${name}`);
}

test('a part that declares more than the cap is refused without reading it', async () => {
  const bytes = await makeXlsx([{ name: 'S', rows: [['phoneNumber'], ['41793026727']] }]);
  const record = centralRecord(bytes, 'xl/sharedStrings.xml');
  bytes.writeUInt32LE(200 << 20, record + 24); // uncompressed size: 200 MiB, over the 64 MiB of shared strings
  bytes.writeUInt32LE(100 << 20, record + 20); // compressed size alike, so the ratio alone would pass
  const { diagnostics } = await read(bytes);
  assert.equal(problems(diagnostics), [['xlsx-invalid', null]]);
  assert.match(diagnostics[0]?.message ?? '', /sharedStrings\.xml\) of 200 MiB, over the 64 MiB/);
});

test('a part that inflates past the size it declares is stopped (yauzl checks it)', async () => {
  const bytes = await makeXlsx([
    {
      name: 'S',
      rows: [
        ['phoneNumber', 'name'],
        ['41793026727', 'Anna'],
      ],
    },
  ]);
  const record = centralRecord(bytes, 'xl/worksheets/sheet1.xml');
  bytes.writeUInt32LE(50, record + 24);
  const { rows, diagnostics } = await read(bytes);
  assert.equal(rows, []);
  assert.equal(problems(diagnostics), [['xlsx-invalid', null]]);
  assert.match(diagnostics[0]?.message ?? '', /sheet1\.xml/);
});

test('malformed XML and entity declarations are diagnostics naming the part', async () => {
  const broken = xlsxParts([{ name: 'S', rows: [['phoneNumber'], ['41793026727']] }]);
  broken['xl/worksheets/sheet1.xml'] = '<worksheet><sheetData><row><c><v>1</c></row>';
  assert.match(
    (await read(await zipParts(broken))).diagnostics[0]?.message ?? '',
    /malformed part xl\/worksheets\/sheet1\.xml/,
  );
  const entities = xlsxParts([{ name: 'S', rows: [['phoneNumber'], ['41793026727']] }]);
  entities['xl/sharedStrings.xml'] =
    '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><sst><si><t>&b;</t></si></sst>';
  const { diagnostics } = await read(await zipParts(entities));
  assert.equal(problems(diagnostics), [['xlsx-invalid', null]]);
  assert.match(diagnostics[0]?.message ?? '', /malformed part xl\/sharedStrings\.xml/);
});

test('a row of more than 1 MiB of text stops the sheet with a diagnostic at that row, as in a CSV', async () => {
  // Random text: a repeated letter would compress like a zip bomb.
  const note = randomBytes(600_000).toString('hex');
  const { rows, diagnostics } = await read(
    await makeXlsx([
      {
        name: 'S',
        rows: [
          ['phoneNumber', 'note'],
          ['41793026727', 'ok'],
          ['447911123456', note],
        ],
      },
    ]),
  );
  assert.equal(
    rows.map((r) => r.phoneNumber),
    ['41793026727'],
  );
  assert.equal(problems(diagnostics), [['xlsx-invalid', 'S!B3']]);
  assert.match(diagnostics[0]?.message ?? '', /longer than 1 MiB/);
  assert.match(diagnostics[0]?.hint ?? '', /shorten the cells/);
});

test('rows out of order are refused (a row number cannot go back)', async () => {
  const parts = xlsxParts([{ name: 'S', rows: [['phoneNumber'], ['41793026727']] }]);
  parts['xl/worksheets/sheet1.xml'] = (parts['xl/worksheets/sheet1.xml'] as string).replace(
    '<row r="2">',
    '<row r="1">',
  );
  const { diagnostics } = await read(await zipParts(parts));
  assert.equal(
    problems(diagnostics).map(([code]) => code),
    ['xlsx-invalid'],
  );
  assert.match(diagnostics[0]?.message ?? '', /row numbered 1 after row 1/);
  assert.match(diagnostics[0]?.hint ?? '', /save the workbook again/, 'with a hint');
});

test.run();
