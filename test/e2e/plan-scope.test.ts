import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EMULATOR_DEFAULTS, startEmulator } from '../../src/emulator/server.js';
import { makeWorkspace, runCli } from '../helpers/cli.js';
import { swissNumbers } from '../helpers/specs.js';

const phones = swissNumbers(3);
const spec = (name: string, text: string) =>
  `name: ${name}\nrevision: 1\nwhatsApp:\n  text: "${text}"\nrecipients:\n${phones.map((p) => `  - phoneNumber: "${p}"`).join('\n')}\n`;

/** A workspace with two specs applied once; `fn` gets a CLI runner with the emulator's env. */
async function applied(
  fn: (cli: (args: string[]) => ReturnType<typeof runCli>, dir: string) => Promise<void>,
): Promise<void> {
  const { dir, cleanup } = await makeWorkspace({
    'specs/a.yaml': spec('a', 'Hello from A.'),
    'specs/b.yaml': spec('b', 'Hello from B.'),
  });
  const emulator = await startEmulator();
  const env = {
    WASPEC_BASE_URL: emulator.url,
    WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
    WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
  };
  const cli = (args: string[]) => runCli(args, { cwd: dir, env });
  try {
    const first = await cli(['apply', '--yes']);
    assert.is(first.code, 0, first.stderr);
    await fn(cli, dir);
  } finally {
    await emulator.close();
    await cleanup();
  }
}

test('a path that does not exist is an error and lists no orphans', async () => {
  await applied(async (cli) => {
    const run = await cli(['plan', 'specs/nonexistent.yaml', '--detailed-exitcode']);
    assert.is(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout + run.stderr, /nonexistent\.yaml does not exist/);
    assert.not.match(run.stdout, /- orphan ·/);
    for (const phone of phones) assert.not.ok(run.stdout.includes(phone.slice(-4)), run.stdout);
  });
});

test('a spec file named alone: orphans only of its own spec', async () => {
  await applied(async (cli) => {
    const run = await cli(['plan', 'specs/a.yaml', '--detailed-exitcode']);
    assert.is(run.code, 0, run.stdout + run.stderr);
    assert.not.match(run.stdout, /- orphan ·/);
  });
});

test('--detailed-exitcode: 0 when nothing changed, 2 for a text-only edit (drift), 0 for suppressed only', async () => {
  await applied(async (cli, dir) => {
    const same = await cli(['plan', '--detailed-exitcode']);
    assert.is(same.code, 0, same.stdout + same.stderr);
    await writeFile(join(dir, 'specs/a.yaml'), spec('a', 'Hello again from A.'));
    const drift = await cli(['plan', '--detailed-exitcode']);
    assert.match(drift.stdout, /drift/);
    assert.is(drift.code, 2, drift.stdout + drift.stderr);
    // Back as accepted; a new recipient who is suppressed is held by a standing rule, not a change.
    await writeFile(join(dir, 'specs/a.yaml'), spec('a', 'Hello from A.'));
    const extra = swissNumbers(4)[3] ?? '';
    await writeFile(
      join(dir, 'specs/b.yaml'),
      spec('b', 'Hello from B.').replace(
        'recipients:\n',
        `recipients:\n  - phoneNumber: "${extra}"\n`,
      ),
    );
    await writeFile(join(dir, 'suppressed.csv'), `phoneNumber,reason\n${extra},opted out\n`);
    await writeFile(join(dir, 'waspec.config.yaml'), 'suppressions:\n  - suppressed.csv\n');
    const held = await cli(['plan', '--detailed-exitcode']);
    assert.match(held.stdout, /suppressed/);
    assert.is(held.code, 0, held.stdout + held.stderr);
  });
});

test.run();
