import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { EMULATOR_DEFAULTS, startEmulator } from '../../src/emulator/server.js';
import { collect, makeWorkspace, runCli, startCli } from '../helpers/cli.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';
import { adminQuery, postgresBackends, schemaOf, withState } from '../helpers/state-backends.js';

/** Checks `condition` until it holds; fails after `timeoutMs` rather than hanging the run. */
async function waitFor(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * 120 messages, a request each. The breaker is off: a 500 fails its message at once, and with 4
 * workers one of them may see more than a fifth of its first answers fail and stop (exit 5), which
 * is not what these tests look at.
 */
const pacedWorkspace = () => ({
  ...textSpec('paced', swissNumbers(120), 'Our store opens at 9.', 1),
  'waspec.config.yaml': 'policy:\n  breaker: off\n',
});

/** Whether a process has ended (a zombie not yet reaped by its new parent has too). */
async function ended(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat === undefined || /^\d+ \(.*\) Z/.test(stat);
}

for (const backend of await postgresBackends()) {
  test('[postgres] the parent of --workers 3 SIGKILLed while its workers send: they finish what is out, hand back what waits, and leave no claim', async () => {
    const { dir, cleanup } = await makeWorkspace(
      textSpec('alone', swissNumbers(3000), 'Our store opens at 9.', 10),
    );
    // Throttled, so that some requests wait out a Retry-After when the parent dies.
    const emulator = await startEmulator({ latencyMs: 40, throttleRps: 40 });
    try {
      await withState(backend, async (state) => {
        const schema = schemaOf(state);
        const env = {
          ...state.env,
          WASPEC_BASE_URL: emulator.url,
          WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
          WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
        };
        const parent = startCli(['apply', '--yes', '--workers', '3', '--concurrency', '2'], {
          cwd: dir,
          env,
        });
        const done = collect(parent);
        // Each worker's pid (none until the first apply has made the tables).
        const workers = async () =>
          adminQuery<{ pid: number }>(`SELECT pid FROM "${schema}".apply_worker`).then(
            (result) => result.rows.map((r) => r.pid),
            () => [],
          );
        // The event the kill needs: all three workers sending, and some request refused (429).
        await waitFor(
          async () => (await workers()).length >= 3 && (emulator.stats().byStatus['429'] ?? 0) > 0,
          'three workers sending, one request refused',
        );
        assert.is(parent.exitCode, null, 'the apply lasts past the kill');
        const pid = parent.pid ?? -1;
        parent.kill('SIGKILL');
        await done;
        const children = (await workers()).filter((p) => p !== pid);
        assert.is(children.length, 2);
        await waitFor(
          async () => (await Promise.all(children.map(ended))).every(Boolean),
          'the workers left alone end',
        );

        const open = await adminQuery<{ pid: number; phase: string; request: string }>(
          `SELECT w.pid, r.phase, r.request::text AS request FROM "${schema}".apply_request r
             JOIN "${schema}".apply_worker w ON w.id = r.worker_id
            WHERE r.phase IN ('out', 'waiting')`,
        );
        const leftByLiving = open.rows.filter((r) => r.pid !== pid);
        assert.equal(
          leftByLiving.map((r) => `${r.phase} by ${r.pid}`),
          [],
          'no claim left by a process that was not killed',
        );
        // In doubt only what the killed parent had out.
        const plan = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
        const inDoubt = (
          JSON.parse(plan.stdout) as { entries: Array<{ action: string; messageId: string }> }
        ).entries.filter((e) => e.action === 'in-doubt');
        const parentOut = open.rows.filter((r) => r.phase === 'out').map((r) => r.request);
        assert.equal(
          inDoubt.filter((e) => !parentOut.some((text) => text.includes(e.messageId))),
          [],
          'no request in doubt that was not out with the killed parent',
        );
        assert.ok(inDoubt.length <= 2 * 10, `in doubt ${inDoubt.length} ≤ the parent's lanes`);
        assert.is(emulator.stats().duplicates, 0);

        // The workers handed back their work: the next apply finishes it.
        const again = await runCli(['apply', '--yes', '--workers', '2'], { cwd: dir, env });
        assert.ok([0, 3].includes(again.code ?? -1), again.stderr);
        assert.is(emulator.stats().duplicates, 0, 'no messageId reached the API twice');
      });
    } finally {
      await emulator.close();
      await cleanup();
    }
  });

  test('[postgres] a long run with retries and a rate limit prints no warning', async () => {
    const { dir, cleanup } = await makeWorkspace(pacedWorkspace());
    const emulator = await startEmulator({ failRate: 0.2, seed: 5 });
    try {
      await withState(backend, async (state) => {
        const env = {
          ...state.env,
          WASPEC_BASE_URL: emulator.url,
          WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
          WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
        };
        const result = await runCli(
          ['apply', '--yes', '--workers', '4', '--rate-limit', '20', '--concurrency', '4'],
          { cwd: dir, env },
        );
        assert.ok(
          [0, 3].includes(result.code ?? -1),
          `exit ${String(result.code)}\n${result.stdout}\n${result.stderr}`,
        );
        assert.ok(emulator.stats().requests > 120, 'some requests were retried');
        assert.not.match(result.stderr, /Warning|MaxListeners/);
      });
    } finally {
      await emulator.close();
      await cleanup();
    }
  });
}

test('a long run with retries and a rate limit prints no warning (file state)', async () => {
  const { dir, cleanup } = await makeWorkspace(pacedWorkspace());
  const emulator = await startEmulator({ failRate: 0.3, seed: 5 });
  try {
    const result = await runCli(['apply', '--yes', '--rate-limit', '20', '--concurrency', '4'], {
      cwd: dir,
      env: {
        WASPEC_STATE_URL: '',
        WASPEC_STATE_DIR: '',
        WASPEC_BASE_URL: emulator.url,
        WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
        WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
      },
    });
    assert.ok(
      [0, 3].includes(result.code ?? -1),
      `exit ${String(result.code)}\n${result.stdout}\n${result.stderr}`,
    );
    assert.ok(emulator.stats().requests > 150, 'many requests were retried');
    assert.not.match(result.stderr, /Warning|MaxListeners/);
  } finally {
    await emulator.close();
    await cleanup();
  }
});

test.run();
