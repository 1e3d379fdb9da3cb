import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { assertNoStackTrace, CLI, makeWorkspace, runCli } from '../helpers/cli.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';

const COMMANDS = [
  'validate',
  'compile',
  'plan',
  'show',
  'apply',
  'emulator',
  'watch',
  'preview',
  'demo',
  'init',
  'state',
  'suppress',
];

test('every command has --help that exits 0', async () => {
  for (const command of COMMANDS) {
    const result = await runCli([command, '--help']);
    assert.is(result.code, 0, command);
    assert.match(result.stdout, new RegExp(`Usage: waspec ${command}`));
  }
});

test('the overall help lists every command with its description', async () => {
  const result = await runCli(['--help']);
  assert.is(result.code, 0);
  for (const command of COMMANDS)
    assert.match(result.stdout, new RegExp(`\\n  ${command}\\b[^\\n]* {2,}\\S`), command);
});

test('--version prints the version and exits 0', async () => {
  const result = await runCli(['--version']);
  assert.is(result.code, 0);
  assert.match(result.stdout, /^\d+\.\d+\.\d+/);
});

test('an unknown command or option exits 1 with usage, no stack trace', async () => {
  for (const args of [['bogus'], ['plan', '--no-such-flag']]) {
    const result = await runCli(args);
    assert.is(result.code, 1);
    assert.match(result.stderr, /error: unknown/);
    assertNoStackTrace(result);
  }
});

test('a reader that closes the pipe early (waspec plan | head) is no crash', async () => {
  // Far more output than a pipe buffers, so the writer meets the closed pipe.
  const { dir, cleanup } = await makeWorkspace(textSpec('long', swissNumbers(3000), 'Hi {{name}}'));
  const child = spawn(process.execPath, [CLI, 'plan'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.is(code, 0, stderr);
  assert.not.match(stderr, /EPIPE|at /);
  await cleanup();
});

test.run();
