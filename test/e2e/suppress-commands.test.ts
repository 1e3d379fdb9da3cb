// waspec suppress through the built CLI: the table of a PostgreSQL state holds numbers back from
// every plan and apply, as the config's files do; with the file state the command says where
// suppressions live instead.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { messageIdFor } from '../../src/api/identity.js';
import { EMULATOR_DEFAULTS, startEmulator } from '../../src/emulator/server.js';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';
import {
  adminQuery,
  postgresBackends,
  schemaOf,
  stateBackends,
  withState,
} from '../helpers/state-backends.js';
import { inFlight, outcome } from '../state/records.js';

const [A, B, C, D] = ['41793026727', '41780000001', '41780000002', '41780000003'];
const id = (phone: string) => messageIdFor('promo', 1, phone);
const SPEC = {
  'specs/promo.yaml': `name: promo\nrevision: 1\nwhatsApp:\n  text: "Sale"\nrecipients:\n${[A, B, C, D].map((p) => `  - { phoneNumber: "${p}" }`).join('\n')}\n`,
};

test('every suppress subcommand has --help with an example; with the file state it says suppressions live in the config files', async () => {
  for (const sub of ['add', 'remove', 'list', 'import']) {
    const help = await runCli(['suppress', sub, '--help']);
    assert.is(help.code, 0, sub);
    assert.match(help.stdout, new RegExp(`Usage: waspec suppress ${sub}`));
    assert.match(help.stdout, /Examples?:\n {2}waspec suppress /);
  }
  const [file] = await stateBackends();
  if (!file) throw new Error('no file backend');
  const { dir, cleanup } = await makeWorkspace(SPEC);
  try {
    await withState(
      file,
      async (state) => {
        for (const args of [['add', A], ['list'], ['remove', A], ['import', 'stop.csv']]) {
          const result = await runCli(['suppress', ...args], { cwd: dir, env: state.env });
          assert.is(result.code, 1, args.join(' '));
          assert.match(
            result.stderr,
            /waspec suppress needs a PostgreSQL state; with the file state \(\.waspec\) suppressed numbers live in the files listed under `suppressions:` in waspec\.config\.yaml/,
          );
          assertNoStackTrace(result);
        }
        // Checked before the state is opened: the same answer with any state.
        for (const [args, message] of [
          [
            ['add', A, '--reason', 'x'.repeat(201)],
            /^error: --reason may hold at most 200 characters\nhint: /,
          ],
          [
            ['import', 'stop.csv', '--by', 'y'.repeat(201)],
            /^error: --by may hold at most 200 characters\nhint: /,
          ],
          [
            ['add', 'abc\u001b[J'],
            /^error: 'abc\\e\[J' is not a phone number \(no digits\)\nhint: write numbers in international format/,
          ],
        ] as const) {
          const result = await runCli(['suppress', ...args], { cwd: dir, env: state.env });
          assert.is(result.code, 1, args.join(' '));
          assert.match(result.stderr, message);
        }
      },
      dir,
    );
  } finally {
    await cleanup();
  }
});

