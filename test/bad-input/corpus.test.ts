import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir, readFile, rm, mkdtemp, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertNoStackTrace, runCli, type CliResult } from '../helpers/cli.js';

// Each folder of test/fixtures/bad holds spec.yaml (and any file it names) and expected.json:
// the diagnostic (code, 1-based line and column, and the file when not spec.yaml) that must come out.
const root = fileURLToPath(new URL('../fixtures/bad/', import.meta.url));
const cases = (await readdir(root)).sort();

interface Expected {
  code: string;
  line: number;
  column: number;
  file?: string;
}

interface Printed {
  code: string;
  file?: string;
  line?: number;
  column?: number;
}

function assertDiagnostic(result: CliResult, expected: Expected, name: string): void {
  assert.is(result.code, 1, `${name}: exit code\n${result.stdout}${result.stderr}`);
  assertNoStackTrace(result);
  const report = JSON.parse(result.stdout) as { diagnostics: Printed[] };
  const found = report.diagnostics.some(
    (d) =>
      d.code === expected.code &&
      d.line === expected.line &&
      d.column === expected.column &&
      (d.file ?? '').endsWith(expected.file ?? 'spec.yaml'),
  );
  assert.ok(
    found,
    `${name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(report.diagnostics)}`,
  );
}

test(`the corpus has at least 30 cases (${cases.length})`, () => {
  assert.ok(cases.length >= 30);
});

for (const name of cases) {
  test(`bad input: ${name}`, async () => {
    const expected = JSON.parse(
      await readFile(join(root, name, 'expected.json'), 'utf8'),
    ) as Expected;
    const result = await runCli(['validate', join(root, name, 'spec.yaml'), '--format', 'json']);
    assertDiagnostic(result, expected, name);
  });
}

test('bad input: a 50 MB spec is refused without reading it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'waspec-huge-'));
  try {
    const file = join(dir, 'huge.yaml');
    const handle = await open(file, 'w');
    await handle.truncate(50 * 1024 * 1024);
    await handle.close();
    const result = await runCli(['validate', file, '--format', 'json']);
    assertDiagnostic(
      result,
      { code: 'file-too-large', line: 1, column: 1, file: 'huge.yaml' },
      'huge',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('bad input: a missing spec path', async () => {
  const result = await runCli(['validate', 'no/such/spec.yaml', '--format', 'json']);
  assert.is(result.code, 1);
  assertNoStackTrace(result);
  assert.match(result.stdout, /"code": "file-not-found"/);
});

test.run();
