import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StateError } from '../../src/errors.js';
import { createContentStore } from '../../src/plan/content-store.js';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';
import { withTmpDir } from '../state/tmp-dir.js';

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

const FAIL_SPILL = fileURLToPath(new URL('../helpers/fail-spill-writes.mjs', import.meta.url));

test('a full disk under the spill file: plan exits 1 with one error naming the state folder and a hint, nothing recorded', async () => {
  // Past the 10,000 contents kept in memory, the rest spill to a file in the state folder, written
  // once a MiB is pending: 1,000 of 1.3 KB.
  const text = `Hello {{name}}. ${'Terms apply. '.repeat(100)}`;
  const { dir, cleanup } = await makeWorkspace(textSpec('promo', swissNumbers(11_000), text));
  try {
    const env = { NODE_OPTIONS: `--import=${FAIL_SPILL}` };
    const plan = await runCli(['plan', '--state', 'st'], { cwd: dir, env });
    assert.is(plan.code, 1, plan.stderr);
    assertNoStackTrace(plan);
    const folder = join(dir, 'st');
    assert.ok(
      plan.stderr.includes(
        `error: The plan's contents cannot be written to a spill file in ${folder} (ENOSPC: no space left on the device).`,
      ),
      plan.stderr,
    );
    assert.match(plan.stderr, /\nhint: .*free space there, or point the state elsewhere/);
    assert.is(plan.stderr.trim().split('\n').length, 2, plan.stderr);
    assert.ok(!existsSync(join(folder, 'journal.ndjson')), 'nothing recorded');
    assert.equal(
      readdirSync(folder).filter((f) => f.endsWith('.spill')),
      [],
      'no spill file left behind',
    );

    const json = await runCli(['plan', '--state', 'st', '--format', 'json'], { cwd: dir, env });
    assert.is(json.code, 1);
    const out = JSON.parse(json.stdout) as { error: { code: string; hint: string } };
    assert.is(out.error.code, 'state');
    assert.match(out.error.hint, /free space/);

    // The same plan with a disk that has room.
    const ok = await runCli(['plan', '--state', 'st'], { cwd: dir });
    assert.is(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /11,000 to send/);
  } finally {
    await cleanup();
  }
});

test('a spill folder that is a file: a StateError naming it, with the TMPDIR hint when it is the temp dir', () =>
  withTmpDir(async (dir) => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, '');
    const store = createContentStore({ inMemory: 0, dir: file });
    store.add('a'.repeat(64), { text: 'hi' } as never);
    const error = caught(() => store.get('a'.repeat(64)));
    assert.instance(error, StateError);
    assert.match((error as StateError).message, `spill file in ${file} (EEXIST`);
    assert.match((error as StateError).hint ?? '', /point the state elsewhere/);

    const previous = process.env.TMPDIR;
    process.env.TMPDIR = file;
    try {
      const temp = createContentStore({ inMemory: 0 });
      temp.add('b'.repeat(64), { text: 'hi' } as never);
      const error = caught(() => temp.get('b'.repeat(64)));
      assert.instance(error, StateError);
      assert.match((error as StateError).message, /spill file in .*not-a-folder/);
      assert.match((error as StateError).hint ?? '', /set TMPDIR/);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
  }));

test.run();