for (const backend of await postgresBackends()) {
  test('[postgres] a number in the table is never sent: not by a saved plan made before, not with --retry-rejected or --resend-in-doubt', async () => {
    const { dir, cleanup } = await makeWorkspace({
      ...SPEC,
      'lists/later.ndjson': `{"phoneNumber":"+41 78 000 00 02","reason":"complaint"}\n{"phoneNumber":"${D}"}\n`,
    });
    const emulator = await startEmulator();
    try {
      await withState(
        backend,
        async (state) => {
          const env = {
            ...state.env,
            WASPEC_BASE_URL: emulator.url,
            WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
            WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
          };
          // B was rejected, C is in doubt: both would be sent again when asked to.
          await state.store.append([
            inFlight('B1', '2026-01-01T00:00:00.000Z', [
              { messageId: id(B), spec: 'promo', phoneNumber: B, contentHash: 'x' },
            ]),
            outcome('B1', '2026-01-01T00:00:01.000Z', [
              { messageId: id(B), outcome: 'rejected', statusName: 'REJECTED_DESTINATION' },
            ]),
            inFlight('B2', '2026-01-01T00:00:00.000Z', [
              { messageId: id(C), spec: 'promo', phoneNumber: C, contentHash: 'x' },
            ]),
          ]);
          const saved = await runCli(
            ['plan', '--retry-rejected', '--resend-in-doubt', '--out', 'plan.json'],
            { cwd: dir, env },
          );
          assert.is(saved.code, 0, saved.stderr);
          assert.match(saved.stdout, /Plan: 4 to send/);

          // B, C and D opt out after the plan was reviewed.
          const added = await runCli(
            ['suppress', 'add', '+41 78 000 00 01', '--reason', 'replied STOP', '--by', 'ops'],
            { cwd: dir, env },
          );
          assert.is(added.code, 0, added.stderr);
          assert.match(
            added.stdout,
            /Suppressed 1 number in the suppression table of workspace test/,
          );
          const imported = await runCli(['suppress', 'import', 'lists/later.ndjson'], {
            cwd: dir,
            env,
          });
          assert.is(imported.code, 0, imported.stderr);
          assert.match(imported.stdout, /Imported 2 numbers of 2 from lists\/later\.ndjson/);

          const stale = await runCli(['apply', 'plan.json'], { cwd: dir, env });
          assert.is(stale.code, 1);
          assert.match(
            stale.stderr,
            /suppression list changed since the plan was made: the suppression table of workspace test/,
          );
          assert.is(emulator.stats().requests, 0);

          const list = await runCli(['suppress', 'list'], { cwd: dir, env });
          assert.match(
            list.stdout,
            /^417\*\*\*\*0001 +\d{4}-\d\d-\d\dT[\d:]+Z {2}ops {2}replied STOP$/m,
          );
          assert.match(list.stdout, /3 suppressed numbers in the suppression table/);
          assert.not.ok(list.stdout.includes(B), 'masked by default');
          const full = JSON.parse(
            (await runCli(['suppress', 'list', '--format', 'json', '--no-mask'], { cwd: dir, env }))
              .stdout,
          ) as Array<{ phoneNumber: string; reason?: string }>;
          assert.equal(
            full.map((r) => [r.phoneNumber, r.reason]),
            [
              [B, 'replied STOP'],
              [C, 'complaint'],
              [D, undefined],
            ],
          );

          const plan = await runCli(['plan', '--retry-rejected', '--resend-in-doubt'], {
            cwd: dir,
            env,
          });
          assert.match(plan.stdout, /Plan: 1 to send, .*3 suppressed/);
          assert.match(
            plan.stdout,
            /41780000001 \(replied STOP, \d{4}-\d\d-\d\d\), 41780000002 \(complaint, [\d-]+\), 41780000003 \(on the suppression list, [\d-]+\)/,
          );
          const applied = await runCli(
            ['apply', '--yes', '--retry-rejected', '--resend-in-doubt'],
            { cwd: dir, env },
          );
          assert.is(applied.code, 0, applied.stderr);
          const sent = (await (await fetch(`${emulator.url}/_emulator/messages`)).json()) as Array<{
            phoneNumber: string;
          }>;
          assert.equal(
            sent.map((m) => m.phoneNumber),
            [A],
          );

          // Taken off the list, D is sent by the next plan; a number that was never on it is exit 1.
          const removed = await runCli(['suppress', 'remove', D, '41780000099'], { cwd: dir, env });
          assert.is(removed.code, 1);
          assert.match(removed.stdout, /Removed 1 number .*\nNot on the list: 417\*\*\*\*0099\./);
          assert.match(
            (await runCli(['plan', '--retry-rejected', '--resend-in-doubt'], { cwd: dir, env }))
              .stdout,
            /Plan: 1 to send, 1 unchanged, .*2 suppressed/,
          );

          // A copy of the table in another workspace: list as NDJSON, import it there.
          const copy = await runCli(['suppress', 'list', '--format', 'ndjson', '--no-mask'], {
            cwd: dir,
            env,
          });
          await writeFile(join(dir, 'copy.ndjson'), copy.stdout);
          const into = await runCli(['suppress', 'import', 'copy.ndjson', '--workspace', 'other'], {
            cwd: dir,
            env,
          });
          assert.match(
            into.stdout,
            /Imported 2 numbers of 2 from copy\.ndjson into the suppression table of workspace other/,
          );
          const other = JSON.parse(
            (
              await runCli(
                ['suppress', 'list', '--format', 'json', '--no-mask', '--workspace', 'other'],
                { cwd: dir, env },
              )
            ).stdout,
          ) as Array<{ phoneNumber: string; reason?: string }>;
          assert.equal(
            other.map((r) => [r.phoneNumber, r.reason]),
            [
              [B, 'replied STOP'],
              [C, 'complaint'],
            ],
          );

          // A reason is untrusted text: shown escaped, never interpreted by the terminal.
          assert.is(
            (
              await runCli(
                ['suppress', 'add', A, '--reason', 'x\u001b[2J\u202e', '--workspace', 'other'],
                { cwd: dir, env },
              )
            ).code,
            0,
          );
          const pretty = await runCli(['suppress', 'list', '--workspace', 'other'], {
            cwd: dir,
            env,
          });
          assert.match(pretty.stdout, 'x\\e[2J\\u{202E}');
          const json = await runCli(
            ['suppress', 'list', '--format', 'ndjson', '--workspace', 'other'],
            { cwd: dir, env },
          );
          assert.match(json.stdout, '"reason":"x\\u001b[2J\\u202e"');
          for (const out of [pretty.stdout, json.stdout]) assert.not.match(out, /[\u001b\u202e]/);
          // A row written by hand into the table: its number and name are escaped too, unmasked.
          await adminQuery(
            `INSERT INTO ${schemaOf(state)}.suppression (workspace, phone_number, added_by) VALUES ('other', $1, $2)`,
            ['4179\u001b[2J', 'ops\u001b]0;t\u0007'],
          );
          const raw = await runCli(['suppress', 'list', '--no-mask', '--workspace', 'other'], {
            cwd: dir,
            env,
          });
          assert.is(raw.code, 0, raw.stderr);
          assert.match(raw.stdout, /^4179\\e\[2J +\S+ {2}ops\\e\]0;t\\u\{0007\}$/m);
          assert.not.match(raw.stdout, /[\u0007\u001b]/);
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
