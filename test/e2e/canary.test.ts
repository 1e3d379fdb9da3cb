import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
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

interface PlanJson {
  entries: Array<{ action: string; messageId: string; stage?: string }>;
  stages?: { seed: number; canary: number; rest: number; pause?: true };
  specs: Array<{ rollout?: { canary: string; pause: boolean; sent?: { messages: number } } }>;
}

/** A spec of `n` recipients with a rollout (YAML of `rollout:`'s value). */
function rolloutSpec(name: string, n: number, rollout: string): Record<string, string> {
  const files = textSpec(name, swissNumbers(n), 'Hi', 10);
  const key = `specs/${name}.yaml`;
  return { ...files, [key]: `${files[key] ?? ''}rollout: ${rollout}\n` };
}

const canaryIds = (plan: PlanJson) =>
  plan.entries
    .filter((e) => e.stage === 'canary')
    .map((e) => e.messageId)
    .sort();

/** The messageIds the emulator was sent, request by request in the order they came. */
const requested = (emulator: RunningEmulator) => emulator.requestLog().map((e) => e.messageIds);

/** Every request of canary messages came before every request of the others. */
function assertCanaryFirst(emulator: RunningEmulator, canary: ReadonlySet<string>): void {
  const kinds = requested(emulator).map((ids) => {
    const inCanary = ids.filter((id) => canary.has(id)).length;
    assert.ok(inCanary === 0 || inCanary === ids.length, 'a request holds one stage');
    return inCanary > 0 ? 'canary' : 'rest';
  });
  const firstRest = kinds.indexOf('rest');
  const lastCanary = kinds.lastIndexOf('canary');
  assert.ok(
    firstRest === -1 || lastCanary < firstRest,
    `canary requests first: ${kinds.join(' ')}`,
  );
}

