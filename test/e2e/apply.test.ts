import { test } from 'uvu';
import { maskPhone } from '../../src/diagnostics/mask-phone.js';
import * as assert from 'uvu/assert';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  EMULATOR_DEFAULTS,
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from '../../src/emulator/server.js';
import { assertNoStackTrace, collect, makeWorkspace, runCli, startCli } from '../helpers/cli.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';
import { waitUntil } from '../helpers/wait-output.js';
import { stateBackends, testEachBackend, type Backend } from '../helpers/state-backends.js';

interface Ctx {
  dir: string;
  emulator: RunningEmulator;
  env: NodeJS.ProcessEnv;
  done: () => Promise<void>;
}

/** The part of `apply --format json` these tests read. */
interface Summary {
  messages: { accepted: number; inDoubt: number };
}

const each = testEachBackend(test, await stateBackends());

/** A workspace with `files`, an emulator, and a fresh state of the backend the CLI is pointed at. */
async function setup(
  backend: Backend,
  files: Record<string, string>,
  options: EmulatorOptions = {},
): Promise<Ctx> {
  const { dir, cleanup } = await makeWorkspace(files);
  const state = await backend.fresh(dir);
  const emulator = await startEmulator(options);
  const env = {
    ...state.env,
    WASPEC_BASE_URL: emulator.url,
    WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
    WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
  };
  return {
    dir,
    emulator,
    env,
    done: async () => (await emulator.close(), await state.cleanup(), await cleanup()),
  };
}

async function planActions(ctx: Ctx): Promise<Map<string, number>> {
  const plan = await runCli(['plan', '--format', 'json'], { cwd: ctx.dir, env: ctx.env });
  const counts = new Map<string, number>();
  for (const e of (JSON.parse(plan.stdout) as { entries: Array<{ action: string }> }).entries)
    counts.set(e.action, (counts.get(e.action) ?? 0) + 1);
  return counts;
}

const plainText = (name: string, n: number, batchSize = 50) =>
  textSpec(name, swissNumbers(n), 'Our store opens at 9.', batchSize);

each(
  'happy path: everything accepted, exit 0; a re-run sends nothing',
  async (backend: Backend) => {
    const ctx = await setup(backend, plainText('hello', 120));
    try {
      const first = await runCli(['apply', '--yes'], { cwd: ctx.dir, env: ctx.env });
      assert.is(first.code, 0, first.stderr);
      assert.match(
        first.stdout,
        /Apply complete: 120 accepted, 0 rejected, 0 failed, 0 in doubt \(3 requests\)/,
      );
      assert.equal(ctx.emulator.stats().uniqueMessageIds, 120);
      assert.is(ctx.emulator.stats().requests, 3);
      const again = await runCli(['apply', '--yes', '--format', 'json'], {
        cwd: ctx.dir,
        env: ctx.env,
      });
      assert.is(again.code, 0, again.stderr);
      assert.match(again.stderr, /Nothing to send/);
      assert.equal(
        (JSON.parse(again.stdout) as Summary).messages,
        { total: 0, accepted: 0, rejected: 0, failed: 0, inDoubt: 0, notSent: 0 },
        'stdout is the JSON summary alone',
      );
      assert.is(ctx.emulator.stats().requests, 3);
      assert.is(ctx.emulator.stats().duplicates, 0);
    } finally {
      await ctx.done();
    }
  },
);

each('a REJECTED number: exit 3, and the next plan shows it rejected', async (backend: Backend) => {
  const phones = swissNumbers(3);
  const ctx = await setup(backend, textSpec('promo', phones, 'Hi'), {
    rejectNumbers: [phones[1] ?? ''],
  });
  try {
    const result = await runCli(['apply', '--yes'], { cwd: ctx.dir, env: ctx.env });
    assert.is(result.code, 3, result.stderr);
    assert.match(result.stdout, /2 accepted, 1 rejected/);
    assert.match(result.stdout, /5 REJECTED ×1/);
    // Named by masked number and spec, never in full.
    assert.match(
      result.stdout,
      new RegExp(
        `Rejected, failed or in doubt:\n  ✗ ${maskPhone(phones[1] ?? '').replace(/\*/g, '\\*')} \\(promo\\): rejected: `,
      ),
    );
    assert.not.ok(result.stdout.includes(phones[1] ?? '-'), result.stdout);
    const plan = await runCli(['plan', '--format', 'json'], { cwd: ctx.dir, env: ctx.env });
    const entries = (
      JSON.parse(plan.stdout) as { entries: Array<{ action: string; phoneNumber: string }> }
    ).entries;
    assert.equal(
      entries.filter((e) => e.action === 'rejected').map((e) => e.phoneNumber),
      [phones[1]],
    );
  } finally {
    await ctx.done();
  }
});

