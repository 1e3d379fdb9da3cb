import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/server.js';
import { assertNoStackTrace, collect, makeWorkspace, runCli, startCli } from '../helpers/cli.js';
import { emulatorEnv } from '../helpers/emulator.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';
import {
  adminQuery,
  postgresBackends,
  schemaOf,
  withState,
  type FreshState,
} from '../helpers/state-backends.js';
import { waitUntil } from '../helpers/wait-output.js';

/** Requests of the (only) apply run, by the worker that claimed them. */
async function requestsByWorker(state: FreshState): Promise<Map<string, number>> {
  const rows = await adminQuery<{ pid: number; n: number }>(
    `SELECT w.pid, count(*)::int AS n FROM "${schemaOf(state)}".apply_request r JOIN "${schemaOf(state)}".apply_worker w ON w.id = r.worker_id GROUP BY w.pid`,
  );
  return new Map(rows.rows.map((r) => [String(r.pid), r.n]));
}

test('--workers with the file state is a one-line error', async () => {
  const { dir, cleanup } = await makeWorkspace(textSpec('file', swissNumbers(2), 'Hi'));
  try {
    const result = await runCli(['apply', '--yes', '--workers', '2'], {
      cwd: dir,
      env: { ...emulatorEnv('http://127.0.0.1:9'), WASPEC_STATE_URL: '', WASPEC_STATE_DIR: '' },
    });
    assert.is(result.code, 1);
    assert.is(
      result.stderr.split('\n')[0],
      'error: --workers needs a PostgreSQL state: a file state is applied by one process at a time',
    );
    assertNoStackTrace(result);
  } finally {
    await cleanup();
  }
});

