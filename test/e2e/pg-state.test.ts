import { test } from 'uvu';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { startEmulator } from '../../src/emulator/server.js';
import { assertNoStackTrace, collect, makeWorkspace, runCli, startCli } from '../helpers/cli.js';
import { emulatorEnv } from '../helpers/emulator.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';
import { adminQuery, postgresBackends, schemaOf, withState } from '../helpers/state-backends.js';
import { outputOf, waitUntil } from '../helpers/wait-output.js';

function countActions(stdout: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of (JSON.parse(stdout) as { entries: Array<{ action: string }> }).entries)
    counts.set(e.action, (counts.get(e.action) ?? 0) + 1);
  return counts;
}

for (const backend of await postgresBackends()) {
  test('[postgres] pg_terminate_backend of the applying session: apply stops (exit 4), the next apply re-sends nothing', async () => {
    const { dir, cleanup } = await makeWorkspace(textSpec('cut', swissNumbers(30), 'Hi', 1));
    const emulator = await startEmulator({ latencyMs: 150 });
    try {
      await withState(backend, async (state) => {
        const env = { ...state.env, ...emulatorEnv(emulator.url) };
        const child = startCli(['apply', '--yes', '--concurrency', '2'], { cwd: dir, env });
        const running = collect(child);
        await waitUntil(() => emulator.stats().requests >= 4, 'the emulator has 4 requests');
        const killed = await adminQuery(
          `SELECT pg_terminate_backend(backend_pid) AS ok FROM "${schemaOf(state)}".lock_holder WHERE workspace = $1`,
          [state.workspace],
        );
        assert.is(killed.rows[0]?.ok, true, 'the holder row names the applying session');
        const result = await running;
        assert.is(result.code, 4, result.stdout + result.stderr);
        assert.match(result.stderr, /Lost the connection to the state database/);
        assertNoStackTrace(result);
        const sentByFirst = emulator.stats().requests;
        assert.ok(sentByFirst < 30, 'it stopped issuing requests');

        const plan = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
        const before = countActions(plan.stdout);
        assert.ok(
          (before.get('in-doubt') ?? 0) <= 2,
          `at most the 2 in flight are in doubt: ${JSON.stringify([...before])}`,
        );
        const rest = await runCli(['apply', '--yes'], { cwd: dir, env });
        assert.ok(rest.code === 0, rest.stdout + rest.stderr);
        const stats = emulator.stats();
        assert.is(stats.duplicates, 0, 'nothing was sent twice');
        assert.is(
          stats.requests,
          sentByFirst + (before.get('send') ?? 0) + (before.get('retry') ?? 0),
        );
        const after = countActions(
          (await runCli(['plan', '--format', 'json'], { cwd: dir, env })).stdout,
        );
        assert.is((after.get('unchanged') ?? 0) + (after.get('in-doubt') ?? 0), 30);
      });
    } finally {
      await emulator.close();
      await cleanup();
    }
  });

  test('[postgres] unreachable, missing or refused databases: one line and a hint, exit 1, nothing sent', async () => {
    const { dir, cleanup } = await makeWorkspace(textSpec('bad', swissNumbers(3), 'Hi'));
    const emulator = await startEmulator();
    try {
      const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
        [
          ['plan', '--state', 'postgres://postgres@127.0.0.1:1/test'],
          {},
          /Cannot reach the state database .*ECONNREFUSED/,
        ],
        [
          ['apply', '--yes', '--state', 'postgres://postgres@127.0.0.1:1/test'],
          {},
          /Cannot reach the state database/,
        ],
        [
          ['apply', '--yes'],
          { WASPEC_STATE_URL: 'postgres://postgres@127.0.0.1:5432/waspec_missing_db' },
          /does not exist/,
        ],
        [
          ['plan', '--state', 'postgres://postgres:pw@127.0.0.1/test'],
          {},
          /--state must not hold a password/,
        ],
        [['plan'], { WASPEC_STATE_URL: 'postgres://h/db?schema=Bad-Schema' }, /schema name/],
        [
          ['plan', '--workspace', 'no spaces'],
          { WASPEC_STATE_URL: 'postgres://postgres@127.0.0.1/test' },
          /workspace name/,
        ],
      ];
      for (const [args, extra, expected] of cases) {
        const result = await runCli(args, {
          cwd: dir,
          env: { ...emulatorEnv(emulator.url), WASPEC_STATE_DIR: '', ...extra },
        });
        assert.is(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
        assert.match(result.stderr, expected);
        assert.match(result.stderr, /^error: .*\nhint: .*\n$/, 'one line and a hint');
        assertNoStackTrace(result);
      }
      assert.is(emulator.stats().requests, 0);
    } finally {
      await emulator.close();
      await cleanup();
    }
  });

  test('[postgres] watch plans against the PostgreSQL state (read only)', async () => {
    const { dir, cleanup } = await makeWorkspace(textSpec('watched', swissNumbers(2), 'Hi'));
    const emulator = await startEmulator();
    try {
      await withState(backend, async (state) => {
        const env = { ...state.env, ...emulatorEnv(emulator.url) };
        assert.is((await runCli(['apply', '--yes'], { cwd: dir, env })).code, 0);
        const child = startCli(['watch'], { cwd: dir, env });
        const output = outputOf(child);
        try {
          const run = await output.waitFor(
            /── waspec watch: run 1 ──[\s\S]*?── end of run 1 ──/,
            20_000,
          );
          assert.match(run, /0 to send, 2 unchanged/);
        } finally {
          child.kill('SIGTERM');
          await collect(child);
        }
      });
    } finally {
      await emulator.close();
      await cleanup();
    }
  });

  test('[postgres] the state URL and workspace come from the config profile; its password never from there', async () => {
    const { dir, cleanup } = await makeWorkspace(textSpec('cfg', swissNumbers(2), 'Hi'));
    try {
      await withState(backend, async (state) => {
        const url = state.url ?? '';
        const config = `profiles:\n  default:\n    state: "${url}"\n    workspace: from-config\n`;
        await makeFile(dir, 'waspec.config.yaml', config);
        const emulator = await startEmulator();
        try {
          const applied = await runCli(['apply', '--yes'], {
            cwd: dir,
            env: { ...emulatorEnv(emulator.url), WASPEC_STATE_DIR: '' },
          });
          assert.is(applied.code, 0, applied.stderr);
          const rows = await adminQuery<{ workspace: string }>(
            `SELECT DISTINCT workspace FROM "${schemaOf(state)}".journal`,
          );
          assert.equal(
            rows.rows.map((r) => r.workspace),
            ['from-config'],
          );
        } finally {
          await emulator.close();
        }
        await makeFile(
          dir,
          'waspec.config.yaml',
          config.replace('postgres://postgres@', 'postgres://postgres:hunter22@'),
        );
        const refused = await runCli(['plan'], { cwd: dir, env: { WASPEC_STATE_DIR: '' } });
        assert.is(refused.code, 1);
        assert.match(
          refused.stderr,
          /waspec\.config\.yaml:3:\d+\s+error\s+the state URL holds a password/,
        );
        assert.not.ok(refused.stderr.includes('hunter22'));
      });
    } finally {
      await cleanup();
    }
  });
}

function makeFile(dir: string, name: string, text: string): Promise<void> {
  return writeFile(join(dir, name), text);
}

test.run();