each(
  '429 storms and 5xx bursts: retried to completion (a 500 fails until the next run), no duplicates',
  async (backend: Backend) => {
    const ctx = await setup(backend, textSpec('storm', swissNumbers(40), 'Hi {{name}}'), {
      throttleRps: 5,
      failRate: 0.3,
      seed: 7,
    });
    try {
      const first = await runCli(['apply', '--yes', '--concurrency', '4'], {
        cwd: ctx.dir,
        env: ctx.env,
      });
      assert.ok(first.code === 0 || first.code === 3, first.stderr);
      assert.ok((ctx.emulator.stats().byStatus['429'] ?? 0) > 0, 'throttled at least once');
      assert.ok(
        (ctx.emulator.stats().byStatus['502'] ?? 0) + (ctx.emulator.stats().byStatus['503'] ?? 0) >
          0,
        'some 502/503',
      );
      let last = first;
      for (let run = 0; run < 5 && last.code !== 0; run++) {
        last = await runCli(['apply', '--yes'], { cwd: ctx.dir, env: ctx.env });
      }
      assert.is(last.code, 0, last.stdout);
      const stats = ctx.emulator.stats();
      assert.is(stats.uniqueMessageIds, 40);
      assert.is(stats.duplicates, 0);
    } finally {
      await ctx.done();
    }
  },
);

each(
  'connection reset after the body was sent: in doubt, shown by the next plan, never re-sent on its own',
  async (backend: Backend) => {
    const ctx = await setup(backend, plainText('reset', 40, 5), { resetRate: 0.4, seed: 3 });
    try {
      const first = await runCli(['apply', '--yes', '--concurrency', '1', '--format', 'json'], {
        cwd: ctx.dir,
        env: ctx.env,
      });
      assert.is(first.code, 3, first.stderr);
      const result = JSON.parse(first.stdout) as Summary;
      assert.ok(result.messages.inDoubt > 0, 'some request was reset');
      assert.is(result.messages.accepted + result.messages.inDoubt, 40);
      const actions = await planActions(ctx);
      assert.is(actions.get('in-doubt'), result.messages.inDoubt);
      assert.is(actions.get('unchanged'), result.messages.accepted);
      const requests = ctx.emulator.stats().requests;
      const again = await runCli(['apply', '--yes'], { cwd: ctx.dir, env: ctx.env });
      assert.is(again.code, 0, again.stderr);
      assert.match(again.stdout, /Nothing to send/);
      assert.is(ctx.emulator.stats().requests, requests, 'in doubt messages were not sent again');
      assert.is(ctx.emulator.stats().duplicates, 0);
    } finally {
      await ctx.done();
    }
  },
);

each(
  '401 after the token was revoked: refreshed once, then everything goes through',
  async (backend: Backend) => {
    const ctx = await setup(backend, plainText('refresh', 24, 1), { latencyMs: 150 });
    try {
      // 4 in flight: several requests meet the revoked token at once, and one refresh serves them all.
      const child = startCli(['apply', '--yes', '--concurrency', '4'], {
        cwd: ctx.dir,
        env: ctx.env,
      });
      const running = collect(child);
      await waitUntil(
        () => ctx.emulator.stats().uniqueMessageIds >= 6,
        'the emulator has accepted 6 messages',
      );
      await fetch(`${ctx.emulator.url}/_emulator/expire-tokens`, { method: 'POST' });
      const result = await running;
      assert.is(result.code, 0, result.stdout + result.stderr);
      const stats = ctx.emulator.stats();
      assert.is(stats.uniqueMessageIds, 24);
      assert.is(stats.duplicates, 0);
      assert.is(stats.tokensIssued, 2);
      const refused = stats.byStatus['401'] ?? 0;
      assert.ok(refused >= 1 && refused <= 4, `401s: ${refused}`);
    } finally {
      await ctx.done();
    }
  },
);

