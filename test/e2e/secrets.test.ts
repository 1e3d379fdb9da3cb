import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator } from '../../src/emulator/server.js';
import { collect, makeWorkspace, runCli, startCli, type CliResult } from '../helpers/cli.js';
import { outputOf } from '../helpers/wait-output.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';
import { adminQuery, postgresBackends, schemaOf, withState } from '../helpers/state-backends.js';

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
    assert.is(
      (await run(['apply', '--yes', ...spec], { ...withSecret, WASPEC_APP_KEY: 'wrong-key' })).code,
      1,
    );
    assert.is(
      (await run(['apply', '--yes', ...spec], { ...base, WASPEC_APP_SECRET: WRONG_SECRET })).code,
      1,
    );
    assert.is(
      (
        await run(['apply', '--yes', '--format', 'json', ...spec], {
          ...base,
          WASPEC_TOKEN: WRONG_TOKEN,
        })
      ).code,
      1,
    );
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
      for (const secret of [APP_SECRET, TOKEN, WRONG_SECRET, WRONG_TOKEN])
        assert.not.ok(text.includes(secret), `${file} holds a secret`);
    }
  } finally {
    await emulator.close();
    await cleanup();
  }
});

test('the emulator banner names the variable, never the app secret or token it was given', async () => {
  const child = startCli(['emulator', '--port', '0', '--app-secret', APP_SECRET, '--token', TOKEN]);
  const output = outputOf(child);
  try {
    await output.waitFor(/Ctrl-C stops it/);
    assert.match(output.text(), /WASPEC_APP_SECRET=<the --app-secret value>/);
  } finally {
    child.kill('SIGINT');
    await collect(child);
  }
  assert.not.ok(output.text().includes(APP_SECRET));
  assert.not.ok(output.text().includes(TOKEN));
});