each(
  'a canary: the same recipients on every plan; pause stops after it (exit 6) and the next apply sends the rest',
  async (backend) => {
    const { dir, cleanup } = await makeWorkspace(
      rolloutSpec('promo', 200, '{ canary: "10%", pause: true }'),
    );
    const emulator = await startEmulator();
    try {
      await withState(
        backend,
        async (state) => {
          const env = { ...state.env, ...emulatorEnv(emulator.url) };
          const plan = async () =>
            JSON.parse(
              (await runCli(['plan', '--format', 'json'], { cwd: dir, env })).stdout,
            ) as PlanJson;
          const first = await plan();
          assert.equal(first.stages, { seed: 0, canary: 20, rest: 180, pause: true });
          const canary = canaryIds(first);
          assert.is(canary.length, 20);
          assert.equal(canaryIds(await plan()), canary, 'a re-plan picks the same recipients');
          const pretty = await runCli(['plan'], { cwd: dir, env });
          assert.match(
            pretty.stdout,
            /Stages: seed 0 → canary 20 → rest 180; apply pauses after the canary/,
          );
          const markdown = await runCli(['plan', '--format', 'markdown'], { cwd: dir, env });
          assert.match(markdown.stdout, /\*\*Stages: seed 0 → canary 20 → rest 180/);

          const paused = await runCli(['apply', '--yes'], { cwd: dir, env });
          assert.is(paused.code, 6, paused.stdout + paused.stderr);
          assertNoStackTrace(paused);
          assert.match(paused.stdout, /Apply paused: 20 accepted/);
          assert.match(paused.stdout, /Canary: 20 messages sent, healthy/);
          assert.match(
            paused.stdout,
            /Paused after the canary \(rollout.pause\): the 180 other messages wait/,
          );
          assert.equal(requested(emulator).flat().sort(), canary, 'only the canary was sent');

          const after = await plan();
          assert.equal(after.stages, { seed: 0, canary: 0, rest: 180 });
          assert.is(
            after.specs[0]?.rollout?.sent?.messages,
            20,
            'the plan says the canary is done',
          );
          assert.is(after.entries.filter((e) => e.action === 'unchanged').length, 20);
          const done = await runCli(['plan'], { cwd: dir, env });
          assert.match(done.stdout, /Canary of promo done: 20 sent and healthy at /);

          const rest = await runCli(['apply', '--yes'], { cwd: dir, env });
          assert.is(rest.code, 0, rest.stdout + rest.stderr);
          assertCanaryFirst(emulator, new Set(canary));
          const stats = emulator.stats();
          assert.is(stats.accepted, 200);
          assert.is(stats.duplicates, 0);
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
  'an unhealthy canary stops apply before the rest: exit 5, only canary messages sent, none in doubt',
  async (backend) => {
    // 10 canary messages: fewer than the breaker's minAnswers, so the verdict after all answers stops it.
    const { dir, cleanup } = await makeWorkspace(rolloutSpec('risky', 200, '{ canary: 10 }'));
    const emulator = await startEmulator({ rejectRate: 0.6 });
    try {
      await withState(
        backend,
        async (state) => {
          const env = { ...state.env, ...emulatorEnv(emulator.url) };
          const planned = JSON.parse(
            (await runCli(['plan', '--format', 'json'], { cwd: dir, env })).stdout,
          ) as PlanJson;
          const canary = canaryIds(planned);
          const result = await runCli(['apply', '--yes'], { cwd: dir, env });
          assert.is(result.code, 5, result.stdout + result.stderr);
          assertNoStackTrace(result);
          assert.match(
            result.stdout,
            /Canary: 10 messages sent, not healthy: the rest was not sent/,
          );
          assert.match(result.stdout, /Circuit breaker tripped: .* rejected/);
          assert.equal(requested(emulator).flat().sort(), canary, 'only the canary was sent');
          const after = JSON.parse(
            (await runCli(['plan', '--format', 'json'], { cwd: dir, env })).stdout,
          ) as PlanJson;
          assert.is(after.entries.filter((e) => e.action === 'in-doubt').length, 0);
          assert.is(after.entries.filter((e) => e.action === 'send').length, 190);
          assert.is(after.specs[0]?.rollout?.sent, undefined, 'no canary recorded as sent');
        },
        dir,
      );
    } finally {
      await emulator.close();
      await cleanup();
    }
  },
);

for (const backend of await postgresBackends()) {
  test('[postgres] apply --workers 2: every canary request before any other across workers; pause and the rest', async () => {
    const { dir, cleanup } = await makeWorkspace(
      rolloutSpec('wide', 300, '{ canary: "10%", pause: true }'),
    );
    const emulator = await startEmulator({ latencyMs: 5 });
    try {
      await withState(
        backend,
        async (state) => {
          const env = { ...state.env, ...emulatorEnv(emulator.url) };
          const planned = JSON.parse(
            (await runCli(['plan', '--format', 'json'], { cwd: dir, env })).stdout,
          ) as PlanJson;
          const canary = canaryIds(planned);
          assert.is(canary.length, 30);
          const apply = ['apply', '--yes', '--workers', '2', '--concurrency', '3'];
          const paused = await runCli(apply, { cwd: dir, env });
          assert.is(paused.code, 6, paused.stdout + paused.stderr);
          assertNoStackTrace(paused);
          assert.match(paused.stdout, /Paused after the canary/);
          assert.equal(requested(emulator).flat().sort(), canary, 'only the canary was sent');
          const run = await adminQuery<{ ended: string; gate: string }>(
            `SELECT ended, gate FROM "${schemaOf(state)}".apply_run`,
          );
          assert.equal(run.rows, [{ ended: 'paused', gate: 'paused' }]);

          const rest = await runCli(apply, { cwd: dir, env });
          assert.is(rest.code, 0, rest.stdout + rest.stderr);
          assert.is(emulator.stats().accepted, 300);
          assert.is(emulator.stats().duplicates, 0);
          const records = await adminQuery<{ n: number }>(
            `SELECT count(*)::int AS n FROM "${schemaOf(state)}".journal WHERE type = 'canary'`,
          );
          assert.is(records.rows[0]?.n, 1, 'the canary journalled once');
        },
        dir,
      );
    } finally {
      await emulator.close();
      await cleanup();
    }
  });

  test('[postgres] apply --workers 2 without a pause: the canary is judged once for the run, then the rest', async () => {
    const { dir, cleanup } = await makeWorkspace(rolloutSpec('flow', 300, '{ canary: 30 }'));
    const emulator = await startEmulator({ latencyMs: 5 });
    try {
      await withState(
        backend,
        async (state) => {
          const env = { ...state.env, ...emulatorEnv(emulator.url) };
          const planned = JSON.parse(
            (await runCli(['plan', '--format', 'json'], { cwd: dir, env })).stdout,
          ) as PlanJson;
          const canary = new Set(canaryIds(planned));
          const result = await runCli(['apply', '--yes', '--workers', '2', '--concurrency', '3'], {
            cwd: dir,
            env,
          });
          assert.is(result.code, 0, result.stdout + result.stderr);
          assert.match(result.stdout, /Canary: 30 messages sent, healthy/);
          assertCanaryFirst(emulator, canary);
          // Every canary answer came before the first other request arrived.
          const log = emulator.requestLog();
          const lastCanaryAnswer = Math.max(
            ...log
              .filter((e) => e.messageIds.some((id) => canary.has(id)))
              .map((e) => e.answeredAt ?? Infinity),
          );
          const firstRest = Math.min(
            ...log
              .filter((e) => !e.messageIds.some((id) => canary.has(id)))
              .map((e) => e.receivedAt),
          );
          assert.ok(lastCanaryAnswer <= firstRest, 'the rest waited for every canary answer');
          assert.is(emulator.stats().accepted, 300);
          const run = await adminQuery<{ ended: string; gate: string }>(
            `SELECT ended, gate FROM "${schemaOf(state)}".apply_run`,
          );
          assert.equal(run.rows, [{ ended: 'finished', gate: 'passed' }]);
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