each(
  'a wrong app secret stops apply with a clear message; nothing is sent',
  async (backend: Backend) => {
    const ctx = await setup(backend, plainText('secret', 5));
    try {
      const result = await runCli(['apply', '--yes'], {
        cwd: ctx.dir,
        env: { ...ctx.env, WASPEC_APP_SECRET: 'not-the-secret' },
      });
      assert.is(result.code, 1);
      assert.match(result.stderr, /refused the app key\/secret \(HTTP 401\)/);
      assert.match(result.stderr, /WASPEC_APP_SECRET/, 'the hint names what to check');
      assertNoStackTrace(result);
      assert.is(ctx.emulator.stats().requests, 0);
      const plan = await runCli(['plan', '--format', 'json'], { cwd: ctx.dir, env: ctx.env });
      assert.is(
        (JSON.parse(plan.stdout) as { summary: { send: number } }).summary.send,
        5,
        'nothing was journalled: all 5 still to send',
      );
    } finally {
      await ctx.done();
    }
  },
);

each('a stale saved plan is refused, saying what changed', async (backend: Backend) => {
  const ctx = await setup(backend, plainText('stale', 3));
  try {
    const plan = await runCli(['plan', '--out', 'plan.json'], { cwd: ctx.dir, env: ctx.env });
    assert.is(plan.code, 0, plan.stderr);
    const spec = join(ctx.dir, 'specs/stale.yaml');
    await writeFile(spec, (await readFile(spec, 'utf8')).replace('opens at 9', 'opens at 10'));
    const result = await runCli(['apply', 'plan.json'], { cwd: ctx.dir, env: ctx.env });
    assert.is(result.code, 1);
    assert.match(result.stderr, /stale/);
    assert.match(result.stderr, /specs\/stale\.yaml/);
    assert.is(ctx.emulator.stats().requests, 0);
    const fresh = await runCli(['plan', '--out', 'plan.json'], { cwd: ctx.dir, env: ctx.env });
    assert.is(fresh.code, 0);
    const retarget = await runCli(['apply', 'plan.json', '--target', 'other'], {
      cwd: ctx.dir,
      env: ctx.env,
    });
    assert.is(retarget.code, 1);
    assert.match(retarget.stderr, /--target cannot change a saved plan/);
    const applied = await runCli(['apply', 'plan.json'], { cwd: ctx.dir, env: ctx.env });
    assert.is(applied.code, 0, applied.stderr);
    assert.is(ctx.emulator.stats().uniqueMessageIds, 3);
    const twice = await runCli(['apply', 'plan.json'], { cwd: ctx.dir, env: ctx.env });
    assert.is(twice.code, 1);
    assert.match(
      twice.stderr,
      /plan\.json: This plan was already applied \(3 messages recorded since it was made\); nothing to send\./,
    );
    assert.not.match(twice.stderr, /new records/);
    assert.is(ctx.emulator.stats().requests, 1, 'nothing sent again');
  } finally {
    await ctx.done();
  }
});

each(
  'two applies on one state: the second refuses, naming the holder',
  async (backend: Backend) => {
    const ctx = await setup(backend, plainText('lock', 20, 1), { latencyMs: 400 });
    try {
      const first = startCli(['apply', '--yes', '--concurrency', '1'], {
        cwd: ctx.dir,
        env: ctx.env,
      });
      const firstResult = collect(first);
      // The first is sending (so it holds the lock and Ctrl-C below stops a send, not the planning).
      await waitUntil(
        () => ctx.emulator.stats().requests >= 1,
        'the first apply has sent a request',
        30_000,
      );
      const second = await runCli(['apply', '--yes'], { cwd: ctx.dir, env: ctx.env });
      assert.is(second.code, 1);
      assert.match(second.stderr, new RegExp(`pid ${String(first.pid)}`));
      assertNoStackTrace(second);
      first.kill('SIGINT');
      const r = await firstResult;
      assert.is(r.code, 130, r.stderr);
      assert.match(r.stdout, /Apply interrupted: \d+ accepted/);
      // The request in flight at Ctrl-C finished and was recorded: nothing in doubt, the lock is free.
      const actions = await planActions(ctx);
      assert.is(actions.get('in-doubt'), undefined, JSON.stringify([...actions]));
      assert.is((actions.get('unchanged') ?? 0) + (actions.get('send') ?? 0), 20);
      assert.is(actions.get('unchanged'), ctx.emulator.stats().uniqueMessageIds);
      const rest = await runCli(['apply', '--yes', '--format', 'json', '--concurrency', '4'], {
        cwd: ctx.dir,
        env: ctx.env,
      });
      assert.is(rest.code, 0, rest.stderr);
      assert.is((JSON.parse(rest.stdout) as Summary).messages.accepted, actions.get('send'));
      assert.is(ctx.emulator.stats().uniqueMessageIds, 20);
      assert.is(ctx.emulator.stats().duplicates, 0);
    } finally {
      await ctx.done();
    }
  },
);

