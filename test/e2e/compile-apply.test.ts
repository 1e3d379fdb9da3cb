import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EMULATOR_DEFAULTS, startEmulator } from '../../src/emulator/server.js';
import { makeWorkspace, runCli } from '../helpers/cli.js';
import { swissNumbers } from '../helpers/specs.js';

// Two shared texts interleaved with personal ones: input order is not messageId order, and with a
// batch size of 2 the shared texts need several requests each.
const phones = swissNumbers(11, 4000000);
const rows = phones.map((p, i) => `${p},${i % 4 === 3 ? `personal ${i}` : i % 2 ? 'odd' : 'even'}`);
const files = {
  'specs/mixed.yaml':
    'name: mixed\nrevision: 1\nwhatsApp: { text: "Hello {{word}}" }\nrecipients:\n  - file: mixed.csv\n',
  'specs/mixed.csv': `phoneNumber,word\n${rows.join('\n')}\n`,
};

/** Sends with apply (from the specs, then from a saved plan, each on a fresh state) and returns what the emulator received. */
async function sent(dir: string, args: string[]): Promise<string[]> {
  const emulator = await startEmulator();
  const env = {
    WASPEC_BASE_URL: emulator.url,
    WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
    WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
  };
  try {
    await rm(join(dir, '.waspec'), { recursive: true, force: true });
    if (args[0] === 'plan.json') {
      const plan = await runCli(['plan', '--out', 'plan.json'], { cwd: dir, env });
      assert.is(plan.code, 0, plan.stderr);
    }
    const apply = await runCli(['apply', ...args], { cwd: dir, env });
    assert.is(apply.code, 0, apply.stdout + apply.stderr);
    return emulator.requestBodies().sort();
  } finally {
    await emulator.close();
  }
}

for (const config of [undefined, 'profiles:\n  default:\n    batchSize: 2\n']) {
  test(`compile prints byte for byte the bodies apply sends (${config ? 'config batchSize 2' : 'default batch size'})`, async () => {
    const { dir, cleanup } = await makeWorkspace({
      ...files,
      ...(config ? { 'waspec.config.yaml': config } : {}),
    });
    try {
      const compiled = await runCli(['compile', '--format', 'ndjson'], { cwd: dir });
      assert.is(compiled.code, 0, compiled.stderr);
      const bodies = compiled.stdout.trimEnd().split('\n').sort();
      const largest = Math.max(
        ...bodies.map((b) => (JSON.parse(b) as { destinations: unknown[] }).destinations.length),
      );
      assert.is(largest, config ? 2 : 6, 'the batch size in force');
      assert.equal(await sent(dir, ['--yes']), bodies, 'apply --yes specs');
      assert.equal(await sent(dir, ['plan.json']), bodies, 'apply of a saved plan');
    } finally {
      await cleanup();
    }
  });
}

test.run();
