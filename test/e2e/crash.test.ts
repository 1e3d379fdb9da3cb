import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EMULATOR_DEFAULTS, startEmulator } from '../../src/emulator/server.js';
import { createRandom } from '../../src/emulator/random.js';
import { collect, makeWorkspace, runCli, startCli } from '../helpers/cli.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';
import { waitUntil } from '../helpers/wait-output.js';

const MESSAGES = 5000;
const BATCH = 50;
const CONCURRENCY = 4;
const KILLS = 10;

test(`apply of ${MESSAGES} messages SIGKILLed ${KILLS} times: no duplicates, nothing lost`, async () => {
  const { dir, cleanup } = await makeWorkspace(textSpec('crash', swissNumbers(MESSAGES), 'Our store opens at 9.', BATCH));
  const emulator = await startEmulator({ latencyMs: 25 });
  const env = { WASPEC_BASE_URL: emulator.url, WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey, WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret };
  const random = createRandom(2026);
  try {
    let kills = 0;
    for (let round = 0; round < KILLS * 3 && kills < KILLS; round++) {
      const child = startCli(['apply', '--yes', '--force-unlock', '--concurrency', String(CONCURRENCY)], { cwd: dir, env });
      const done = collect(child);
      const sentBefore = emulator.stats().requests;
      // Wait until it is sending, then kill it at a random moment within the next requests.
      while (emulator.stats().requests === sentBefore && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, Math.floor(random() * 120)));
      if (child.kill('SIGKILL')) kills++;
      const result = await done;
      assert.ok(result.signal === 'SIGKILL' || result.code === 0, `run ${round}: ${result.stderr}`);
    }
    assert.is(kills, KILLS);
    const final = await runCli(['apply', '--yes', '--force-unlock'], { cwd: dir, env });
    assert.is(final.code, 0, final.stdout + final.stderr);

    const stats = emulator.stats();
    assert.is(stats.duplicates, 0, 'no messageId reached the API twice');
    const plan = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
    const entries = JSON.parse(plan.stdout).entries as Array<{ action: string; messageId: string }>;
    assert.is(entries.length, MESSAGES);
    const byAction = new Map<string, number>();
    for (const e of entries) byAction.set(e.action, (byAction.get(e.action) ?? 0) + 1);
    const unchanged = byAction.get('unchanged') ?? 0;
    const inDoubt = byAction.get('in-doubt') ?? 0;
    assert.is(unchanged + inDoubt, MESSAGES, `every message accepted or in doubt: ${JSON.stringify([...byAction])}`);
    assert.ok(inDoubt <= KILLS * CONCURRENCY * BATCH, `in doubt ${inDoubt} ≤ what was in flight at the kills`);
    // Every message recorded as accepted reached the API; in doubt ones may or may not have.
    const received = new Set(((await (await fetch(`${emulator.url}/_emulator/messages`)).json()) as Array<{ messageId: string }>).map((m) => m.messageId));
    const missing = entries.filter((e) => e.action === 'unchanged' && !received.has(e.messageId));
    assert.is(missing.length, 0, 'recorded accepted but never received');
    assert.ok(received.size >= unchanged);
    console.log(`  crash test: ${kills} kills, ${unchanged} accepted, ${inDoubt} in doubt, ${stats.requests} requests, 0 duplicates`);
  } finally {
    await emulator.close();
    await cleanup();
  }
});

test('killed while waiting out a 429: the refused requests are retried, not in doubt', async () => {
  // Four messages with different content: four requests, three of them refused by the throttle.
  const phones = swissNumbers(4, 5000000);
  const rows = phones.map((p, i) => `${p},${i}`).join('\n');
  const { dir, cleanup } = await makeWorkspace({
    'specs/four.yaml': 'name: four\nrevision: 1\nwhatsApp: { text: "Code {{code}}" }\nrecipients:\n  - file: four.csv\n',
    'specs/four.csv': `phoneNumber,code\n${rows}\n`,
  });
  const emulator = await startEmulator({ throttleRps: 1 });
  const env = { WASPEC_BASE_URL: emulator.url, WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey, WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret };
  try {
    const child = startCli(['apply', '--yes', '--concurrency', '4'], { cwd: dir, env });
    const done = collect(child);
    await waitUntil(() => (emulator.stats().byStatus['429'] ?? 0) >= 3, 'three 429 answers', 30_000);
    await new Promise((r) => setTimeout(r, 400)); // within the Retry-After of 1 s
    child.kill('SIGKILL');
    await done;
    const plan = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
    const actions = (JSON.parse(plan.stdout) as { entries: Array<{ action: string }> }).entries.map((e) => e.action);
    const count = (action: string) => actions.filter((a) => a === action).length;
    const accepted = emulator.stats().accepted;
    assert.ok(accepted < 4, 'killed before everything went through');
    assert.is(count('in-doubt'), 0, `nothing was out without an answer: ${JSON.stringify(actions)}`);
    assert.is(count('unchanged'), accepted);
    assert.is(count('retry'), 4 - accepted);
  } finally {
    await emulator.close();
    await cleanup();
  }
});

test.run();
