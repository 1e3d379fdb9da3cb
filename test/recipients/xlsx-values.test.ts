import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { RawRecipient } from '../../src/recipients/read-csv.js';
import { readXlsx } from '../../src/recipients/read-xlsx.js';
import { NO_COLUMN_OPTIONS } from '../../src/recipients/table-columns.js';
import { makeWorkspace } from '../helpers/cli.js';
import { makeXlsx, type SheetSpec } from '../helpers/xlsx.js';

async function read(sheets: SheetSpec[]) {
  const { dir, cleanup } = await makeWorkspace({ 'people.xlsx': await makeXlsx(sheets) });
  const diagnostics: Diagnostic[] = [];
  const rows: RawRecipient[] = [];
  try {
    const handle = await open(join(dir, 'people.xlsx'));
    try {
      for await (const batch of readXlsx(
        handle,
        'people.xlsx',
        (d) => diagnostics.push(d),
        NO_COLUMN_OPTIONS,
      ))
        rows.push(...batch);
    } finally {
      await handle.close();
    }
  } finally {
    await cleanup();
  }
  return { rows, diagnostics };
}

test('dates and times read as ISO 8601, percentages and currency as shown; the phone keeps its digits', async () => {
  const { rows, diagnostics } = await read([
    {
      name: 'Sheet1',
      rows: [
        ['phoneNumber', 'birthday', 'since', 'at', 'slot', 'discount', 'rate', 'price', 'eur', 'n'],
        [
          { number: 41793026727, format: '#,##0' },
          { number: 45991, format: 14 },
          { number: 45991, format: 'dd.mm.yyyy' },
          { number: 45991.5, format: 'd/m/yy h:mm' },
          { number: 0.75, format: 20 },
          { number: 0.15, format: 9 },
          { number: 0.125, format: '0.00%' },
          { number: 1234.5, format: '"CHF" #,##0.00' },
          { number: 1234.5, format: '#,##0.00 [$€-407]' },
          3.5,
        ],
      ],
    },
  ]);
  assert.equal(diagnostics, []);
  assert.equal(rows[0]?.phoneNumber, '41793026727');
  assert.equal(
    { ...rows[0]?.vars },
    {
      birthday: '2025-11-30',
      since: '2025-11-30',
      at: '2025-11-30 12:00',
      slot: '18:00',
      discount: '15%',
      rate: '12.50%',
      price: 'CHF 1,234.50',
      eur: '1.234,50 €',
      n: '3.5',
    },
  );
});

test('a value under an empty header (a merged header cell) is a warning naming the column letter and the cell', async () => {
  const { rows, diagnostics } = await read([
    {
      name: 'Kunden',
      rows: [
        ['phoneNumber', 'Adresse', null],
        ['41793026727', 'Hauptstrasse 1', '8000 Zürich'],
        ['41793026728', 'Bahnhofstr. 2', '3000 Bern'],
      ],
      merge: ['B1:C1'],
    },
  ]);
  assert.equal(rows.length, 2);
  assert.equal(
    diagnostics.map((d) => [d.code, d.severity, d.cell]),
    [['column-unnamed', 'warning', 'Kunden!C2']],
  );
  assert.match(diagnostics[0]?.message ?? '', /column C/);
});

test('the places of values are their cells', async () => {
  const { rows } = await read([
    {
      name: 'Sheet1',
      rows: [
        ['name', 'phoneNumber', 'city'],
        ['Anna', '41793026727', ''],
      ],
    },
  ]);
  assert.is(rows[0]?.cell, 'Sheet1!B2');
  assert.equal(rows[0]?.places?.at('city'), {
    file: 'people.xlsx',
    line: 1,
    column: 2,
    cell: 'Sheet1!C2',
  });
});

test.run();
