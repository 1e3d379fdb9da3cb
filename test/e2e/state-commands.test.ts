import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  EMULATOR_DEFAULTS,
  startEmulator,
  type EmulatorOptions,
} from '../../src/emulator/server.js';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';
import {
  postgresBackends,
  stateBackends,
  testEachBackend,
  withState,
  type Backend,
} from '../helpers/state-backends.js';
import { inFlight } from '../state/records.js';

const each = testEachBackend(test, await stateBackends());

interface Entry {
  action: string;
  messageId: string;
  phoneNumber: string;
}

async function planEntries(
  dir: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): Promise<Entry[]> {
  const plan = await runCli(['plan', '--format', 'json', ...args], { cwd: dir, env });
  assert.is(plan.code, 0, plan.stderr);
  return (JSON.parse(plan.stdout) as { entries: Entry[] }).entries.map((e) => ({
    action: e.action,
    messageId: e.messageId,
    phoneNumber: e.phoneNumber,
  }));
}

/** A workspace, an emulator and a fresh state; `fn` gets the CLI environment. */
async function scenario(
  backend: Backend,
  phones: string[],
  options: EmulatorOptions,
  fn: (dir: string, env: NodeJS.ProcessEnv) => Promise<void>,
): Promise<void> {
  const { dir, cleanup } = await makeWorkspace(textSpec('promo', phones, 'Hi', 1));
  const emulator = await startEmulator(options);
  try {
    await withState(
      backend,
      (state) =>
        fn(dir, {
          ...state.env,
          WASPEC_BASE_URL: emulator.url,
          WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
          WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
        }),
      dir,
    );
  } finally {
    await emulator.close();
    await cleanup();
  }
}

each(
  'state list and show: outcomes, filters, numbers masked (the state keeps no full number)',
  (backend) => {
    const phones = swissNumbers(3);
    return scenario(backend, phones, { rejectNumbers: [phones[1] ?? ''] }, async (dir, env) => {
      assert.is((await runCli(['apply', '--yes'], { cwd: dir, env })).code, 3);
      const list = await runCli(['state', 'list'], { cwd: dir, env });
      assert.is(list.code, 0, list.stderr);
      assert.match(list.stdout, /3 messages: 2 accepted, 1 rejected/);
      assert.match(list.stdout, /417\*\*\*\*0001 {2}rejected .*5 REJECTED/);
      assert.not.ok(list.stdout.includes(phones[0] ?? ''), 'masked by default');
      const rejected = await runCli(
        ['state', 'list', '--outcome', 'rejected', '--format', 'json', '--no-mask'],
        { cwd: dir, env },
      );
      const rows = JSON.parse(rejected.stdout) as Array<{
        messageId: string;
        maskedPhoneNumber: string;
      }>;
      assert.equal(
        rows.map((r) => r.maskedPhoneNumber),
        ['417****0001'],
      );
      assert.not.ok(rejected.stdout.includes(phones[1] ?? '-'), 'not even with --no-mask');
      assert.match(
        (await runCli(['state', 'list', '--spec', 'other'], { cwd: dir, env })).stdout,
        /^0 messages\n$/,
      );
      const show = await runCli(['state', 'show', rows[0]?.messageId ?? ''], { cwd: dir, env });
      assert.is(show.code, 0, show.stderr);
      assert.match(show.stdout, /phoneNumber +417\*\*\*\*0001/);
      assert.match(show.stdout, /history:\n .* in flight .*\n .* rejected .*REJECTED_DESTINATION/);
      // By phone number: its messages are found by the messageIds it would have.
      const byNumber = await runCli(['state', 'show', phones[1] ?? ''], { cwd: dir, env });
      assert.is(byNumber.code, 0, byNumber.stderr);
      assert.ok(byNumber.stdout.includes(`messageId    ${rows[0]?.messageId ?? '-'}`));
      const missing = await runCli(['state', 'show', 'nope'], { cwd: dir, env });
      assert.is(missing.code, 1);
      assertNoStackTrace(missing);
    });
  },
);