test('a token obtained from tokenByAkSk is redacted when the API echoes it; answer text in the journal is cut', async () => {
  const issued: string[] = [];
  // An API that issues tokens and answers 400 echoing the request's Authorization header at length.
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/apigovernance/api/oauth/tokenByAkSk')) {
        const token = `issued-${randomBytes(16).toString('hex')}`;
        issued.push(token);
        res.end(JSON.stringify({ AccessToken: token, Expires: '600' }));
        return;
      }
      res.statusCode = 400;
      res.end(
        JSON.stringify({
          error: `bad request; you sent Authorization: ${req.headers.authorization ?? ''} ${'and more '.repeat(200)}`,
          echo: body,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { dir, cleanup } = await makeWorkspace(textSpec('echo', swissNumbers(2), 'Hi {{name}}'));
  try {
    const env = { WASPEC_BASE_URL: url, WASPEC_APP_KEY: 'k', WASPEC_APP_SECRET: APP_SECRET };
    const results = [await runCli(['apply', '--yes', 'specs/echo.yaml'], { cwd: dir, env })];
    results.push(
      await runCli(['apply', '--yes', '--format', 'json', 'specs/echo.yaml'], { cwd: dir, env }),
    );
    results.push(await runCli(['plan', 'specs/echo.yaml', '--format', 'json'], { cwd: dir, env }));
    assert.ok(issued.length >= 2, 'tokens were issued');
    assert.match(results[0]?.stdout ?? '', /\[redacted\]/);
    const journal = await readFile(join(dir, '.waspec/journal.ndjson'), 'utf8');
    for (const token of [...issued, APP_SECRET]) {
      for (const r of results) {
        assert.not.ok(r.stdout.includes(token), `stdout holds a token:\n${r.stdout}`);
        assert.not.ok(r.stderr.includes(token), `stderr holds a token:\n${r.stderr}`);
      }
      assert.not.ok(journal.includes(token), 'the journal holds a token');
    }
    for (const line of journal.trim().split('\n')) {
      const record = JSON.parse(line) as { results?: Array<{ error?: string }> };
      for (const r of record.results ?? [])
        assert.ok(
          (r.error ?? '').length <= 320,
          `an answer kept whole: ${String(r.error?.length)}`,
        );
    }
  } finally {
    server.close();
    server.closeAllConnections();
    await cleanup();
  }
});

const DB_PASSWORD = 'Pg-pa55word-e41c07';
const PGPASSWORD = 'Pg-env-pa55-b9d2aa';

for (const backend of await postgresBackends()) {
  test('[postgres] the database password appears in no output, file, plan or state row', async () => {
    const { dir, cleanup } = await makeWorkspace(
      textSpec('dbsecret', swissNumbers(4), 'Hi {{name}}'),
    );
    const emulator = await startEmulator();
    try {
      await withState(backend, async (state) => {
        const withPassword = new URL(state.url ?? '');
        withPassword.password = DB_PASSWORD;
        const unreachable = new URL(withPassword.href);
        unreachable.port = '1';
        const env = {
          ...state.env,
          WASPEC_BASE_URL: emulator.url,
          WASPEC_APP_KEY: 'demo-app-key',
          WASPEC_APP_SECRET: 'demo-app-secret',
          WASPEC_STATE_URL: withPassword.href,
          PGPASSWORD,
        };
        const results: CliResult[] = [];
        const run = async (args: string[], extra: NodeJS.ProcessEnv = {}) => {
          const r = await runCli(args, { cwd: dir, env: { ...env, ...extra } });
          results.push(r);
          return r;
        };
        assert.is(
          (await run(['suppress', 'add', '41780000099', '--reason', 'replied STOP'])).code,
          0,
          results.at(-1)?.stderr,
        );
        await run(['suppress', 'list', '--no-mask']);
        assert.is((await run(['plan', '--out', 'plan.json'])).code, 0, results.at(-1)?.stderr);
        await run(['plan', '--format', 'json']);
        assert.is((await run(['apply', 'plan.json'])).code, 0, results.at(-1)?.stderr);
        // Workers (apply --workers) keep requests and outcomes in tables of their own.
        for (const [name, text] of Object.entries(
          textSpec('more', swissNumbers(6, 3000000), 'Hi {{name}}', 1),
        ))
          await writeFile(join(dir, name), text);
        assert.is(
          (await run(['apply', '--yes', '--workers', '2'])).code,
          0,
          results.at(-1)?.stderr,
        );
        assert.is((await run(['apply', '--yes'], { WASPEC_STATE_URL: unreachable.href })).code, 1);
        assert.is((await run(['plan'], { WASPEC_STATE_URL: unreachable.href })).code, 1);
        assert.is(
          (await run(['plan', '--state', withPassword.href])).code,
          1,
          'a password on the command line is refused',
        );
        for (const r of results) {
          for (const secret of [DB_PASSWORD, PGPASSWORD]) {
            assert.not.ok(
              r.stdout.includes(secret),
              `stdout holds the database password:\n${r.stdout}`,
            );
            assert.not.ok(
              r.stderr.includes(secret),
              `stderr holds the database password:\n${r.stderr}`,
            );
          }
        }
        for (const file of await filesUnder(dir)) {
          const text = await readFile(file, 'utf8');
          for (const secret of [DB_PASSWORD, PGPASSWORD])
            assert.not.ok(text.includes(secret), `${file} holds the database password`);
        }
        const rows = await adminQuery<{ text: string }>(
          `SELECT record::text AS text FROM "${schemaOf(state)}".journal UNION ALL SELECT row_to_json(h)::text FROM "${schemaOf(state)}".lock_holder h UNION ALL SELECT row_to_json(v)::text FROM "${schemaOf(state)}".schema_version v UNION ALL SELECT row_to_json(s)::text FROM "${schemaOf(state)}".suppression s
           UNION ALL SELECT row_to_json(r)::text FROM "${schemaOf(state)}".apply_run r UNION ALL SELECT row_to_json(q)::text FROM "${schemaOf(state)}".apply_request q
           UNION ALL SELECT row_to_json(w)::text FROM "${schemaOf(state)}".apply_worker w`,
        );
        assert.ok(
          rows.rows.some((r) => r.text.includes('"phase":"done"')),
          'the workers left their rows',
        );
        for (const row of rows.rows)
          for (const secret of [DB_PASSWORD, PGPASSWORD, 'demo-app-secret'])
            assert.not.ok(
              row.text.includes(secret),
              `a state row holds a secret: ${row.text.slice(0, 200)}`,
            );
      });
    } finally {
      await emulator.close();
      await cleanup();
    }
  });
}

test.run();
