// A saved plan is an artifact that travels between jobs: apply trusts the state and the plan's own
// hash-checked inputs, never what the file says it does. Each tampering is refused, nothing sent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { messageIdFor } from '../../src/api/identity.js';
import {
  EMULATOR_DEFAULTS,
  startEmulator,
  type RunningEmulator,
} from '../../src/emulator/server.js';
import { inFlight, outcome } from '../state/records.js';
import { assertNoStackTrace, makeWorkspace, runCli, type CliResult } from '../helpers/cli.js';
import {
  stateBackends,
  testEachBackend,
  type Backend,
  type FreshState,
} from '../helpers/state-backends.js';

const each = testEachBackend(test, await stateBackends());

const [A, B] = ['41793026727', '41780000001'];

interface SavedPlan {
  specs: Array<{ name: string; file: string; revision: number; batchSize: number }>;
  entries: Array<Record<string, unknown> & { action: string; messageId: string; spec: string }>;
  summary: Record<string, number>;
  inputs: { files: Array<{ path: string; kind: string; sha256: string }> };
  options: { paths?: string[]; resendInDoubt: boolean; retryRejected: boolean };
}

interface Ctx {
  dir: string;
  state: FreshState;
  emulator: RunningEmulator;
  run: (args: string[]) => Promise<CliResult>;
  edit: (fn: (plan: SavedPlan) => void, file?: string) => Promise<void>;
  done: () => Promise<void>;
}

const spec = (name: string, phones: readonly string[]) =>
  `name: ${name}\nrevision: 1\nwhatsApp:\n  text: "Our store opens at 9."\nrecipients:\n${phones.map((p) => `  - { phoneNumber: "${p}" }`).join('\n')}\n`;

async function setup(backend: Backend, files: Record<string, string> = {}): Promise<Ctx> {
  const { dir, cleanup } = await makeWorkspace({
    'specs/hello.yaml': spec('hello', [A, B]),
    ...files,
  });
  const state = await backend.fresh(dir);
  const emulator = await startEmulator();
  const env = {
    ...state.env,
    WASPEC_BASE_URL: emulator.url,
    WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
    WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
  };
  const run = (args: string[]) => runCli(args, { cwd: dir, env });
  const edit = async (fn: (plan: SavedPlan) => void, file = 'p.json') => {
    const plan = JSON.parse(await readFile(join(dir, file), 'utf8')) as SavedPlan;
    fn(plan);
    await writeFile(join(dir, file), JSON.stringify(plan, null, 2));
  };
  return {
    dir,
    state,
    emulator,
    run,
    edit,
    done: async () => (await emulator.close(), await state.cleanup(), await cleanup()),
  };
}

/** The summary a reviewer would have seen for these entries (a careful forger keeps it consistent). */
function recount(plan: SavedPlan): void {
  for (const key of Object.keys(plan.summary)) plan.summary[key] = 0;
  for (const e of plan.entries) plan.summary[e.action] = (plan.summary[e.action] ?? 0) + 1;
}

async function savePlan(ctx: Ctx, extra: string[] = []): Promise<void> {
  const saved = await ctx.run(['plan', ...extra, '--out', 'p.json']);
  assert.is(saved.code, 0, saved.stderr);
}

function assertRefused(result: CliResult, expected: RegExp): void {
  assert.is(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stderr, expected);
  assert.match(result.stderr, /nothing was sent/);
  assertNoStackTrace(result);
}

each(
  'a plan whose unchanged entries were edited to send or retry is refused: nothing sent twice',
  async (backend) => {
    const ctx = await setup(backend);
    try {
      const first = await ctx.run(['apply', '--yes']);
      assert.is(first.code, 0, first.stderr);
      assert.is(ctx.emulator.stats().requests, 1);
      await savePlan(ctx);
      const plan = await readFile(join(ctx.dir, 'p.json'), 'utf8');
      assert.match(plan, /"unchanged": 2/);
      for (const action of ['send', 'retry']) {
        await writeFile(join(ctx.dir, 'p.json'), plan);
        await ctx.edit((p) => {
          for (const e of p.entries) e.action = action;
          recount(p);
        });
        const tampered = await ctx.run(['apply', 'p.json', '--yes']);
        assertRefused(
          tampered,
          new RegExp(
            `The saved plan p\\.json cannot be applied: message \\S+ says ${action}, but the state records it accepted: a plan of its inputs says unchanged`,
          ),
        );
        assert.is(ctx.emulator.stats().requests, 1, `${action}: no new request`);
      }
      assert.is(ctx.emulator.stats().duplicates, 0);
    } finally {
      await ctx.done();
    }
  },
);