each(
  'state settle: in-doubt messages by messageId, bulkId or spec, journalled with who and why',
  (backend) =>
    scenario(backend, swissNumbers(12), { resetRate: 0.5, seed: 3 }, async (dir, env) => {
      await runCli(['apply', '--yes', '--concurrency', '1'], { cwd: dir, env });
      const before = await planEntries(dir, env);
      const doubt = before.filter((e) => e.action === 'in-doubt');
      assert.ok(doubt.length >= 3, `in doubt: ${doubt.length}`);
      const [first, second] = doubt as [Entry, Entry];
      const accepted = before.find((e) => e.action === 'unchanged');

      const one = await runCli(
        [
          'state',
          'settle',
          '--message',
          first.messageId,
          '--as',
          'accepted',
          '--reason',
          'seen in the AICC console',
          '--by',
          'tester',
        ],
        { cwd: dir, env },
      );
      assert.is(one.code, 0, one.stderr);
      assert.match(one.stdout, /Settled 1 in-doubt message as accepted \(by tester\)/);
      const listed = JSON.parse(
        (
          await runCli(['state', 'list', '--outcome', 'in-doubt', '--format', 'json'], {
            cwd: dir,
            env,
          })
        ).stdout,
      ) as Array<{ messageId: string; bulkId: string }>;
      const bulk = listed.find((m) => m.messageId === second.messageId)?.bulkId ?? '';
      const byBulk = await runCli(
        ['state', 'settle', '--bulk', bulk, '--as', 'not-sent', '--reason', 'not in the console'],
        { cwd: dir, env },
      );
      assert.is(byBulk.code, 0, byBulk.stderr);
      assert.match(byBulk.stdout, /The next apply sends them/);
      if (accepted) {
        const refused = await runCli(
          ['state', 'settle', '--message', accepted.messageId, '--as', 'not-sent', '--reason', 'x'],
          { cwd: dir, env },
        );
        assert.is(refused.code, 1, 'nothing in doubt was selected');
        assert.match(
          refused.stdout,
          /not in doubt \(accepted\): settle never overrides an answer of the API/,
        );
      }
      const rest = await runCli(
        ['state', 'settle', '--spec', 'promo', '--as', 'accepted', '--reason', 'all delivered'],
        { cwd: dir, env },
      );
      assert.is(rest.code, 0, rest.stderr);

      const after = new Map((await planEntries(dir, env)).map((e) => [e.messageId, e.action]));
      assert.is(after.get(first.messageId), 'unchanged');
      assert.is(
        after.get(second.messageId),
        'retry',
        'settled as not sent: sent by the next apply',
      );
      assert.not.ok([...after.values()].includes('in-doubt'));
      const show = await runCli(['state', 'show', first.messageId], { cwd: dir, env });
      assert.match(show.stdout, /settled as accepted by tester: seen in the AICC console/);
      assert.is(
        (await runCli(['state', 'settle', '--as', 'accepted', '--reason', 'x'], { cwd: dir, env }))
          .code,
        1,
        'a selection is required',
      );
    }),
);

