import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EMULATOR_DEFAULTS, startEmulator } from '../../src/emulator/server.js';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';
import { swissNumbers } from '../helpers/specs.js';

// Some 300,000 recipients: with 2 resident pages, the plan's entries (65,536 a page) and
// variable values (1 MiB a page) mostly live in page files.
const N = 300_000;
const WORDS = ['Anna', 'Zoé', 'Basel', 'Genève', 'Lugano'];

function workspace(): Record<string, string> {
  const rows = swissNumbers(N).map((p, i) => `${p},${WORDS[i % WORDS.length] ?? ''},${i}`);
  return {
    'specs/big.yaml':
      'name: big\nrevision: 1\nbatchSize: 100\nwhatsApp: { text: "Hello {{word}}" }\nrecipients:\n  - file: big.csv\n',
    'specs/big.csv': `phoneNumber,word,n\n${rows.join('\n')}\n`,
  };
}

const FAIL_SPILL = fileURLToPath(new URL('../helpers/fail-spill-writes.mjs', import.meta.url));

/** A saved plan without the moment it was made (the only field two plans of the same inputs differ in). */
const timeless = (text: string) => text.replace(/"createdAt": ?"[^"]*"/, '"createdAt":""');

test('plan, plan --out and apply of 300,000 recipients with 2 resident pages: as without paging, each sent once', async () => {
  const { dir, cleanup } = await makeWorkspace(workspace());
  const emulator = await startEmulator();
  try {
    const paged = { WASPEC_RESIDENT_PAGES: '2' };
    const unpaged = { WASPEC_RESIDENT_PAGES: '1000' };
    const plan = (env: NodeJS.ProcessEnv, ...args: string[]) =>
      runCli(['plan', '--state', 'st', ...args], { cwd: dir, env });
    // The pages go to a page file in the state folder: on a full disk there, one error naming it.
    const full = await plan({ ...paged, NODE_OPTIONS: `--import=${FAIL_SPILL}` });
    assert.is(full.code, 1, full.stderr);
    assertNoStackTrace(full);
    assert.ok(
      /^error: The plan's (entries|variables) cannot be written to a spill file in (.*) \(ENOSPC/m.exec(
        full.stderr,
      )?.[2] === join(dir, 'st'),
      full.stderr,
    );
    const [text, textPaged] = [await plan(unpaged), await plan(paged)];
    assert.is(text.code, 0, text.stderr);
    assert.is(textPaged.code, 0, textPaged.stderr);
    assert.match(text.stdout, /300,000|300000/);
    assert.is(textPaged.stdout, text.stdout);
    const out = await plan(unpaged, '--out', 'plan.json');
    const outPaged = await plan(paged, '--out', 'paged.json');
    assert.is(out.code, 0, out.stderr);
    assert.is(outPaged.code, 0, outPaged.stderr);
    const saved = await readFile(join(dir, 'plan.json'), 'utf8');
    // Beyond its first entries, a saved plan keeps a digest of all of them: the same digest.
    assert.match(saved, /"entriesDigest"/);
    assert.is(timeless(await readFile(join(dir, 'paged.json'), 'utf8')), timeless(saved));
    const applied = await runCli(['apply', '--yes', '--state', 'st', 'paged.json'], {
      cwd: dir,
      env: {
        ...paged,
        WASPEC_CONCURRENCY: '16',
        WASPEC_BASE_URL: emulator.url,
        WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
        WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
      },
    });
    assert.is(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /300,000 accepted|300000 accepted/);
    const stats = emulator.stats();
    assert.is(stats.uniqueMessageIds, N);
    assert.is(stats.duplicates, 0);
    assert.is(stats.requests, N / 100);
  } finally {
    await emulator.close();
    await cleanup();
  }
});

test.run();