each('a plan listing a message twice is refused; the plan as saved is applied', async (backend) => {
  const ctx = await setup(backend);
  try {
    await savePlan(ctx);
    const plan = await readFile(join(ctx.dir, 'p.json'), 'utf8');
    await ctx.edit((p) => {
      p.entries.push({ ...(p.entries[0] as SavedPlan['entries'][number]) });
      recount(p);
    });
    const twice = await ctx.run(['apply', 'p.json', '--yes']);
    assertRefused(
      twice,
      /The saved plan p\.json cannot be applied: it lists message \S+ more than once/,
    );
    assert.is(ctx.emulator.stats().requests, 0);
    // The untouched plan applies: the refusal was the tampering's.
    await writeFile(join(ctx.dir, 'p.json'), plan);
    const applied = await ctx.run(['apply', 'p.json', '--yes']);
    assert.is(applied.code, 0, applied.stderr);
    assert.is(ctx.emulator.stats().uniqueMessageIds, 2);
    assert.is(ctx.emulator.stats().duplicates, 0);
  } finally {
    await ctx.done();
  }
});

each(
  'a rejected or in-doubt message edited to send, a summary that does not count the entries: refused',
  async (backend) => {
    const ctx = await setup(backend);
    try {
      const id = (phone: string) => messageIdFor('hello', 1, phone);
      await ctx.state.store.append([
        inFlight('B1', '2026-01-01T00:00:00.000Z', [
          { messageId: id(A), spec: 'hello', phoneNumber: A, contentHash: 'x' },
          { messageId: id(B), spec: 'hello', phoneNumber: B, contentHash: 'x' },
        ]),
        outcome('B1', '2026-01-01T00:00:01.000Z', [
          { messageId: id(A), outcome: 'rejected', statusName: 'REJECTED_DESTINATION' },
        ]),
      ]);
      await savePlan(ctx);
      const plan = await readFile(join(ctx.dir, 'p.json'), 'utf8');
      const cases: Array<[string, (p: SavedPlan) => void, RegExp]> = [
        [
          'rejected → send',
          (p) => {
            for (const e of p.entries) if (e.action === 'rejected') e.action = 'send';
            recount(p);
          },
          /message \S+ says send, but the state records it rejected: a plan of its inputs says rejected/,
        ],
        [
          'in doubt → send',
          (p) => {
            for (const e of p.entries) if (e.action === 'in-doubt') e.action = 'send';
            recount(p);
          },
          /message \S+ says send, but the state records it in doubt: a plan of its inputs says in-doubt/,
        ],
        [
          'in doubt → retry, summary as reviewed',
          (p) => {
            for (const e of p.entries) if (e.action === 'in-doubt') e.action = 'retry';
          },
          /its summary says 0 retry but it lists 1/,
        ],
      ];
      for (const [what, tamper, expected] of cases) {
        await writeFile(join(ctx.dir, 'p.json'), plan);
        await ctx.edit(tamper);
        assertRefused(await ctx.run(['apply', 'p.json', '--yes']), expected);
        assert.is(ctx.emulator.stats().requests, 0, what);
      }
    } finally {
      await ctx.done();
    }
  },
);

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

