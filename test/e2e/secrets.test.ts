import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/server.js';
import { makeWorkspace, runCli, type CliResult } from '../helpers/cli.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';
import { adminQuery, postgresBackends, withState } from '../helpers/state-backends.js';

const APP_SECRET = 'S3cr3t-app-secret-7f1c9e';
const TOKEN = 'T0ken-static-9ab44d2e';
const WRONG_SECRET = 'S3cr3t-wrong-5d0e11';
const WRONG_TOKEN = 'T0ken-wrong-000000';

async function filesUnder(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  return names.filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

test('no command prints or writes the app secret or the token', async () => {
  const { dir, cleanup } = await makeWorkspace({
    ...textSpec('secrets', swissNumbers(5), 'Hi {{name}}'),
    'specs/broken.yaml': 'name: broken\nrevision: 1\nwhatsApp: {}\nrecipients: []\n',
  });
  const emulator = await startEmulator({ appSecret: APP_SECRET, token: TOKEN });
  const base = { WASPEC_BASE_URL: emulator.url, WASPEC_APP_KEY: 'demo-app-key' };
  const withSecret = { ...base, WASPEC_APP_SECRET: APP_SECRET };
  const withToken = { ...base, WASPEC_TOKEN: TOKEN };
  const spec = ['specs/secrets.yaml'];
  const results: CliResult[] = [];
  const run = async (args: string[], env: NodeJS.ProcessEnv) => {
    const r = await runCli(args, { cwd: dir, env });
    results.push(r);
    return r;
  };
  try {
    await run(['validate'], withSecret);
    await run(['compile', ...spec, '--out', 'out'], withSecret);
    await run(['plan', ...spec, '--out', 'plan.json'], withSecret);
    await run(['show', 'plan.json', '--format', 'json'], withSecret);
    assert.is((await run(['apply', '--yes', ...spec], { ...withSecret, WASPEC_APP_KEY: 'wrong-key' })).code, 1);
    assert.is((await run(['apply', '--yes', ...spec], { ...base, WASPEC_APP_SECRET: WRONG_SECRET })).code, 1);
    assert.is((await run(['apply', '--yes', '--format', 'json', ...spec], { ...base, WASPEC_TOKEN: WRONG_TOKEN })).code, 1);
    assert.is((await run(['apply', '--yes', ...spec], withToken)).code, 0, results.at(-1)?.stderr);
    await run(['plan', ...spec, '--format', 'markdown'], withToken);
    await run(['apply', 'plan.json'], withSecret);
    for (const r of results) {
      for (const secret of [APP_SECRET, TOKEN, WRONG_SECRET, WRONG_TOKEN]) {
        assert.not.ok(r.stdout.includes(secret), `stdout holds a secret:\n${r.stdout}`);
        assert.not.ok(r.stderr.includes(secret), `stderr holds a secret:\n${r.stderr}`);
      }
    }
    const files = await filesUnder(dir);
    assert.ok(files.some((f) => f.endsWith('journal.ndjson')));
    assert.ok(files.some((f) => f.endsWith('plan.json')));
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      for (const secret of [APP_SECRET, TOKEN, WRONG_SECRET, WRONG_TOKEN]) assert.not.ok(text.includes(secret), `${file} holds a secret`);
    }
  } finally {
    await emulator.close();
    await cleanup();
  }
});

const DB_PASSWORD = 'Pg-pa55word-e41c07';
const PGPASSWORD = 'Pg-env-pa55-b9d2aa';

for (const backend of await postgresBackends()) {
  test('[postgres] the database password appears in no output, file, plan or state row', async () => {
    const { dir, cleanup } = await makeWorkspace(textSpec('dbsecret', swissNumbers(4), 'Hi {{name}}'));
    const emulator = await startEmulator();
    try {
      await withState(backend, async (state) => {
        const withPassword = new URL(state.url ?? '');
        withPassword.password = DB_PASSWORD;
        const unreachable = new URL(withPassword.href);
        unreachable.port = '1';
        const env = { ...state.env, WASPEC_BASE_URL: emulator.url, WASPEC_APP_KEY: 'demo-app-key', WASPEC_APP_SECRET: 'demo-app-secret', WASPEC_STATE_URL: withPassword.href, PGPASSWORD };
        const results: CliResult[] = [];
        const run = async (args: string[], extra: NodeJS.ProcessEnv = {}) => {
          const r = await runCli(args, { cwd: dir, env: { ...env, ...extra } });
          results.push(r);
          return r;
        };
        assert.is((await run(['plan', '--out', 'plan.json'])).code, 0, results.at(-1)?.stderr);
        await run(['plan', '--format', 'json']);
        assert.is((await run(['apply', 'plan.json'])).code, 0, results.at(-1)?.stderr);
        assert.is((await run(['apply', '--yes'], { WASPEC_STATE_URL: unreachable.href })).code, 1);
        assert.is((await run(['plan'], { WASPEC_STATE_URL: unreachable.href })).code, 1);
        assert.is((await run(['plan', '--state', withPassword.href])).code, 1, 'a password on the command line is refused');
        for (const r of results) {
          for (const secret of [DB_PASSWORD, PGPASSWORD]) {
            assert.not.ok(r.stdout.includes(secret), `stdout holds the database password:\n${r.stdout}`);
            assert.not.ok(r.stderr.includes(secret), `stderr holds the database password:\n${r.stderr}`);
          }
        }
        for (const file of await filesUnder(dir)) {
          const text = await readFile(file, 'utf8');
          for (const secret of [DB_PASSWORD, PGPASSWORD]) assert.not.ok(text.includes(secret), `${file} holds the database password`);
        }
        const rows = await adminQuery<{ text: string }>(
          `SELECT record::text AS text FROM "${state.schema}".journal UNION ALL SELECT row_to_json(h)::text FROM "${state.schema}".lock_holder h UNION ALL SELECT row_to_json(v)::text FROM "${state.schema}".schema_version v`,
        );
        assert.ok(rows.rows.length > 0);
        for (const row of rows.rows) for (const secret of [DB_PASSWORD, PGPASSWORD]) assert.not.ok(row.text.includes(secret), 'a state row holds the password');
      });
    } finally {
      await emulator.close();
      await cleanup();
    }
  });
}

test.run();
