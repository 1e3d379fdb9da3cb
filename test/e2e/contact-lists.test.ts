import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EMULATOR_DEFAULTS, startEmulator } from '../../src/emulator/server.js';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';
import { makeXlsx } from '../helpers/xlsx.js';

// A CRM export and a spreadsheet as they come: other column names, national numbers, an Excel file.
async function contactLists(): Promise<Record<string, string | Buffer>> {
  return {
    'waspec.config.yaml': 'recipients:\n  defaultCountry: CH\n  columns: { "Internal ID": null }\n',
    'specs/welcome.yaml': [
      'name: welcome',
      'revision: 1',
      'whatsApp:',
      '  text: "Hi {{firstName}}{{#if city}} from {{city}}{{/if}}"',
      'recipients:',
      '  - file: crm.xlsx',
      '    sheet: Contacts',
      '    columns: { "First Name": firstName }',
      '  - file: de.csv',
      '    phoneColumn: Telefon',
      '    defaultCountry: DE',
      '',
    ].join('\n'),
    'specs/crm.xlsx': await makeXlsx([
      {
        name: 'Notes',
        rows: [
          ['not', 'this'],
          ['sheet', 1],
        ],
      },
      {
        name: 'Contacts',
        rows: [
          ['First Name', 'Mobile', 'Internal ID', 'city'],
          ['Anna', '079 302 67 27', 17, 'Bern'],
          ['Ben', 791234567, 18, null],
        ],
      },
    ]),
    'specs/de.csv': 'Telefon,firstName,city\n0151 12345678,Lena,\n',
  };
}

test('validate: national numbers with the config and entry countries, renamed columns, the recognised column named at its cell', async () => {
  const ws = await makeWorkspace(await contactLists());
  try {
    const r = await runCli(['validate', '--format', 'json'], { cwd: ws.dir });
    assertNoStackTrace(r);
    const out = JSON.parse(r.stdout) as {
      valid: boolean;
      recipients: number;
      diagnostics: Array<{ code: string; file?: string; cell?: string; line?: number }>;
    };
    assert.is(out.valid, true, r.stdout);
    assert.is(out.recipients, 3);
    assert.equal(
      out.diagnostics.map((d) => [d.code, d.file, d.cell, d.line]),
      [['phone-column-found', 'specs/crm.xlsx', 'Contacts!B1', 1]],
    );
  } finally {
    await ws.cleanup();
  }
});