each(
  "a folder added to the plan's spec paths, with its spec, file hashes and entries: refused",
  async (backend) => {
    const outside = await mkdtemp(join(tmpdir(), 'waspec-outside-'));
    const ctx = await setup(backend, { 'drafts/draft.yaml': spec('draft', ['41780000002']) });
    try {
      await writeFile(join(outside, 'leak.yaml'), spec('leak', ['41780000003']));
      await savePlan(ctx);
      const plan = await readFile(join(ctx.dir, 'p.json'), 'utf8');
      /** The entries a plan of `folder` has, added to the saved plan with its files (all consistent). */
      const addFolder = async (folder: string, file: string, name: string) => {
        const other = await ctx.run(['plan', '--format', 'json', folder]);
        assert.is(other.code, 0, other.stderr);
        const entries = (JSON.parse(other.stdout) as SavedPlan).entries;
        const digest = await sha256(join(ctx.dir, file));
        return (p: SavedPlan) => {
          p.options.paths = [...(p.options.paths ?? []), folder];
          p.inputs.files.push({ path: file, kind: 'spec', sha256: digest });
          p.specs.push({ name, file, revision: 1, batchSize: 100 });
          p.entries.push(...entries);
          recount(p);
        };
      };
      const leak = relative(ctx.dir, join(outside, 'leak.yaml'));
      const cases: Array<[string, (p: SavedPlan) => void, RegExp]> = [
        [
          'outside the workspace',
          await addFolder(outside, leak, 'leak'),
          /cannot be applied: its spec path "[^"]+" is outside the workspace/,
        ],
        [
          'a recipient file outside the workspace',
          (p) => p.inputs.files.push({ path: leak, kind: 'recipients', sha256: '0'.repeat(64) }),
          /cannot be applied: its recipients file "\.\.\/[^"]+" is outside the workspace/,
        ],
        [
          'inside, the summary as reviewed',
          await (async () => {
            const add = await addFolder('drafts', 'drafts/draft.yaml', 'draft');
            return (p: SavedPlan) => {
              const reviewed = { ...p.summary };
              add(p);
              p.summary = reviewed;
            };
          })(),
          /cannot be applied: its summary says 2 send but it lists 3/,
        ],
        [
          'inside, not among the specs reviewed',
          await (async () => {
            const add = await addFolder('drafts', 'drafts/draft.yaml', 'draft');
            return (p: SavedPlan) => {
              add(p);
              p.specs = p.specs.filter((s) => s.name !== 'draft');
            };
          })(),
          /cannot be applied: message \S+ is of spec draft, which its specs do not list/,
        ],
      ];
      for (const [what, tamper, expected] of cases) {
        await writeFile(join(ctx.dir, 'p.json'), plan);
        await ctx.edit(tamper);
        assertRefused(await ctx.run(['apply', 'p.json', '--yes']), expected);
        assert.is(ctx.emulator.stats().requests, 0, what);
      }
      // show reads no file a saved plan names outside the workspace either.
      await writeFile(join(ctx.dir, 'p.json'), plan);
      await ctx.edit(cases[1]?.[1] ?? (() => undefined));
      const shown = await ctx.run(['show', 'p.json']);
      assert.is(shown.code, 0, shown.stderr);
      assert.match(
        shown.stderr,
        /note: a saved plan holds no message texts.*is outside the workspace/,
      );
    } finally {
      await ctx.done();
      await rm(outside, { recursive: true, force: true });
    }
  },
);

each(
  'a saved plan whose stages were edited (another recipient made the canary, or the pause dropped) is refused',
  async (backend) => {
    const ctx = await setup(backend, {
      'specs/hello.yaml': `${spec('hello', [A, B])}rollout: { canary: 1, pause: true }\n`,
    });
    try {
      await savePlan(ctx);
      const plan = await readFile(join(ctx.dir, 'p.json'), 'utf8');
      assert.match(plan, /"stage": "canary"/);
      // The other recipient made the canary: the counts stay as reviewed.
      await ctx.edit((p) => {
        for (const e of p.entries) e.stage = e.stage === 'canary' ? 'rest' : 'canary';
      });
      assertRefused(
        await ctx.run(['apply', 'p.json', '--yes']),
        /message \S+ is in stage rest, but a plan of its inputs sends it in canary/,
      );
      await writeFile(join(ctx.dir, 'p.json'), plan);
      await ctx.edit((p) => {
        delete (p as unknown as { stages: { pause?: true } }).stages.pause;
      });
      assertRefused(
        await ctx.run(['apply', 'p.json', '--yes']),
        /its stages \(seed, canary, rest\) are not those a plan of its inputs gives/,
      );
      assert.is(ctx.emulator.stats().requests, 0, 'nothing sent');
      await writeFile(join(ctx.dir, 'p.json'), plan);
      const applied = await ctx.run(['apply', 'p.json', '--yes']);
      assert.is(applied.code, 6, applied.stdout + applied.stderr);
      assert.is(ctx.emulator.stats().accepted, 1, 'the canary alone');
    } finally {
      await ctx.done();
    }
  },
);

test('a 240 MB plan file is refused before it is read', async () => {
  const { dir, cleanup } = await makeWorkspace({ 'specs/hello.yaml': spec('hello', [A]) });
  try {
    // Sparse: its size is what apply looks at first.
    await writeFile(join(dir, 'p.json'), '');
    await truncate(join(dir, 'p.json'), 240 * 1024 * 1024);
    const result = await runCli(['apply', 'p.json', '--yes'], {
      cwd: dir,
      // Reading it whole would need far more than this.
      env: {
        NODE_OPTIONS: '--max-old-space-size=64',
        WASPEC_STATE_URL: '',
        WASPEC_BASE_URL: 'http://127.0.0.1:9',
        WASPEC_APP_KEY: 'k',
        WASPEC_APP_SECRET: 's',
      },
    });
    assert.is(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /The plan p\.json is 240 MiB, over the 200 MiB a saved plan may have/,
    );
    assertNoStackTrace(result);
  } finally {
    await cleanup();
  }
});

test.run();
