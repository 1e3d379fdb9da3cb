import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';
import { makeXlsx } from '../helpers/xlsx.js';

const CSV =
  'Vorname;Mobile;Ort\nAnna;079 302 67 27;Zürich\nBen;079 12;Bern\nCarla;078 111 22 33;\nDora;079 302 67 27;Basel\nEmil;076 555 44 33;Luzern\n';
const spec = (extra: string) => `name: promo
revision: 1
whatsApp:
  text: "Hallo {{Vorname}} aus {{Ort}}"
recipients:
  - file: kunden.csv
    defaultCountry: CH
    phoneColumn: Mobile
    delimiter: ";"
${extra}`;

async function workspace(extra: string) {
  return makeWorkspace({ 'promo.yaml': spec(extra), 'kunden.csv': CSV });
}

test('by default an invalid number, an empty variable and a conflicting duplicate are errors at the field, in one run', async () => {
  const { dir, cleanup } = await workspace('');
  try {
    const r = await runCli(['validate', 'promo.yaml', '--format', 'json'], { cwd: dir });
    assert.is(r.code, 1);
    const report = JSON.parse(r.stdout) as {
      diagnostics: Array<{ code: string; line: number; column: number }>;
    };
    const found = report.diagnostics.map((d) => [d.code, d.line, d.column]);
    assert.equal(found, [
      ['phone-invalid', 3, 5],
      ['phone-duplicate-conflict', 5, 6],
      ['variable-empty', 4, 21],
    ]);
  } finally {
    await cleanup();
  }
});

test('invalid: hold: the rows are excluded with their reasons; the plan counts them in every format; exit 2 (from its sends)', async () => {
  const { dir, cleanup } = await workspace('    invalid: hold\n');
  try {
    const state = join(dir, 'state.jsonl');
    const json = await runCli(
      ['plan', 'promo.yaml', '--state', state, '--format', 'json', '--detailed-exitcode'],
      { cwd: dir },
    );
    assertNoStackTrace(json);
    assert.is(json.code, 2, json.stderr);
    const plan = JSON.parse(json.stdout) as {
      summary: Record<string, number>;
      excluded: Array<Record<string, unknown>>;
    };
    assert.is(plan.summary.send, 2);
    assert.is(plan.summary.excluded, 3);
    assert.equal(plan.excluded, [
      {
        spec: 'promo',
        file: 'kunden.csv',
        line: 2,
        column: 4,
        phone: '***12',
        code: 'phone-invalid',
        reason: 'not a valid phone number',
      },
      {
        spec: 'promo',
        file: 'kunden.csv',
        line: 3,
        column: 20,
        phone: '417****2233',
        code: 'variable-empty',
        reason: "the variable 'Ort' is empty",
      },
      {
        spec: 'promo',
        file: 'kunden.csv',
        line: 4,
        column: 5,
        phone: '417****6727',
        code: 'phone-duplicate-conflict',
        reason: 'the same number as kunden.csv:2 with other vars; the first row is kept',
      },
    ]);
    const md = await runCli(['plan', 'promo.yaml', '--state', state, '--format', 'markdown'], {
      cwd: dir,
    });
    assert.match(md.stdout, /3 excluded/);
    assert.match(md.stdout, /\| invalid phone number \| 1 \|/);
    assert.match(md.stdout, /- kunden\.csv:3:5 (&#42;){3}12: not a valid phone number/);
    const pretty = await runCli(['plan', 'promo.yaml', '--state', state], { cwd: dir });
    assert.match(pretty.stdout, /Excluded: 3 recipients/);
    assert.match(pretty.stdout, /✗ 1 empty variable/);
    assert.not.match(pretty.stdout + pretty.stderr, /41781112233/, 'an excluded number is masked');

    // A saved plan keeps the excluded rows and shows them again from the same inputs.
    const saved = await runCli(['plan', 'promo.yaml', '--state', state, '--out', 'plan.json'], {
      cwd: dir,
    });
    assert.is(saved.code, 0, saved.stderr);
    const file = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as {
      excluded: unknown[];
    };
    assert.is(file.excluded.length, 3);
    const show = await runCli(['show', 'plan.json'], { cwd: dir });
    assert.is(show.code, 0, show.stderr);
    assert.match(show.stdout, /3 excluded/);
  } finally {
    await cleanup();
  }
});

test('duplicates: first keeps the first row of a shared number, the others excluded; other problems stay errors', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'promo.yaml': spec('    duplicates: first\n'),
    'kunden.csv': 'Vorname;Mobile;Ort\nAnna;079 302 67 27;Zürich\nDora;079 302 67 27;Basel\n',
  });
  try {
    const r = await runCli(
      ['plan', 'promo.yaml', '--state', join(dir, 'state.jsonl'), '--format', 'json'],
      { cwd: dir },
    );
    assert.is(r.code, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as { excluded: Array<{ code: string; line: number }> };
    assert.equal(
      plan.excluded.map((e) => [e.code, e.line]),
      [['phone-duplicate-conflict', 2]],
    );
  } finally {
    await cleanup();
  }
});

test('config-wide invalid: hold applies to an xlsx; the empty value is named by its cell', async () => {
  const xlsx = await makeXlsx([
    {
      name: 'Sheet1',
      rows: [
        ['Vorname', 'Mobile', 'Ort'],
        ['Anna', '079 302 67 27', 'Bern'],
        ['Ben', '078 111 22 33', ''],
      ],
    },
  ]);
  const { dir, cleanup } = await makeWorkspace({
    'waspec.config.yaml':
      'recipients:\n  invalid: hold\n  defaultCountry: CH\n  phoneColumn: Mobile\n',
    'promo.yaml':
      'name: promo\nrevision: 1\nwhatsApp:\n  text: "Hallo {{Vorname}} aus {{Ort}}"\nrecipients:\n  - file: people.xlsx\n',
    'people.xlsx': xlsx,
  });
  try {
    const r = await runCli(
      ['plan', 'promo.yaml', '--state', join(dir, 'state.jsonl'), '--format', 'json'],
      { cwd: dir },
    );
    assert.is(r.code, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as { excluded: Array<{ cell: string; code: string }> };
    assert.equal(
      plan.excluded.map((e) => [e.code, e.cell]),
      [['variable-empty', 'Sheet1!C3']],
    );
  } finally {
    await cleanup();
  }
});

test.run();