test('plan --out and apply of the saved plan: apply reads the files with the same config, sends to the international numbers', async () => {
  const ws = await makeWorkspace(await contactLists());
  const emulator = await startEmulator();
  const env = {
    WASPEC_BASE_URL: emulator.url,
    WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
    WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
  };
  try {
    const plan = await runCli(['plan', '--format', 'json', '--no-mask'], { cwd: ws.dir, env });
    const entries = (
      JSON.parse(plan.stdout) as { entries: Array<{ phoneNumber: string; action: string }> }
    ).entries;
    assert.equal(entries.map((e) => [e.phoneNumber, e.action]).sort(), [
      ['41791234567', 'send'],
      ['41793026727', 'send'],
      ['4915112345678', 'send'],
    ]);
    assert.is((await runCli(['plan', '--out', 'plan.json'], { cwd: ws.dir, env })).code, 0);
    const applied = await runCli(['apply', 'plan.json'], { cwd: ws.dir, env });
    assertNoStackTrace(applied);
    assert.is(applied.code, 0, applied.stderr);
    const sent = emulator.requestBodies().join('\n');
    for (const number of ['41793026727', '41791234567', '4915112345678'])
      assert.match(sent, number);
    assert.match(sent, /Hi Anna from Bern/);
    assert.match(sent, /Hi Ben"/);
  } finally {
    await emulator.close();
    await ws.cleanup();
  }
});

test('problems in a workbook are at their cell (file.xlsx:Sheet!B3), never a code frame of zipped bytes', async () => {
  const ws = await makeWorkspace({
    'specs/v.yaml':
      'name: v\nrevision: 1\nwhatsApp:\n  text: "Hi {{name}}"\nrecipients:\n  - file: people.xlsx\n',
    'specs/people.xlsx': await makeXlsx([
      {
        name: 'Sheet1',
        rows: [
          ['phoneNumber', 'name'],
          ['41793026727', 'Anna'],
          ['41791234567', null],
          ['12', 'Carl'],
        ],
      },
    ]),
  });
  try {
    const r = await runCli(['validate'], { cwd: ws.dir });
    assertNoStackTrace(r);
    assert.is(r.code, 1);
    const text = r.stdout + r.stderr;
    assert.match(
      text,
      /specs\/people\.xlsx:Sheet1!A4 +error +'12' is not a valid international phone number/,
    );
    // The empty value's own cell (B3), not the phone number's (A3).
    assert.match(text, /specs\/people\.xlsx:Sheet1!B3 +error +variable 'name' is empty/);
    assert.not.match(text, /PK|\| /, 'no code frame');
    const github = await runCli(['validate'], { cwd: ws.dir, env: { GITHUB_ACTIONS: 'true' } });
    assert.match(
      github.stdout,
      /::error file=specs\/people\.xlsx,title=phone-invalid::Sheet1!A4: /,
    );
  } finally {
    await ws.cleanup();
  }
});

test('options that do not fit the file, an unknown country, an old .xls: one diagnostic each at the spec line', async () => {
  const ws = await makeWorkspace({
    'specs/v.yaml': [
      'name: v',
      'revision: 1',
      'whatsApp: { text: "Hi" }',
      'recipients:',
      '  - file: people.json',
      '    phoneColumn: Mobile',
      '  - file: people.csv',
      '    defaultCountry: XX',
      '  - file: old.xls',
      '',
    ].join('\n'),
    'specs/people.json': '[{"phoneNumber": "41793026727"}]',
    'specs/people.csv': 'phoneNumber\n0793026727\n',
    'specs/old.xls': 'x',
  });
  try {
    const r = await runCli(['validate', '--format', 'json'], { cwd: ws.dir });
    assertNoStackTrace(r);
    const out = JSON.parse(r.stdout) as {
      diagnostics: Array<{ code: string; line?: number; message: string; hint?: string }>;
    };
    assert.equal(
      out.diagnostics.map((d) => [d.code, d.line]),
      [
        ['recipients-option', 6],
        ['recipients-option', 8],
        ['recipients-format', 9],
        ['recipients-empty', 5],
      ],
    );
    assert.match(
      out.diagnostics[0]?.message ?? '',
      /phoneColumn applies to CSV and XLSX files, not to JSON/,
    );
    assert.match(out.diagnostics[2]?.hint ?? '', /save it as \.xlsx or CSV/);
  } finally {
    await ws.cleanup();
  }
});

test('a national number without defaultCountry: the hint says to set it', async () => {
  const ws = await makeWorkspace({
    'specs/v.yaml':
      'name: v\nrevision: 1\nwhatsApp: { text: "Hi" }\nrecipients:\n  - file: people.csv\n',
    'specs/people.csv': 'Phone Number\n079 302 67 27\n',
  });
  try {
    const r = await runCli(['validate', '--format', 'json'], { cwd: ws.dir });
    const out = JSON.parse(r.stdout) as { diagnostics: Array<{ code: string; hint?: string }> };
    assert.equal(
      out.diagnostics.map((d) => d.code),
      ['phone-column-found', 'phone-invalid', 'recipients-empty'],
    );
    assert.match(
      out.diagnostics[1]?.hint ?? '',
      /looks like a national number: set defaultCountry/,
    );
  } finally {
    await ws.cleanup();
  }
});

test('the config: an unknown defaultCountry or a wrong columns value is a config diagnostic with its line', async () => {
  for (const [config, line, pattern] of [
    ['recipients:\n  defaultCountry: XX\n', 2, /'XX' is not an ISO 3166 country code/],
    ['recipients:\n  columns: { "First Name": "first name" }\n', 2, /columns/],
  ] as const) {
    const ws = await makeWorkspace({
      'waspec.config.yaml': config,
      'specs/v.yaml':
        'name: v\nrevision: 1\nwhatsApp: { text: "Hi" }\nrecipients:\n  - phoneNumber: "41793026727"\n',
    });
    try {
      const r = await runCli(['validate'], { cwd: ws.dir });
      assertNoStackTrace(r);
      assert.is(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`waspec\\.config\\.yaml:${line}:`));
      assert.match(r.stderr, pattern);
    } finally {
      await ws.cleanup();
    }
  }
});

test.run();
