import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('the demo plans and applies specs/ against the built-in emulator; a second run sends nothing', async () => {
  const state = await mkdtemp(join(tmpdir(), 'waspec-demo-'));
  try {
    const first = await runCli(['demo', '--state', state], { cwd: root });
    assert.is(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /Apply complete: 27 accepted, 0 rejected, 0 failed, 0 in doubt/);
    assert.match(first.stdout, /Plan: 0 to send, 27 unchanged/, first.stdout);
    assert.match(first.stdout, /0 duplicates/);
    const second = await runCli(['demo', '--state', state], { cwd: root });
    assert.is(second.code, 0);
    assert.match(second.stdout, /Nothing to send/);
    const reset = await runCli(['demo', '--state', state, '--reset'], { cwd: root });
    assert.match(reset.stdout, /Apply complete: 27 accepted/);
  } finally {
    await rm(state, { recursive: true, force: true });
  }
});

test.run();
