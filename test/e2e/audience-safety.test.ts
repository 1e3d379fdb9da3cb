// The audience guards through the built CLI against the emulator, the way a pipeline runs them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { messageIdFor } from '../../src/api/identity.js';
import { EMULATOR_DEFAULTS, startEmulator } from '../../src/emulator/server.js';
import { inFlight, outcome } from '../state/records.js';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';

const [A, B, C, D] = ['41793026727', '41780000001', '41780000002', '41780000003'];
const id = (phone: string) => messageIdFor('promo', 1, phone);
const journal = [
  inFlight('B1', '2026-01-01T00:00:00.000Z', [
    { messageId: id(B), spec: 'promo', phoneNumber: B, contentHash: 'x' },
  ]),
  outcome('B1', '2026-01-01T00:00:01.000Z', [
    { messageId: id(B), outcome: 'rejected', statusName: 'REJECTED_DESTINATION' },
  ]),
  inFlight('B2', '2026-01-01T00:00:00.000Z', [
    { messageId: id(C), spec: 'promo', phoneNumber: C, contentHash: 'x' },
  ]),
];

test('a suppressed number is never sent: not by a saved plan made before, not with --retry-rejected or --resend-in-doubt', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'specs/promo.yaml': `name: promo\nrevision: 1\nwhatsApp:\n  text: "Sale"\nrecipients:\n${[A, B, C, D].map((p) => `  - { phoneNumber: "${p}" }`).join('\n')}\n`,
    'waspec.config.yaml': 'suppressions: [lists/stop.csv]\n',
    'lists/stop.csv': 'phoneNumber,reason\n',
    '.waspec/journal.ndjson': journal.map((r) => JSON.stringify(r)).join('\n') + '\n',
  });
  const emulator = await startEmulator();
  const env = {
    WASPEC_BASE_URL: emulator.url,
    WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
    WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
  };
  try {
    const saved = await runCli(
      ['plan', '--retry-rejected', '--resend-in-doubt', '--out', 'plan.json'],
      { cwd: dir, env },
    );
    assert.is(saved.code, 0, saved.stderr);
    assert.match(saved.stdout, /Plan: 4 to send/);
    // B, C and D opt out after the plan was reviewed.
    await writeFile(
      join(dir, 'lists/stop.csv'),
      `phoneNumber,reason\n+41 78 000 00 01,replied STOP\n${C},complaint\n${D},\n`,
    );
    const stale = await runCli(['apply', 'plan.json'], { cwd: dir, env });
    assert.is(stale.code, 1);
    assert.match(stale.stderr, /suppression file edited since the plan was made: lists\/stop\.csv/);
    assert.is(emulator.stats().requests, 0);

    const plan = await runCli(['plan', '--retry-rejected', '--resend-in-doubt'], { cwd: dir, env });
    assert.match(plan.stdout, /Plan: 1 to send, .*3 suppressed/);
    assert.match(plan.stdout, /⊘ suppressed · 3 recipients · on the suppression list: never sent/);
    assert.match(
      plan.stdout,
      /41780000001 \(replied STOP\), 41780000002 \(complaint\), 41780000003 \(on the suppression list\)/,
    );
    const markdown = await runCli(['plan', '--format', 'markdown'], { cwd: dir, env });
    assert.match(markdown.stdout, /\| spec \| .*⊘ suppressed \| ⏸ capped \| ⏸ quiet hours \|/);

    const applied = await runCli(['apply', '--yes', '--retry-rejected', '--resend-in-doubt'], {
      cwd: dir,
      env,
    });
    assert.is(applied.code, 0, applied.stderr);
    assertNoStackTrace(applied);
    const sent = (await (await fetch(`${emulator.url}/_emulator/messages`)).json()) as Array<{
      phoneNumber: string;
    }>;
    assert.equal(
      sent.map((m) => m.phoneNumber),
      [A],
    );
  } finally {
    await emulator.close();
    await cleanup();
  }
});

test('--allow-large N: apply above maxRecipients is refused naming the spec and number, and goes through when N covers it', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'specs/promo.yaml': `name: promo\nrevision: 1\nmaxRecipients: 2\nwhatsApp:\n  text: "Sale"\nrecipients:\n${[A, B, C].map((p) => `  - { phoneNumber: "${p}" }`).join('\n')}\n`,
  });
  const emulator = await startEmulator();
  const env = {
    WASPEC_BASE_URL: emulator.url,
    WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
    WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
  };
  try {
    const refused = await runCli(['apply', '--yes'], { cwd: dir, env });
    assert.is(refused.code, 1);
    assert.match(refused.stderr, /spec promo would send 3 messages, over its limit of 2/);
    assert.match(refused.stderr, /--allow-large 3/);
    const tooFew = await runCli(['apply', '--yes', '--allow-large', '2'], { cwd: dir, env });
    assert.is(tooFew.code, 1);
    assert.is(emulator.stats().requests, 0);
    const saved = await runCli(['plan', '--allow-large', '3', '--out', 'plan.json'], {
      cwd: dir,
      env,
    });
    assert.is(saved.code, 0, saved.stderr);
    const flagOnSaved = await runCli(['apply', 'plan.json', '--allow-large', '5'], {
      cwd: dir,
      env,
    });
    assert.is(flagOnSaved.code, 1);
    assert.match(flagOnSaved.stderr, /--allow-large cannot change a saved plan/);
    const applied = await runCli(['apply', 'plan.json'], { cwd: dir, env });
    assert.is(applied.code, 0, applied.stderr);
    assert.is(emulator.stats().uniqueMessageIds, 3);
  } finally {
    await emulator.close();
    await cleanup();
  }
});

test.run();
