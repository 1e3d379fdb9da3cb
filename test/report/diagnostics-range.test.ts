import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { formatDiagnosticsGithub } from '../../src/report/diagnostics-github.js';
import { diagnosticsToJson } from '../../src/report/diagnostics-json.js';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';

const SPEC = (revision: string) =>
  `name: bad\nrevision: ${revision}\nwhatsApp: { text: hi }\nrecipients:\n  - phoneNumber: "41793026727"\n`;

interface JsonDiagnostic {
  code: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

async function validate(revision: string) {
  const ws = await makeWorkspace({ 'spec.yaml': SPEC(revision) });
  try {
    const env = { ...process.env, GITHUB_ACTIONS: 'true', WASPEC_ANNOTATION_KEY: '' };
    const github = await runCli(['validate', 'spec.yaml'], { cwd: ws.dir, env });
    const json = await runCli(['validate', 'spec.yaml', '--format', 'json'], { cwd: ws.dir });
    assertNoStackTrace(github);
    assertNoStackTrace(json);
    assert.is.not(github.code, 0);
    const annotation = github.stdout.split('\n').find((l) => l.includes('title=schema-type'));
    const parsed = JSON.parse(json.stdout) as { diagnostics: JsonDiagnostic[] };
    const diagnostic = parsed.diagnostics.find((d) => d.code === 'schema-type');
    return { annotation, diagnostic, pretty: github.stderr };
  } finally {
    await ws.cleanup();
  }
}

test('a bad value over several columns: the annotation and JSON end at its last character', async () => {
  // revision: first — the value is columns 11 to 15 of line 2.
  const { annotation, diagnostic, pretty } = await validate('first');
  assert.match(annotation ?? '', /^::error file=spec\.yaml,line=2,col=11,endLine=2,endColumn=15,/);
  assert.equal(diagnostic, { ...diagnostic, line: 2, column: 11, endLine: 2, endColumn: 15 });
  assert.match(pretty, /spec\.yaml:2:11/);
  assert.not.match(pretty, /endLine|endColumn/);
});

test('a bad value over several lines: the annotation has endLine and no columns', async () => {
  // revision: | — the block runs from line 2 to "  second" on line 4 (its last character at 8).
  const { annotation, diagnostic } = await validate('|\n  first\n  second');
  assert.match(annotation ?? '', /^::error file=spec\.yaml,line=2,endLine=4,title=schema-type::/);
  assert.equal(diagnostic, { ...diagnostic, line: 2, column: 11, endLine: 4, endColumn: 8 });
});

test('without an end the formats are as before; an end before the start is dropped', () => {
  const point = makeDiagnostic('schema-type', 'bad', { file: 'a.yaml', line: 1, column: 10 });
  assert.is(
    formatDiagnosticsGithub([point]),
    '::error file=a.yaml,line=2,col=11,title=schema-type::bad',
  );
  assert.equal(diagnosticsToJson([point])[0], {
    code: 'schema-type',
    severity: 'error',
    message: 'bad',
    file: 'a.yaml',
    line: 2,
    column: 11,
  });
  const backwards = makeDiagnostic('schema-type', 'bad', {
    file: 'a.yaml',
    line: 1,
    column: 10,
    endLine: 1,
    endColumn: 3,
  });
  assert.is(backwards.endLine, undefined);
  assert.is(backwards.endColumn, undefined);
  const cell = makeDiagnostic('schema-type', 'bad', {
    file: 'a.xlsx',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 4,
    cell: 'Sheet1!B2',
  });
  assert.is(
    formatDiagnosticsGithub([cell]),
    '::error file=a.xlsx,title=schema-type::Sheet1!B2: bad',
  );
});

test.run();
