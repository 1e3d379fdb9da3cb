import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';
import { makeXlsx } from '../helpers/xlsx.js';

interface Reported {
  code: string;
  file?: string;
  line?: number;
  cell?: string;
}

test('a spec error (media URL) does not hide the template, recipient file and variable problems: one run reports them all', async () => {
  const ws = await makeWorkspace({
    'waspec.config.yaml': 'templates: ./templates.yaml\n',
    'templates.yaml':
      'templates:\n  - name: order_shipped\n    language: de\n    body: Hallo {{1}}, {{2}}.\n',
    'promo.yaml': `name: promo
revision: 1
whatsApp:
  text: "Hallo {{firstName}}, {{nmae}}"
  imageUrl: "ftp://example.com/x.gif"
recipients:
  - file: people.xlsx
    sheet: Kunden
`,
    'shipped.yaml': `name: shipped
revision: 1
whatsApp:
  templateName: order_shiped
  language: de
  templateData: ["{{firstName}}"]
  imageUrl: "ftp://example.com/x.gif"
recipients:
  - file: people.csv
`,
    'people.xlsx': await makeXlsx([
      {
        name: 'Sheet1',
        rows: [
          ['phoneNumber', 'firstName'],
          ['41793026727', 'Anna'],
        ],
      },
    ]),
    'people.csv': 'phoneNumber,firstName\n41793026727,Anna\n12,Ben\n41793026728,\n',
  });
  try {
    const r = await runCli(['validate', 'promo.yaml', 'shipped.yaml', '--format', 'json'], {
      cwd: ws.dir,
    });
    assertNoStackTrace(r);
    assert.is(r.code, 1);
    const { diagnostics } = JSON.parse(r.stdout) as { diagnostics: Reported[] };
    const codes = (file: string) => diagnostics.filter((d) => d.file === file).map((d) => d.code);
    assert.ok(codes('promo.yaml').includes('url-scheme'), 'the spec error');
    assert.ok(
      diagnostics.some((d) => d.code === 'xlsx-invalid' && d.file === 'people.xlsx'),
      'the missing sheet, in the same run',
    );
    assert.ok(codes('shipped.yaml').includes('url-scheme'));
    assert.ok(codes('shipped.yaml').includes('template-unknown'), 'the unknown template');
    assert.equal(
      diagnostics.filter((d) => d.file === 'people.csv').map((d) => [d.code, d.line]),
      [
        ['phone-invalid', 3],
        ['variable-empty', 4],
      ],
      'recipients and their values',
    );
  } finally {
    await ws.cleanup();
  }
});

test('a spec with errors is never planned to send, and its recipient problems are listed too', async () => {
  const ws = await makeWorkspace({
    'promo.yaml':
      'name: promo\nrevision: 1\nwhatsApp:\n  text: "Hi {{name}}"\n  imageUrl: "ftp://x/y.gif"\nrecipients:\n  - file: people.csv\n',
    'people.csv': 'phoneNumber,name\n41793026727,Anna\n12,Ben\n',
  });
  try {
    const r = await runCli(
      ['plan', 'promo.yaml', '--state', `${ws.dir}/state.jsonl`, '--format', 'json'],
      {
        cwd: ws.dir,
      },
    );
    assert.is(r.code, 1);
    const plan = JSON.parse(r.stdout) as { entries: unknown[]; diagnostics: Reported[] };
    assert.equal(plan.entries, []);
    assert.ok(plan.diagnostics.some((d) => d.code === 'phone-invalid' && d.file === 'people.csv'));
  } finally {
    await ws.cleanup();
  }
});

test.run();
