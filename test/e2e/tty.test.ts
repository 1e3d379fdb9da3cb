import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import {
  EMULATOR_DEFAULTS,
  startEmulator,
  type RunningEmulator,
} from '../../src/emulator/server.js';
import { CLI, makeWorkspace } from '../helpers/cli.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';

// util-linux `script` gives the CLI a terminal, so the confirmation prompt and the progress bar run.
const hasScript = spawnSync('script', ['--version']).status === 0;

function applyOnTerminal(
  dir: string,
  emulator: RunningEmulator,
  answer: string,
): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    WASPEC_BASE_URL: emulator.url,
    WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
    WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
  };
  delete env.CI;
  const child = spawn('script', ['-qec', `"${process.execPath}" "${CLI}" apply`, '/dev/null'], {
    cwd: dir,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let answered = false;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (!answered && output.includes("Only 'yes' will be accepted")) {
      answered = true;
      child.stdin.write(`${answer}\r`);
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

test('on a terminal apply asks, and only "yes" sends', async () => {
  if (!hasScript) return console.log('  (skipped: no `script` command)');
  const { dir, cleanup } = await makeWorkspace(textSpec('ask', swissNumbers(30), 'Hi', 5));
  const emulator = await startEmulator({ latencyMs: 20 });
  try {
    const no = await applyOnTerminal(dir, emulator, 'y');
    assert.is(no.code, 1, no.output);
    assert.match(no.output, /Apply cancelled; nothing was sent/);
    assert.is(emulator.stats().requests, 0);
    const yes = await applyOnTerminal(dir, emulator, 'yes');
    assert.is(yes.code, 0, yes.output);
    assert.match(yes.output, /apply \[█+\] 30\/30 messages/, 'the progress bar');
    assert.match(yes.output, /Apply complete: 30 accepted/);
    assert.is(emulator.stats().uniqueMessageIds, 30);
  } finally {
    await emulator.close();
    await cleanup();
  }
});

test.run();
