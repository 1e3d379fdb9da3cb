import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EMULATOR_DEFAULTS, startEmulator } from '../../src/emulator/server.js';
import type { Plan } from '../../src/plan/types.js';
import { maskPhone } from '../../src/recipients/mask-phone.js';
import { makeDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { summarizeEntries } from '../../src/plan/summarize-plan.js';
import { renderPreviewPage } from '../../src/report/render-page.js';
import { startPreviewServer } from '../../src/preview/server.js';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';

function emptyPlan(): Plan {
  return {
    formatVersion: 1, createdAt: '', specs: [], contents: {}, entries: [], summary: summarizeEntries([]),
    inputs: { files: [], state: { location: '', sha256: '' } }, options: { retryRejected: false, resendInDoubt: false, targets: [] }, diagnostics: [],
  };
}

test('plan --out holds no full number; apply of it sends exactly the planned messages; a changed recipient file or a tampered plan is refused', async () => {
  const phones = swissNumbers(5);
  const files = textSpec('hello', phones, 'Hi {{name}}, call 41791112233');
  const { dir, cleanup } = await makeWorkspace(files);
  const emulator = await startEmulator();
  const env = { WASPEC_BASE_URL: emulator.url, WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey, WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret };
  try {
    // A duplicate row so the plan carries a diagnostic that quotes a number.
    await writeFile(join(dir, 'specs/hello.csv'), `${files['specs/hello.csv'] ?? ''}${phones[0] ?? ''},Person 0\n`);
    const made = await runCli(['plan', '--out', 'plan.json'], { cwd: dir, env });
    assert.is(made.code, 0, made.stderr);
    const text = await readFile(join(dir, 'plan.json'), 'utf8');
    for (const phone of phones) {
      assert.not.ok(text.includes(phone), `plan.json holds ${phone}`);
      assert.ok(text.includes(maskPhone(phone)), `plan.json names ${maskPhone(phone)}`);
    }
    const saved = JSON.parse(text) as Plan;
    assert.ok(saved.diagnostics.some((d) => d.code === 'phone-duplicate'), 'the duplicate warning is kept, masked');
    const planned = saved.entries.filter((e) => e.action === 'send').map((e) => e.messageId).sort();
    assert.is(planned.length, 5);

    // A plan whose entry was pointed at another number is refused.
    const tampered = structuredClone(saved);
    const [first, second] = tampered.entries;
    if (first && second) first.phoneNumber = second.phoneNumber;
    await writeFile(join(dir, 'tampered.json'), JSON.stringify(tampered));
    const refusedTamper = await runCli(['apply', 'tampered.json'], { cwd: dir, env });
    assertNoStackTrace(refusedTamper);
    assert.is.not(refusedTamper.code, 0);
    assert.match(refusedTamper.stderr, /goes to another number/);
    assert.is(emulator.stats().requests, 0);

    // A recipient file changed since the plan: refused.
    const csv = join(dir, 'specs/hello.csv');
    const original = await readFile(csv, 'utf8');
    await writeFile(csv, original.replace('Person 1', 'Person One'));
    const refused = await runCli(['apply', 'plan.json'], { cwd: dir, env });
    assert.is.not(refused.code, 0);
    assert.match(refused.stderr, /recipient file edited since the plan was made: specs\/hello\.csv/);
    assert.is(emulator.stats().requests, 0);

    await writeFile(csv, original);
    const applied = await runCli(['apply', 'plan.json'], { cwd: dir, env });
    assert.is(applied.code, 0, applied.stderr);
    assert.is(emulator.stats().uniqueMessageIds, 5);
    assert.is(emulator.stats().duplicates, 0);
    // What was sent, as the state recorded it: the planned messageIds, to the full numbers.
    const after = JSON.parse((await runCli(['plan', '--format', 'json'], { cwd: dir, env })).stdout) as Plan;
    assert.equal(after.entries.map((e) => e.action), Array(5).fill('unchanged'));
    assert.equal(after.entries.map((e) => e.messageId).sort(), planned);
    assert.equal(after.entries.map((e) => e.phoneNumber).sort(), [...phones].sort());
  } finally {
    await emulator.close();
    await cleanup();
  }
});

test('plan --format html --mask masks numbers in diagnostics too', async () => {
  const { dir, cleanup } = await makeWorkspace(textSpec('hello', ['41793026727', '41793026727']));
  try {
    const r = await runCli(['plan', '--format', 'html', '--mask'], { cwd: dir, env: { GITHUB_ACTIONS: 'true' } });
    assert.match(r.stdout, /listed more than once/);
    assert.not.match(r.stdout + r.stderr, /41793026727/);
  } finally {
    await cleanup();
  }
});

test('preview masks numbers in diagnostics', () => {
  const diagnostics = [makeDiagnostic('phone-duplicate', '41793026727 is listed more than once', { file: 'specs/a.csv', line: 2 }, { severity: 'warning', hint: 'remove 41793026727' })];
  const page = renderPreviewPage({ plan: { ...emptyPlan(), diagnostics }, diagnostics });
  assert.match(page, /417\*\*\*\*6727 is listed more than once/);
  assert.not.match(page, /41793026727/);
});

test('the preview server masks numbers in the diagnostics it serves (page and JSON)', async () => {
  const server = await startPreviewServer({ port: 0, host: '127.0.0.1' });
  try {
    const diagnostics = [makeDiagnostic('phone-duplicate', '41793026727 is listed more than once', { file: 'specs/a.csv', line: 2 }, { severity: 'warning' })];
    server.update({ plan: { ...emptyPlan(), diagnostics }, diagnostics });
    for (const path of ['', 'api/preview']) {
      const body = await (await fetch(`${server.url}${path}`)).text();
      assert.match(body, /417\*\*\*\*6727/, path);
      assert.not.match(body, /41793026727/, path);
    }
  } finally {
    await server.close();
  }
});

test.run();