each('state unlock', (backend) =>
  withState(backend, async (state) => {
    const { dir, cleanup } = await makeWorkspace({});
    try {
      const env = { ...state.env };
      if (backend.name === 'postgres') {
        const result = await runCli(['state', 'unlock'], { cwd: dir, env });
        assert.is(result.code, 0);
        assert.match(result.stdout, /Nothing to unlock: .* ends with it/);
        return;
      }
      const stateDir = join(dir, '.waspec');
      assert.match(
        (await runCli(['state', 'unlock'], { cwd: dir, env })).stdout,
        /The state was not locked/,
      );
      const gone = Number(
        spawnSync(process.execPath, [
          '-e',
          'process.stdout.write(String(process.pid))',
        ]).stdout.toString(),
      );
      await mkdir(stateDir, { recursive: true });
      await writeFile(
        join(stateDir, 'lock.json'),
        JSON.stringify({ owner: 'ci', host: hostname(), pid: process.pid, since: 'then' }),
      );
      const live = await runCli(['state', 'unlock'], { cwd: dir, env });
      assert.is(live.code, 1);
      assert.match(live.stderr, /still running/);
      await writeFile(
        join(stateDir, 'lock.json'),
        JSON.stringify({ owner: 'ci', host: hostname(), pid: gone, since: 'then\u001b[2J' }),
      );
      const stale = await runCli(['state', 'unlock'], { cwd: dir, env });
      assert.is(stale.code, 0, stale.stderr);
      assert.match(
        stale.stdout,
        new RegExp(`Removed the lock of ci on .* \\(pid ${gone}, gone\\)`),
      );
      assert.not.ok(
        stale.stdout.includes('\u001b'),
        "the lock file's text reaches the terminal escaped",
      );
      assert.is(
        await access(join(stateDir, 'lock.json')).then(
          () => true,
          () => false,
        ),
        false,
      );
    } finally {
      await cleanup();
    }
  }),
);

for (const pg of await postgresBackends()) {
  test('[postgres] state migrate: file → PostgreSQL → file gives the same plan; idempotent; refuses a foreign target; workspaces stay apart', async () => {
    const phones = swissNumbers(6);
    const file = (await stateBackends())[0] as Backend;
    await scenario(
      file,
      phones,
      { rejectNumbers: [phones[2] ?? ''], resetRate: 0.3, seed: 5 },
      async (dir, env) => {
        await runCli(['apply', '--yes', '--concurrency', '1'], { cwd: dir, env });
        const original = await planEntries(dir, env);
        assert.ok(new Set(original.map((e) => e.action)).size >= 2, JSON.stringify(original));
        await withState(pg, async (target) => {
          const url = target.url ?? '';
          const toPg = await runCli(['state', 'migrate', '--to', url, '--to-workspace', 'copy'], {
            cwd: dir,
            env,
          });
          assert.is(toPg.code, 0, toPg.stderr);
          assert.match(
            toPg.stdout,
            /Copied (\d+) of \1 records \(6 messages\) from \.waspec to postgres:\/\/.*counts verified/,
          );
          const pgEnv = { ...env, WASPEC_STATE_URL: url, WASPEC_WORKSPACE: 'copy' };
          assert.equal(await planEntries(dir, pgEnv), original);
          const again = await runCli(['state', 'migrate', '--to', url, '--to-workspace', 'copy'], {
            cwd: dir,
            env,
          });
          assert.is(again.code, 0, again.stderr);
          assert.match(again.stdout, /Nothing to copy/);
          assert.ok(
            (await planEntries(dir, { ...pgEnv, WASPEC_WORKSPACE: 'elsewhere' })).every(
              (e) => e.action === 'send',
            ),
            'another workspace sees none of it',
          );

          const back = await runCli(['state', 'migrate', '--to', 'copied-back'], {
            cwd: dir,
            env: pgEnv,
          });
          assert.is(back.code, 0, back.stderr);
          assert.equal(await planEntries(dir, env, ['--state', 'copied-back']), original);

          await runCli(['apply', '--yes'], {
            cwd: dir,
            env: { ...pgEnv, WASPEC_WORKSPACE: 'other' },
          });
          const foreign = await runCli(
            ['state', 'migrate', '--to', url, '--to-workspace', 'other'],
            { cwd: dir, env },
          );
          assert.is(foreign.code, 1);
          assert.match(foreign.stderr, /already holds other records .* nothing was copied/);
          const withPassword = await runCli(
            [
              'state',
              'migrate',
              '--to',
              url.replace('postgres://postgres@', 'postgres://postgres:pw1234@'),
            ],
            { cwd: dir, env },
          );
          assert.is(withPassword.code, 1);
          assert.not.ok(withPassword.stderr.includes('pw1234'));
        });
      },
    );
  });
}

