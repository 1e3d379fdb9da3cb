import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { readCsv, type RawRecipient } from '../../src/recipients/read-csv.js';
import { makeWorkspace } from '../helpers/cli.js';

async function read(
  text: string,
): Promise<{ rows: RawRecipient[]; diagnostics: Diagnostic[]; batches: number }> {
  const { dir, cleanup } = await makeWorkspace({ 'people.csv': text });
  try {
    const rows: RawRecipient[] = [];
    const diagnostics: Diagnostic[] = [];
    let batches = 0;
    const handle = await open(join(dir, 'people.csv'));
    try {
      for await (const batch of readCsv(handle, 'people.csv', (d) => diagnostics.push(d))) {
        batches++;
        rows.push(...batch);
      }
    } finally {
      await handle.close();
    }
    return { rows, diagnostics, batches };
  } finally {
    await cleanup();
  }
}

const summary = (rows: RawRecipient[]) => rows.map((r) => [r.line, r.phoneNumber, { ...r.vars }]);
const problems = (diagnostics: Diagnostic[]) => diagnostics.map((d) => [d.code, d.line]);

test('header, trimmed fields, BOM, CRLF and empty lines; lines are 0-based', async () => {
  const { rows, diagnostics } = await read(
    '\uFEFFphoneNumber , name\r\n 41793026727 , Anna \r\n\r\n   \r\n41793026728,Bob\r\n',
  );
  assert.equal(summary(rows), [
    [1, '41793026727', { name: 'Anna' }],
    [4, '41793026728', { name: 'Bob' }],
  ]);
  assert.equal(diagnostics, []);
});

test('a quoted field over several lines keeps the lines of the rows after it right', async () => {
  const { rows } = await read('phoneNumber,note\n1,"one\ntwo\nthree"\n2,"say ""hi"""\n3,\n');
  assert.equal(summary(rows), [
    [1, '1', { note: 'one\ntwo\nthree' }],
    [4, '2', { note: 'say "hi"' }],
    [5, '3', { note: '' }],
  ]);
});

test('a row with the wrong number of fields is reported at its line and skipped; reading goes on', async () => {
  const { rows, diagnostics } = await read('phoneNumber,name\n1,a\n2,b,extra\n3\n4,d\n');
  assert.equal(
    rows.map((r) => r.phoneNumber),
    ['1', '4'],
  );
  assert.equal(problems(diagnostics), [
    ['csv-syntax', 2],
    ['csv-syntax', 3],
  ]);
  assert.match(diagnostics[0]?.message ?? '', /3 fields, the header has 2/);
});

test('a quote never closed is reported at the line where its row starts; rows before it are kept', async () => {
  const { rows, diagnostics } = await read('phoneNumber,name\n1,a\n2,"b\n3,c\n4,d\n');
  assert.equal(
    rows.map((r) => r.phoneNumber),
    ['1'],
  );
  assert.equal(problems(diagnostics), [['csv-syntax', 2]]);
  assert.match(diagnostics[0]?.message ?? '', /quoted field unterminated/);
});

test('a malformed quote is reported at its line, with a hint', async () => {
  const { rows, diagnostics } = await read('phoneNumber,name\n1,a\n2,"b"c\n3,d\n');
  assert.equal(
    rows.map((r) => r.phoneNumber),
    ['1'],
  );
  assert.equal(problems(diagnostics), [['csv-syntax', 2]]);
  assert.match(diagnostics[0]?.hint ?? '', /double quotes/);
});

test('a row that does not end within 1 MiB stops the file with an error instead of growing without bound', async () => {
  const { rows, diagnostics } = await read(`phoneNumber,name\n1,a\n2,"${'x'.repeat(3 << 20)}\n`);
  assert.equal(
    rows.map((r) => r.phoneNumber),
    ['1'],
  );
  assert.equal(problems(diagnostics), [['csv-syntax', 2]]);
  assert.match(diagnostics[0]?.message ?? '', /1 MiB/);
});

test('no phone number column', async () => {
  const { rows, diagnostics } = await read('tel,name\n1,a\n');
  assert.equal(rows, []);
  assert.equal(problems(diagnostics), [['csv-missing-column', 0]]);
});

