// An opt-out written as a national number is honoured: `suppress` and suppression files normalise
// numbers exactly as recipients are; a number that still is not international is refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';
import { adminQuery, postgresBackends, schemaOf, withState } from '../helpers/state-backends.js';

const [A, B] = ['41793026727', '41780000001'];
const SPEC = {
  'specs/promo.yaml': `name: promo\nrevision: 1\nwhatsApp:\n  text: "Sale"\nrecipients:\n  - { phoneNumber: "+41 79 302 67 27" }\n  - { phoneNumber: "${B}" }\n`,
};

for (const backend of await postgresBackends()) {
  test('[postgres] suppress add "079 302 67 27" with defaultCountry CH suppresses 41793026727; a national number without a country is exit 1, nothing stored', async () => {
    const { dir, cleanup } = await makeWorkspace({
      ...SPEC,
      'waspec.config.yaml': 'recipients:\n  defaultCountry: CH\n',
    });
    const { dir: bare, cleanup: cleanBare } = await makeWorkspace({});
    try {
      await withState(
        backend,
        async (state) => {
          // No table yet is no row (the refused commands never opened the state).
          const rows = async () =>
            (
              await adminQuery<{ phone_number: string }>(
                `SELECT phone_number FROM "${schemaOf(state)}".suppression ORDER BY 1`,
              ).catch((error: unknown) => {
                if ((error as { code?: string }).code === '42P01') return { rows: [] };
                throw error;
              })
            ).rows.map((r) => r.phone_number);
          // No country anywhere: refused, nothing stored.
          const refused = await runCli(['suppress', 'add', '079 302 67 27'], {
            cwd: bare,
            env: state.env,
          });
          assert.is(refused.code, 1, refused.stderr);
          assert.match(
            refused.stderr,
            /error: '079 302 67 27' is not a valid international number; nothing was suppressed\nhint: .*recipients\.defaultCountry .*--default-country/,
          );
          assertNoStackTrace(refused);
          // One bad number refuses the whole command.
          const mixed = await runCli(
            ['suppress', 'add', '--default-country', 'DE', '+41 78 000 00 01', '079 12'],
            { cwd: bare, env: state.env },
          );
          assert.is(mixed.code, 1, mixed.stderr);
          assert.match(
            mixed.stderr,
            /'079 12' is not a valid international number nor a national number of DE; nothing was suppressed/,
          );
          const unknown = await runCli(['suppress', 'add', '--default-country', 'XX', A], {
            cwd: bare,
            env: state.env,
          });
          assert.is(unknown.code, 1);
          assert.match(unknown.stderr, /--default-country 'XX' is not an ISO 3166 country code/);
          assert.equal(await rows(), [], 'nothing stored');

          const added = await runCli(['suppress', 'add', '079 302 67 27', '--reason', 'STOP'], {
            cwd: dir,
            env: state.env,
          });
          assert.is(added.code, 0, added.stderr);
          assert.is(added.stderr, '', 'no warning');
          assert.equal(await rows(), [A]);
          const plan = await runCli(['plan'], { cwd: dir, env: state.env });
          assert.is(plan.code, 0, plan.stderr);
          assert.match(plan.stdout, /Plan: 1 to send, .*1 suppressed/);
          assert.match(plan.stdout, /41793026727 \(STOP, \d{4}-\d\d-\d\d\)/);

          // The flag, in a workspace whose config names no country; remove normalises the same way.
          const flagged = await runCli(
            ['suppress', 'add', '--default-country', 'ch', '078 000 00 01'],
            { cwd: bare, env: state.env },
          );
          assert.is(flagged.code, 0, flagged.stderr);
          assert.equal(await rows(), [B, A]);
          const removed = await runCli(['suppress', 'remove', '078 000 00 01'], {
            cwd: dir,
            env: state.env,
          });
          assert.is(removed.code, 0, removed.stderr);
          assert.equal(await rows(), [A]);

          // suppress import reads a file the same way: all or nothing.
          const { dir: lists, cleanup: cleanLists } = await makeWorkspace({
            'stop.csv': 'phoneNumber\n078 000 00 01\n079 12\n',
          });
          try {
            const imported = await runCli(['suppress', 'import', `${lists}/stop.csv`], {
              cwd: dir,
              env: state.env,
            });
            assert.is(imported.code, 1, imported.stderr);
            assert.match(
              imported.stderr,
              /079 12 is not a valid international number nor a national number of CH: it would suppress no one/,
            );
            assert.match(imported.stderr, /Nothing imported/);
            assert.equal(await rows(), [A]);
          } finally {
            await cleanLists();
          }
        },
        dir,
      );
    } finally {
      await cleanBare();
      await cleanup();
    }
  });
}

test("a suppression file's national numbers are read with the config's defaultCountry; one that is not valid stops the plan", async () => {
  const { dir, cleanup } = await makeWorkspace({
    ...SPEC,
    'waspec.config.yaml': 'suppressions: [stop.csv]\nrecipients:\n  defaultCountry: CH\n',
    'stop.csv': 'phoneNumber,reason\n079 302 67 27,replied STOP\n',
  });
  try {
    const env = { WASPEC_STATE_URL: '', WASPEC_STATE_DIR: '' };
    const plan = await runCli(['plan'], { cwd: dir, env });
    assert.is(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /Plan: 1 to send, .*1 suppressed/);
    const { dir: other, cleanup: cleanOther } = await makeWorkspace({
      ...SPEC,
      'waspec.config.yaml': 'suppressions: [stop.csv]\nrecipients:\n  defaultCountry: CH\n',
      'stop.csv': 'phoneNumber,reason\n079 302 67 2,replied STOP\n',
    });
    try {
      const refused = await runCli(['plan', '--out', 'p.json'], { cwd: other, env });
      assert.is(refused.code, 1, refused.stderr);
      assert.match(
        refused.stdout + refused.stderr,
        /stop\.csv:2:\d+.*079 302 67 2 is not a valid international number nor a national number of CH: it would suppress no one/,
      );
      assertNoStackTrace(refused);
    } finally {
      await cleanOther();
    }
  } finally {
    await cleanup();
  }
});

test.run();