each(
  'a second Ctrl-C quits at once: the lock is released, what was in flight is in doubt and never re-sent',
  async (backend: Backend) => {
    // A latency well above the time two Ctrl-Cs take on a loaded machine: both requests are still out.
    const ctx = await setup(backend, plainText('quit', 6, 1), { latencyMs: 2000 });
    try {
      const child = startCli(['apply', '--yes', '--concurrency', '2'], {
        cwd: ctx.dir,
        env: ctx.env,
      });
      const running = collect(child);
      await waitUntil(() => ctx.emulator.stats().requests >= 2, 'the emulator has 2 requests');
      child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGINT');
      const result = await running;
      assert.is(result.code, 130, result.stderr);
      assert.match(result.stderr, /Quitting now/);
      const actions = await planActions(ctx);
      assert.is(actions.get('in-doubt'), 2, JSON.stringify([...actions]));
      const rest = await runCli(['apply', '--yes'], { cwd: ctx.dir, env: ctx.env }); // no --force-unlock needed
      assert.is(rest.code, 0, rest.stderr);
      assert.is(ctx.emulator.stats().duplicates, 0, 'in doubt messages were not sent again');
      assert.is((await planActions(ctx)).get('in-doubt'), 2);
    } finally {
      await ctx.done();
    }
  },
);

each(
  '--target sends one spec only; --batch-size sizes requests of specs without batchSize',
  async (backend: Backend) => {
    const a = textSpec('a', swissNumbers(12), 'Hi');
    a['specs/a.yaml'] = (a['specs/a.yaml'] ?? '').replace(/^batchSize: .*\n/m, '');
    const ctx = await setup(backend, { ...a, ...textSpec('b', swissNumbers(5, 2000000), 'Hi') });
    try {
      const result = await runCli(['apply', '--yes', '--target', 'a', '--batch-size', '5'], {
        cwd: ctx.dir,
        env: ctx.env,
      });
      assert.is(result.code, 0, result.stderr);
      assert.is(ctx.emulator.stats().requests, 3, '12 destinations in requests of 5');
      assert.is(ctx.emulator.stats().uniqueMessageIds, 12);
      const actions = await planActions(ctx);
      assert.is(actions.get('send'), 5, "b's messages wait for the next apply");
    } finally {
      await ctx.done();
    }
  },
);

each(
  'a spec with errors: the diagnostics are printed, exit 1, nothing is sent (not even the valid specs)',
  async (backend: Backend) => {
    const ctx = await setup(backend, {
      ...plainText('fine', 3),
      'specs/broken.yaml': 'name: broken\nrevision: 1\nwhatsApp: {}\nrecipients: []\n',
    });
    try {
      const result = await runCli(['apply', '--yes'], { cwd: ctx.dir, env: ctx.env });
      assert.is(result.code, 1);
      assert.match(result.stderr, /specs\/broken\.yaml:\d+:\d+/);
      assert.match(result.stderr, /\[content-missing\]/);
      assertNoStackTrace(result);
      assert.is(ctx.emulator.stats().requests, 0);
    } finally {
      await ctx.done();
    }
  },
);

each('without a terminal, apply needs --yes or a saved plan', async (backend: Backend) => {
  const ctx = await setup(backend, plainText('tty', 2));
  try {
    const result = await runCli(['apply'], { cwd: ctx.dir, env: ctx.env });
    assert.is(result.code, 1);
    assert.match(result.stderr, /--yes/);
    assert.is(ctx.emulator.stats().requests, 0);
  } finally {
    await ctx.done();
  }
});

each('missing configuration is named, not a crash', async (backend: Backend) => {
  const ctx = await setup(backend, plainText('config', 2));
  try {
    const result = await runCli(['apply', '--yes'], {
      cwd: ctx.dir,
      env: { WASPEC_BASE_URL: '', WASPEC_APP_KEY: '', WASPEC_APP_SECRET: '', WASPEC_TOKEN: '' },
    });
    assert.is(result.code, 1);
    assert.match(result.stderr, /WASPEC_BASE_URL/);
    assertNoStackTrace(result);
  } finally {
    await ctx.done();
  }
});

test.run();
