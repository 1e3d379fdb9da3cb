import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hashShare, startEmulator } from '../../src/emulator/server.js';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';
import { emulatorEnv } from '../helpers/emulator.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';
import {
  adminQuery,
  postgresBackends,
  schemaOf,
  stateBackends,
  testEachBackend,
  withState,
} from '../helpers/state-backends.js';

const each = testEachBackend(test, await stateBackends());

function actions(stdout: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of (JSON.parse(stdout) as { entries: Array<{ action: string }> }).entries)
    counts[e.action] = (counts[e.action] ?? 0) + 1;
  return counts;
}

const RECIPIENTS = 1000;
const BATCH = 10;
const CONCURRENCY = 4;
const WINDOW = 200;

test('the emulator rejects a share of numbers by their hash: the same ones every time', () => {
  const numbers = swissNumbers(2000);
  const rejected = numbers.filter((n) => hashShare(n) < 0.3).length;
  assert.ok(rejected > 500 && rejected < 700, `about 30%: ${rejected}`);
  assert.equal(
    numbers.map((n) => hashShare(n)),
    numbers.map((n) => hashShare(n)),
  );
});

each(
  'an emulator rejecting 30% trips the breaker within one window: exit 5, top reasons, nothing unsent in doubt, the next apply held until told',
  async (backend) => {
    const { dir, cleanup } = await makeWorkspace(
      textSpec('promo', swissNumbers(RECIPIENTS), 'Hi', BATCH),
    );
    const emulator = await startEmulator({ rejectRate: 0.3 });
    try {
      await withState(
        backend,
        async (state) => {
          const env = { ...state.env, ...emulatorEnv(emulator.url) };
          const apply = ['apply', '--yes', '--concurrency', String(CONCURRENCY)];
          const first = await runCli(apply, { cwd: dir, env });
          assert.is(first.code, 5, first.stdout + first.stderr);
          assertNoStackTrace(first);
          assert.match(
            first.stdout,
            /Circuit breaker tripped: \d+(\.\d)?% of the last \d+ answers rejected \(over 20%\)/,
          );
          assert.match(
            first.stdout,
            /×\d+ {2}REJECTED_DESTINATION: The destination is not a WhatsApp user/,
          );
          const sent = emulator.stats().accepted + emulator.stats().rejected;
          // The window, plus what was already out when it tripped.
          assert.ok(
            sent <= WINDOW + CONCURRENCY * BATCH,
            `stopped within one window: ${sent} sent`,
          );
          assert.ok(sent >= 20, `it judged only after minAnswers: ${sent}`);

          const plan = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
          const counts = actions(plan.stdout);
          assert.is(counts['in-doubt'], undefined, 'nothing is in doubt');
          assert.is(counts.send, RECIPIENTS - sent, 'everything unsent is planned as before');
          const trip = (
            JSON.parse(plan.stdout) as { inputs: { state: { breaker?: { cause: string } } } }
          ).inputs.state.breaker;
          assert.is(trip?.cause, 'rejected');
          const pretty = await runCli(['plan'], { cwd: dir, env });
          assert.match(pretty.stdout, /Circuit breaker tripped at .*: .* rejected .*--resume/);
          const markdown = await runCli(['plan', '--format', 'markdown'], { cwd: dir, env });
          assert.match(markdown.stdout, /> ⚠ Circuit breaker tripped at/);

          const held = await runCli(apply, { cwd: dir, env });
          assert.is(held.code, 5, held.stdout + held.stderr);
          assert.match(
            held.stderr,
            /The last apply was stopped by its circuit breaker.*\n[^]*Nothing was sent/,
          );
          assert.is(emulator.stats().accepted + emulator.stats().rejected, sent, 'nothing sent');

          // --resume goes on with the breaker on: the rejections trip it again within a window.
          const resumed = await runCli([...apply, '--resume'], { cwd: dir, env });
          assert.is(resumed.code, 5, resumed.stdout + resumed.stderr);
          const sentAgain = emulator.stats().accepted + emulator.stats().rejected - sent;
          assert.ok(sentAgain > 0 && sentAgain <= WINDOW + CONCURRENCY * BATCH, `${sentAgain}`);

          const forced = await runCli([...apply, '--ignore-breaker'], { cwd: dir, env });
          assert.is(forced.code, 3, forced.stdout + forced.stderr);
          const stats = emulator.stats();
          assert.is(stats.accepted + stats.rejected, RECIPIENTS);
          assert.is(stats.duplicates, 0, 'nothing sent twice');
          const after = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
          assert.is(
            (JSON.parse(after.stdout) as { inputs: { state: { breaker?: unknown } } }).inputs.state
              .breaker,
            undefined,
            'an apply that sent again clears the trip',
          );
        },
        dir,
      );
    } finally {
      await emulator.close();
      await cleanup();
    }
  },
);

