import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChildProcess } from 'node:child_process';
import { EMULATOR_DEFAULTS, startEmulator } from '../../src/emulator/server.js';
import { createRandom } from '../../src/emulator/random.js';
import { collect, makeWorkspace, runCli, startCli, type CliResult } from '../helpers/cli.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';
import { postgresBackends, withState } from '../helpers/state-backends.js';
import { waitUntil } from '../helpers/wait-output.js';

const MESSAGES = 10_000;
const BATCH = 20;
const WORKERS = 3;
const CONCURRENCY = 2;
const KILLS = 20;

function actionsOf(plan: CliResult): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of (JSON.parse(plan.stdout) as { entries: Array<{ action: string }> }).entries)
    counts.set(e.action, (counts.get(e.action) ?? 0) + 1);
  return counts;
}

for (const backend of await postgresBackends()) {
  test(`[postgres] ${MESSAGES} messages, ${WORKERS} workers, ${KILLS} SIGKILLs of workers, failing and resetting API: no duplicates, nothing lost`, async () => {
    const { dir, cleanup } = await makeWorkspace(
      textSpec('crash', swissNumbers(MESSAGES), 'Our store opens at 9.', BATCH),
    );
    const emulator = await startEmulator({
      latencyMs: 60,
      failRate: 0.1,
      resetRate: 0.02,
      seed: 11,
    });
    const random = createRandom(2027);
    try {
      await withState(backend, async (state) => {
        const env = {
          ...state.env,
          WASPEC_BASE_URL: emulator.url,
          WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
          WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
        };
        const live = new Set<ChildProcess>();
        const finished: Array<Promise<CliResult>> = [];
        const startWorker = () => {
          // Each as if on its own machine: the same command, joining the apply by its inputs.
          const child = startCli(
            [
              'apply',
              '--yes',
              '--ignore-breaker',
              '--workers',
              '1',
              '--concurrency',
              String(CONCURRENCY),
            ],
            { cwd: dir, env },
          );
          live.add(child);
          finished.push(collect(child).finally(() => live.delete(child)));
        };
        startWorker();
        await waitUntil(() => emulator.stats().requests > 0, 'the first worker sends', 60_000);
        while (live.size < WORKERS) startWorker();

        let kills = 0;
        while (kills < KILLS && live.size > 0) {
          await new Promise((r) => setTimeout(r, 100 + Math.floor(random() * 400)));
          const victims = [...live];
          const victim = victims[Math.floor(random() * victims.length)];
          if (victim?.kill('SIGKILL')) {
            kills++;
            live.delete(victim);
            startWorker();
          }
        }
        const results = await Promise.all(finished);
        assert.is(kills, KILLS, 'the apply lasted for every kill');
        for (const r of results)
          assert.ok(
            r.signal === 'SIGKILL' || [0, 3].includes(r.code ?? -1),
            `a worker failed: ${String(r.code)} ${r.stderr}`,
          );
        const sentByWorkers = emulator.stats().requests;

        // Failed requests (500s, retries exhausted) are retried by later applies; in doubt ones never.
        let rounds = 0;
        for (
          let actions = actionsOf(await runCli(['plan', '--format', 'json'], { cwd: dir, env }));
          (actions.get('send') ?? 0) + (actions.get('retry') ?? 0) > 0;
          rounds++
        ) {
          assert.ok(
            rounds < 6,
            `still to send after ${rounds} applies: ${JSON.stringify([...actions])}`,
          );
          const again = await runCli(['apply', '--yes', '--ignore-breaker', '--workers', '2'], {
            cwd: dir,
            env,
          });
          assert.ok([0, 3].includes(again.code ?? -1), again.stderr);
          actions = actionsOf(await runCli(['plan', '--format', 'json'], { cwd: dir, env }));
        }

        const stats = emulator.stats();
        assert.is(stats.duplicates, 0, 'no messageId reached the API twice');
        const plan = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
        const entries = (
          JSON.parse(plan.stdout) as { entries: Array<{ action: string; messageId: string }> }
        ).entries;
        const actions = actionsOf(plan);
        const unchanged = actions.get('unchanged') ?? 0;
        const inDoubt = actions.get('in-doubt') ?? 0;
        assert.is(entries.length, MESSAGES);
        assert.is(
          unchanged + inDoubt,
          MESSAGES,
          `every message accepted or in doubt: ${JSON.stringify([...actions])}`,
        );
        const received = new Set(
          (
            (await (await fetch(`${emulator.url}/_emulator/messages`)).json()) as Array<{
              messageId: string;
            }>
          ).map((m) => m.messageId),
        );
        assert.is(
          entries.filter((e) => e.action === 'unchanged' && !received.has(e.messageId)).length,
          0,
          'recorded accepted but never received',
        );
        console.log(
          `  workers crash test: ${kills} kills, ${results.length} worker processes, ${sentByWorkers} requests by them, ${rounds} more applies, ${unchanged} accepted, ${inDoubt} in doubt, 0 duplicates`,
        );
      });
    } finally {
      await emulator.close();
      await cleanup();
    }
  });
}

test.run();