for (const backend of await postgresBackends()) {
  test('[postgres] two workers share the apply: both send, no request twice, one summary of the whole apply', async () => {
    const { dir, cleanup } = await makeWorkspace(textSpec('share', swissNumbers(60), 'Hi', 1));
    const emulator = await startEmulator({ latencyMs: 150 });
    try {
      await withState(backend, async (state) => {
        const env = { ...state.env, ...emulatorEnv(emulator.url) };
        const result = await runCli(['apply', '--yes', '--workers', '2', '--concurrency', '2'], {
          cwd: dir,
          env,
        });
        assert.is(result.code, 0, result.stdout + result.stderr);
        assert.match(
          result.stdout,
          /Apply complete: 60 accepted, 0 rejected, 0 failed, 0 in doubt \(60 requests\)\./,
        );
        const byWorker = await requestsByWorker(state);
        assert.is(
          byWorker.size,
          2,
          `two worker processes claimed requests: ${JSON.stringify([...byWorker])}`,
        );
        for (const [pid, n] of byWorker) assert.ok(n > 0, `worker ${pid} sent nothing`);
        const stats = emulator.stats();
        assert.is(stats.requests, 60, 'each request went out once');
        assert.is(stats.duplicates, 0);
        const bulkIds = emulator
          .requestBodies()
          .map((b) => (JSON.parse(b) as { bulkId: string }).bulkId);
        assert.is(new Set(bulkIds).size, 60, 'no request was sent by both');
        const contents = await adminQuery<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${schemaOf(state)}".journal WHERE type = 'message'`,
        );
        assert.is(
          contents.rows[0]?.n,
          1,
          'the one message as written is journalled once, with the run',
        );
      });
    } finally {
      await emulator.close();
      await cleanup();
    }
  });

  test('[postgres] an apply without workers is refused while workers apply, naming them; and the other way round', async () => {
    const { dir, cleanup } = await makeWorkspace(textSpec('lock', swissNumbers(20), 'Hi', 1));
    const emulator = await startEmulator({ latencyMs: 500 });
    try {
      await withState(backend, async (state) => {
        const env = { ...state.env, ...emulatorEnv(emulator.url) };
        const workers = startCli(['apply', '--yes', '--workers', '1', '--concurrency', '1'], {
          cwd: dir,
          env,
        });
        const working = collect(workers);
        await waitUntil(() => emulator.stats().requests >= 1, 'the worker sends');
        const refused = await runCli(['apply', '--yes'], { cwd: dir, env });
        assert.is(refused.code, 1, refused.stdout + refused.stderr);
        assert.match(
          refused.stderr,
          new RegExp(
            `being applied by 1 worker \\(apply --workers\\): \\S+ on \\S+ \\(pid ${String(workers.pid)}\\) since `,
          ),
        );
        assertNoStackTrace(refused);
        // Another worker with other inputs (one spec of two) may not start a second apply meanwhile.
        const others = swissNumbers(10, 2000000)
          .map((n) => `  - phoneNumber: "${n}"`)
          .join('\n');
        await writeFile(
          join(dir, 'specs', 'other.yaml'),
          `name: other\nrevision: 1\nbatchSize: 1\nwhatsApp: { text: "Other" }\nrecipients:\n${others}\n`,
        );
        const other = await runCli(['apply', '--yes', '--workers', '1', '--target', 'other'], {
          cwd: dir,
          env,
        });
        assert.is(other.code, 1, other.stdout + other.stderr);
        assert.match(other.stderr, /being applied from other inputs by 1 worker/);
        const done = await working;
        assert.is(done.code, 0, done.stdout + done.stderr);
        assert.is(emulator.stats().requests, 20, 'the refused applies sent nothing');

        const plain = startCli(['apply', '--yes', '--concurrency', '1', '--target', 'other'], {
          cwd: dir,
          env,
        });
        const applying = collect(plain);
        await waitUntil(() => emulator.stats().requests >= 21, 'the apply without workers sends');
        const worker = await runCli(['apply', '--yes', '--workers', '1', '--target', 'other'], {
          cwd: dir,
          env,
        });
        assert.is(worker.code, 1, worker.stdout + worker.stderr);
        assert.match(
          worker.stderr,
          new RegExp(`locked by \\S+ on \\S+ \\(pid ${String(plain.pid)}\\) since `),
        );
        assert.is((await applying).code, 0);
      });
    } finally {
      await emulator.close();
      await cleanup();
    }
  });

  test('[postgres] a worker started by hand joins the open run, its starter (state) shown escaped', async () => {
    const { dir, cleanup } = await makeWorkspace(textSpec('join', swissNumbers(20), 'Hi', 1));
    const emulator = await startEmulator({ latencyMs: 300 });
    try {
      await withState(backend, async (state) => {
        const env = { ...state.env, ...emulatorEnv(emulator.url) };
        const first = collect(
          startCli(['apply', '--yes', '--workers', '1', '--concurrency', '1'], { cwd: dir, env }),
        );
        await waitUntil(() => emulator.stats().requests >= 1, 'the first worker sends');
        await adminQuery(`UPDATE "${schemaOf(state)}".apply_run SET started_by = $1`, [
          'ops\u001b[2J\u202eevil',
        ]);
        const joined = await runCli(['apply', '--yes', '--workers', '1', '--concurrency', '1'], {
          cwd: dir,
          env,
        });
        assert.is(joined.code, 0, joined.stdout + joined.stderr);
        assert.match(
          joined.stdout,
          /Joining apply run \d+, started by ops\\e\[2J\\u\{202E\}evil at /,
        );
        assert.not.match(
          joined.stdout + joined.stderr,
          /[\u001b\u202e]/u,
          'no raw control or bidi character',
        );
        assert.is((await first).code, 0);
        assert.is(emulator.stats().requests, 20, 'each request went out once');
      });
    } finally {
      await emulator.close();
      await cleanup();
    }
  });

  test('[postgres] Ctrl-C of apply --workers: the summary counts what was answered, the pending rest as not sent', async () => {
    const MESSAGES = 30;
    const { dir, cleanup } = await makeWorkspace(textSpec('stop', swissNumbers(MESSAGES), 'Hi', 1));
    const emulator = await startEmulator({ latencyMs: 300 });
    try {
      await withState(backend, async (state) => {
        const env = { ...state.env, ...emulatorEnv(emulator.url) };
        const child = startCli(['apply', '--yes', '--workers', '1', '--concurrency', '2'], {
          cwd: dir,
          env,
        });
        const running = collect(child);
        await waitUntil(() => emulator.stats().accepted >= 4, 'the worker sends');
        child.kill('SIGINT');
        const result = await running;
        assert.is(result.code, 130, result.stdout + result.stderr);
        // What was out at Ctrl-C was answered and counted; nothing else went out.
        const accepted = emulator.stats().accepted;
        assert.ok(accepted < MESSAGES, `${accepted} of ${MESSAGES} sent before the stop`);
        const done = await adminQuery<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${schemaOf(state)}".apply_request WHERE phase = 'done'`,
        );
        assert.is(done.rows[0]?.n, accepted);
        assert.match(
          result.stdout,
          `Apply interrupted: ${accepted} accepted, 0 rejected, 0 failed, 0 in doubt, ${MESSAGES - accepted} not sent (${accepted} requests).`,
        );
        // The run stays open for the next apply: it sends the rest, once each.
        const rest = await runCli(['apply', '--yes', '--workers', '2'], { cwd: dir, env });
        assert.is(rest.code, 0, rest.stdout + rest.stderr);
        assert.match(
          rest.stdout,
          `Apply complete: ${MESSAGES} accepted, 0 rejected, 0 failed, 0 in doubt (${MESSAGES} requests).`,
        );
        assert.is(emulator.stats().duplicates, 0);
      });
    } finally {
      await emulator.close();
      await cleanup();
    }
  });

  test('[postgres] --rate-limit is one budget for all workers together', async () => {
    const REQUESTS = 50;
    const RATE = 5;
    const { dir, cleanup } = await makeWorkspace(textSpec('rate', swissNumbers(REQUESTS), 'Hi', 1));
    const emulator = await startEmulator();
    try {
      await withState(backend, async (state) => {
        const env = { ...state.env, ...emulatorEnv(emulator.url) };
        const result = await runCli(
          ['apply', '--yes', '--workers', '3', '--rate-limit', String(RATE)],
          { cwd: dir, env },
        );
        assert.is(result.code, 0, result.stdout + result.stderr);
        assert.ok((await requestsByWorker(state)).size >= 2, 'several workers sent');
        const arrivals = emulator.requestLog().map((e) => e.receivedAt);
        assert.is(arrivals.length, REQUESTS);
        // 50 requests at 5/s for all take 9.8 s from first to last, whatever the machine's load;
        // a budget per worker would let 3 workers do it in about a third of that.
        const span = (Math.max(...arrivals) - Math.min(...arrivals)) / 1000;
        const slack = 2;
        assert.ok(
          span >= (REQUESTS - 1) / RATE - slack,
          `${REQUESTS} requests in ${span.toFixed(1)} s: more than ${RATE} per second`,
        );
      });
    } finally {
      await emulator.close();
      await cleanup();
    }
  });
}

test.run();