each(
  'a healthy run passes the breaker; breaker thresholds come from the config',
  async (backend) => {
    // 5% rejected: under the default 20%; over the 1% of the second workspace's config.
    const { dir, cleanup } = await makeWorkspace(textSpec('news', swissNumbers(300), 'Hi', BATCH));
    const emulator = await startEmulator({ rejectRate: 0.05 });
    try {
      await withState(
        backend,
        async (state) => {
          const env = { ...state.env, ...emulatorEnv(emulator.url) };
          const healthy = await runCli(['apply', '--yes'], { cwd: dir, env });
          assert.is(healthy.code, 3, healthy.stdout + healthy.stderr); // some rejected, none stopped
          assert.not.match(healthy.stdout, /Circuit breaker/);
          assert.is(emulator.stats().accepted + emulator.stats().rejected, 300);
        },
        dir,
      );
      const strictSpec = textSpec('strict', swissNumbers(300, 2000000), 'Hi', BATCH);
      const { dir: dir2, cleanup: cleanup2 } = await makeWorkspace({
        ...strictSpec,
        'waspec.config.yaml':
          'policy:\n  breaker: { window: 100, minAnswers: 50, maxRejectedShare: 0.01 }\n',
      });
      try {
        await withState(
          backend,
          async (state) => {
            const env = { ...state.env, ...emulatorEnv(emulator.url) };
            const before = emulator.stats().accepted + emulator.stats().rejected;
            const strict = await runCli(['apply', '--yes'], { cwd: dir2, env });
            assert.is(strict.code, 5, strict.stdout + strict.stderr);
            assert.match(strict.stdout, /over 1%/);
            const sent = emulator.stats().accepted + emulator.stats().rejected - before;
            assert.ok(sent >= 50 && sent < 300, `${sent}`);
          },
          dir2,
        );
      } finally {
        await cleanup2();
      }
    } finally {
      await emulator.close();
      await cleanup();
    }
  },
);

for (const backend of await postgresBackends()) {
  test('[postgres] apply --workers: one worker tripping stops the claims of all; the run ends tripped, nothing unsent in doubt', async () => {
    const { dir, cleanup } = await makeWorkspace(
      textSpec('wide', swissNumbers(RECIPIENTS), 'Hi', BATCH),
    );
    const emulator = await startEmulator({ rejectRate: 0.3, latencyMs: 5 });
    try {
      await withState(
        backend,
        async (state) => {
          const env = { ...state.env, ...emulatorEnv(emulator.url) };
          const workers = 3;
          const result = await runCli(
            ['apply', '--yes', '--workers', String(workers), '--concurrency', String(CONCURRENCY)],
            { cwd: dir, env },
          );
          assert.is(result.code, 5, result.stdout + result.stderr);
          assertNoStackTrace(result);
          assert.match(result.stdout, /Circuit breaker tripped/);
          const sent = emulator.stats().accepted + emulator.stats().rejected;
          // Each worker may judge its own window before the run's flag stops its claims.
          assert.ok(
            sent <= workers * (WINDOW + CONCURRENCY * BATCH),
            `stopped early: ${sent} of ${RECIPIENTS}`,
          );
          assert.ok(sent < RECIPIENTS / 2, `${sent}`);
          const run = await adminQuery<{ ended: string; tripped: boolean }>(
            `SELECT ended, breaker IS NOT NULL AS tripped FROM "${schemaOf(state)}".apply_run`,
          );
          assert.equal(run.rows, [{ ended: 'breaker', tripped: true }]);
          const breakers = await adminQuery<{ n: number }>(
            `SELECT count(*)::int AS n FROM "${schemaOf(state)}".journal WHERE type = 'breaker'`,
          );
          assert.is(breakers.rows[0]?.n, 1, 'the trip journalled once');
          const plan = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
          const counts = actions(plan.stdout);
          assert.is(counts['in-doubt'], undefined, 'nothing is in doubt');
          assert.is(counts.send, RECIPIENTS - sent);
          const held = await runCli(['apply', '--yes', '--workers', '2'], { cwd: dir, env });
          assert.is(held.code, 5, held.stdout + held.stderr);
          assert.is(emulator.stats().accepted + emulator.stats().rejected, sent, 'nothing sent');
        },
        dir,
      );
    } finally {
      await emulator.close();
      await cleanup();
    }
  });
}

test.run();
