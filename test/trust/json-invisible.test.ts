import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { formatDiagnostics } from '../../src/report/diagnostics-format.js';
import { makeWorkspace, runCli } from '../helpers/cli.js';

// JSON.stringify escapes C0 controls but leaves bidi overrides and C1 controls raw.
const RAW = /[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;

test('validate --format json: a bidi override from a recipient file header is a \\u escape', async () => {
  const ws = await makeWorkspace({
    'specs/hi.yaml':
      'name: hi\nrevision: 1\nwhatsApp:\n  text: "Hi"\nrecipients:\n  - file: people.csv\n',
    'specs/people.csv': 'number\u202e,name\u0085\n41793026727,Anna\n',
  });
  try {
    const r = await runCli(['validate', '--format', 'json'], { cwd: ws.dir });
    assert.is(r.code, 1, r.stderr);
    assert.not.match(r.stdout, RAW);
    assert.match(r.stdout, /\\u202e/);
    assert.ok(JSON.parse(r.stdout), 'still JSON');
  } finally {
    await ws.cleanup();
  }
});

test('diagnostics as JSON: bidi and C1 characters of a message are \\u escapes', () => {
  const text = formatDiagnostics(
    [makeDiagnostic('yaml-syntax', 'bad \u202eevil\u0085', { file: 'a.yaml', line: 0, column: 0 })],
    { format: 'json' },
  );
  assert.not.match(text, RAW);
  assert.match(text, /\\u202e/);
  assert.equal(
    (JSON.parse(text) as Array<{ message: string }>)[0]?.message,
    'bad \u202eevil\u0085',
  );
});

test.run();