/** A file state holding one in-doubt message whose journal fields are `ids`. */
async function inDoubtWorkspace(
  ids: { messageId: string; bulkId: string; contentHash: string },
  fn: (dir: string, env: NodeJS.ProcessEnv, journal: () => Promise<string>) => Promise<void>,
): Promise<void> {
  const file = (await stateBackends())[0] as Backend;
  const { dir, cleanup } = await makeWorkspace({});
  try {
    await withState(
      file,
      async (state) => {
        await state.store.append([
          inFlight(ids.bulkId, '2026-01-01T00:00:00.000Z', [
            {
              messageId: ids.messageId,
              spec: 'promo',
              phoneNumber: '41793026727',
              contentHash: ids.contentHash,
            },
          ]),
        ]);
        await fn(dir, state.env, () => readFile(join(dir, '.waspec', 'journal.ndjson'), 'utf8'));
      },
      dir,
    );
  } finally {
    await cleanup();
  }
}

test('state list and show: ids, hashes and times from the journal reach the terminal escaped', () =>
  inDoubtWorkspace(
    { messageId: 'm1\u001b]0;title\u0007', bulkId: 'B1\u001b[2J', contentHash: 'h\u202e' },
    async (dir, env) => {
      const list = await runCli(['state', 'list'], { cwd: dir, env });
      assert.is(list.code, 0, list.stderr);
      assert.match(list.stdout, 'm1\\e]0;title\\u{0007}  promo@1');
      const show = await runCli(['state', 'show', 'm1\u001b]0;title\u0007'], { cwd: dir, env });
      assert.is(show.code, 0, show.stderr);
      assert.match(show.stdout, 'bulkId       B1\\e[2J');
      assert.match(show.stdout, 'contentHash  h\\u{202E}');
      assert.match(show.stdout, 'in flight      request B1\\e[2J');
      for (const out of [list.stdout, show.stdout]) assert.not.match(out, /[\u0007\u001b\u202e]/);
    },
  ));

test('state settle refuses a --reason or --by longer than the journal keeps (the journal stays readable); an empty --by is the user name', () =>
  inDoubtWorkspace(
    { messageId: 'm1', bulkId: 'B1', contentHash: 'h' },
    async (dir, env, journal) => {
      const before = await journal();
      for (const [flag, value, limit] of [
        ['--reason', 'x'.repeat(1001), 1000],
        ['--by', 'y'.repeat(257), 256],
      ] as const) {
        const result = await runCli(
          ['state', 'settle', '--message', 'm1', '--as', 'accepted', '--reason', 'ok', flag, value],
          { cwd: dir, env },
        );
        assert.is(result.code, 1, flag);
        assert.match(result.stderr, `error: ${flag} may hold at most ${limit} characters\nhint: `);
        assertNoStackTrace(result);
      }
      assert.is(await journal(), before, 'nothing written');
      const settled = await runCli(
        [
          'state',
          'settle',
          '--message',
          'm1',
          '--as',
          'accepted',
          '--reason',
          'x'.repeat(1000),
          '--by',
          ' ',
        ],
        { cwd: dir, env },
      );
      assert.is(settled.code, 0, settled.stderr);
      assert.match(settled.stdout, new RegExp(`by .+@${hostname()}\\)`));
      const plan = await runCli(['state', 'list'], { cwd: dir, env });
      assert.is(plan.code, 0, plan.stderr);
      assert.match(plan.stdout, /1 message: 1 accepted/);
    },
  ));

test('every state subcommand has --help', async () => {
  for (const sub of ['list', 'show', 'migrate', 'settle', 'unlock']) {
    const result = await runCli(['state', sub, '--help']);
    assert.is(result.code, 0, sub);
    assert.match(result.stdout, new RegExp(`Usage: waspec state ${sub}`));
  }
});

test.run();
