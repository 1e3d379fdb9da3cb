import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { reportError } from '../../src/cli/run.js';
import { ConfigError, WaspecError } from '../../src/errors.js';
import { makeDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';

const bad = (name: string) =>
  fileURLToPath(new URL(`../fixtures/bad/${name}/spec.yaml`, import.meta.url));

test('a mapping used as a key is a diagnostic, and the yaml library writes no warning', async () => {
  const r = await runCli(['validate', bad('collection-key')]);
  assert.is(r.code, 1);
  assertNoStackTrace(r);
  assert.match(r.stderr, /spec\.yaml:6:5 {2}error {2}a list or a mapping is used as a key/);
  assert.not.match(r.stderr, /Warning|stringified/);
});

test('the same key in a config and a template catalogue: diagnostics at their line too', async () => {
  const ws = await makeWorkspace({
    'waspec.config.yaml': 'templates: t.yaml\npolicy:\n  ? { a: 1 }\n  : 2\n',
    'specs/s.yaml': 'name: s\nrevision: 1\nwhatsApp: { text: hi }\nrecipients: []\n',
  });
  try {
    const r = await runCli(['validate', '--format', 'json'], { cwd: ws.dir });
    assertNoStackTrace(r);
    assert.is(r.code, 1);
    assert.not.match(r.stderr, /Warning/);
    const out = JSON.parse(r.stdout) as { error: { code: string }; diagnostics: unknown[] };
    assert.is(out.error.code, 'config-invalid');
    assert.equal(out.diagnostics, [
      {
        code: 'yaml-collection-key',
        severity: 'error',
        message: 'a list or a mapping is used as a key',
        file: 'waspec.config.yaml',
        line: 3,
        column: 5,
        hint: 'keys are plain text: write key: value (a ? starts a complex key)',
      },
    ]);
  } finally {
    await ws.cleanup();
  }
});

test('--format json stays JSON when the command fails before it has a result', async () => {
  const r = await runCli(['validate', 'specs', '--config', 'no-such.yaml', '--format', 'json']);
  assert.is(r.code, 1);
  const out = JSON.parse(r.stdout) as { error: { code: string; message: string } };
  assert.is(out.error.code, 'config-invalid');
  assert.match(out.error.message, /no-such\.yaml does not exist/);
  const plan = await runCli(['plan', 'specs', '--config', 'no-such.yaml', '--format', 'json']);
  assert.is(plan.code, 1);
  assert.is((JSON.parse(plan.stdout) as { error: { code: string } }).error.code, 'config-invalid');
});

/** What reportError writes to stdout and stderr. */
function capture(body: () => number): { code: number; stdout: string; stderr: string } {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  let stdout = '';
  let stderr = '';
  process.stdout.write = (chunk: string) => ((stdout += chunk), true);
  process.stderr.write = (chunk: string) => ((stderr += chunk), true);
  try {
    return { code: body(), stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

test('an internal error under --format json is a JSON object on stdout (text on stderr)', () => {
  const r = capture(() =>
    reportError(new RangeError('Maximum call stack size exceeded\u001b[2J'), { json: true }),
  );
  assert.is(r.code, 1);
  assert.equal(JSON.parse(r.stdout), {
    error: { code: 'internal', message: 'Maximum call stack size exceeded\u001b[2J' },
  });
  assert.not.match(r.stdout, /\u001b/, 'control characters escaped');
  assert.match(r.stderr, /^internal error: /);
  const plain = capture(() => reportError(new Error('boom')));
  assert.is(plain.stdout, '');
});

test('an operational error and a config error under --format json keep their code and hint', () => {
  const r = capture(() =>
    reportError(new WaspecError('lock-held', 'held', { hint: 'wait', exitCode: 3 }), {
      json: true,
    }),
  );
  assert.is(r.code, 3);
  assert.equal(JSON.parse(r.stdout), {
    error: { code: 'lock-held', message: 'held', hint: 'wait' },
  });
  const config = capture(() =>
    reportError(
      new ConfigError('bad config', [
        makeDiagnostic('config-invalid', 'x', { file: 'c.yaml', line: 0, column: 0 }),
      ]),
      { json: true },
    ),
  );
  const parsed = JSON.parse(config.stdout) as { diagnostics: Array<{ line: number }> };
  assert.is(parsed.diagnostics[0]?.line, 1);
});

test.run();