test('a header separated by semicolons is read as such, with a warning naming the delimiter', async () => {
  const { rows, diagnostics } = await read('phoneNumber;name\n41793026727;Anna\n');
  assert.equal(summary(rows), [[1, '41793026727', { name: 'Anna' }]]);
  assert.equal(problems(diagnostics), [['csv-delimiter', 0]]);
  assert.is(diagnostics[0]?.severity, 'warning');
  assert.match(diagnostics[0]?.hint ?? '', /delimiter: ";"/);
});

test('a file that cannot be read (a folder) is a csv-syntax error with a hint, not a crash', async () => {
  const { dir, cleanup } = await makeWorkspace({ 'people.csv/inside.txt': '' });
  try {
    const diagnostics: Diagnostic[] = [];
    const handle = await open(join(dir, 'people.csv'));
    for await (const _ of readCsv(handle, 'people.csv', (d) => diagnostics.push(d)))
      assert.unreachable('no rows');
    await handle.close();
    assert.equal(problems(diagnostics), [['csv-syntax', 0]]);
    assert.match(diagnostics[0]?.message ?? '', /cannot be read: EISDIR/);
    assert.ok(diagnostics[0]?.hint);
  } finally {
    await cleanup();
  }
});

test('a column named __proto__ is an ordinary var', async () => {
  const { rows } = await read('phoneNumber,__proto__\n1,x\n');
  assert.is(rows[0]?.vars['__proto__'], 'x');
  assert.is(Object.getPrototypeOf(rows[0]?.vars), null);
});

test('many rows: several batches; multi-byte characters split between two reads stay whole', async () => {
  // Each row is 33 bytes with a 3-byte character, so some land across the 64 KiB reads.
  const n = 20_000;
  const lines = ['phoneNumber,name'];
  for (let i = 0; i < n; i++)
    lines.push(`4179${String(i).padStart(7, '0')},€${String(i).padStart(17, '0')}`);
  const { rows, diagnostics, batches } = await read(`${lines.join('\n')}\n`);
  assert.equal(diagnostics, []);
  assert.is(rows.length, n);
  assert.ok(batches > 1, `${batches} batches`);
  const broken = rows.filter(
    (r, i) => r.vars.name !== `€${String(i).padStart(17, '0')}` || r.line !== i + 1,
  );
  assert.equal(broken.slice(0, 3), []);
});

test('a header that looks like a secret (a .env named as a CSV) is not quoted in the hint', async () => {
  const { diagnostics } = await read('DB_PASSWORD=hunter2-very-secret\nAPI=1\n');
  assert.is(diagnostics[0]?.code, 'csv-missing-column');
  assert.not.match(diagnostics[0]?.hint ?? '', /hunter2/);
  assert.match(diagnostics[0]?.hint ?? '', /PASSWORD=\[redacted\]/);
});

test('a header line is quoted in part only: a few names, each cut', async () => {
  const names = Array.from({ length: 20 }, (_, i) => `column_${i}_${'x'.repeat(60)}`);
  const { diagnostics } = await read(`${names.join(',')}\n1,2\n`);
  const hint = diagnostics[0]?.hint ?? '';
  assert.is(diagnostics[0]?.code, 'csv-missing-column');
  assert.ok(!hint.includes(names[0] as string), hint);
  assert.ok(!hint.includes('column_19'), hint);
  assert.match(hint, /and 14 more/);
});

test.run();

test("the phone's column past leading spaces, after plain and quoted fields; places of values", async () => {
  const { rows, diagnostics } = await read(
    'name,note,phoneNumber\nAnna,plain,  41793026727\n"Bob, Jr",x,41793026728\n"Cy\nline",y,   41793026729\n',
  );
  assert.equal(diagnostics, []);
  assert.equal(
    rows.map((r) => [r.line, r.column]),
    [
      [1, 13],
      [2, 13],
      [3, 10],
    ],
  );
  // Where a value is: its own field's column, and its line when a quoted field spans lines.
  assert.equal(rows[1]?.places?.at('note'), { file: 'people.csv', line: 2, column: 11 });
  assert.equal(rows[2]?.places?.at('note'), { file: 'people.csv', line: 4, column: 6 });
  assert.is(rows[0]?.places?.at('unknown'), undefined);
});
