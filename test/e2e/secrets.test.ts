import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/server.js';
import { makeWorkspace, runCli, type CliResult } from '../helpers/cli.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';

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

test.run();
