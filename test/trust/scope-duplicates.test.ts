import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { messageIdFor } from '../../src/api/identity.js';
import type { Plan } from '../../src/plan/types.js';
import { watchWorkspace, type WatchRun } from '../../src/watch/watch-workspace.js';
import { inFlight, outcome } from '../state/records.js';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';

const spec = (name: string) =>
  `name: ${name}\nrevision: 1\nwhatsApp:\n  text: "Hi"\nrecipients:\n  - phoneNumber: "41793026727"\n`;

/** Both specs' messages accepted earlier. */
function journal(): string {
  const messages = ['reminder', 'promo'].map((s) => ({
    messageId: messageIdFor(s, 1, '41793026727'),
    spec: s,
    phoneNumber: '41793026727',
    contentHash: 'x',
  }));
  const records = [
    inFlight('b1', '2026-01-01T00:00:00.000Z', messages),
    outcome(
      'b1',
      '2026-01-01T00:00:01.000Z',
      messages.map((m) => ({ messageId: m.messageId, outcome: 'accepted' as const })),
    ),
  ];
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

test('plan of one spec file reports orphans of that spec only; a folder still reports every orphan', async () => {
  const ws = await makeWorkspace({
    'specs/reminder.yaml': spec('reminder'),
    'other/x.yaml': spec('x'),
    '.waspec/journal.ndjson': journal(),
  });
  try {
    const one = await runCli(['plan', 'specs/reminder.yaml', '--format', 'json'], { cwd: ws.dir });
    assertNoStackTrace(one);
    const plan = JSON.parse(one.stdout) as Plan;
    assert.is(plan.summary.orphan, 0, one.stdout);
    assert.not.match(one.stdout + one.stderr, /no longer in any spec file/);
    const folder = JSON.parse(
      (await runCli(['plan', 'specs', '--format', 'json'], { cwd: ws.dir })).stdout,
    ) as Plan;
    assert.equal(
      folder.entries.filter((e) => e.action === 'orphan').map((e) => e.spec),
      ['promo'],
    );
  } finally {
    await ws.cleanup();
  }
});

test('watch of one spec file reports no orphans of other specs', async () => {
  const ws = await makeWorkspace({
    'specs/reminder.yaml': spec('reminder'),
    '.waspec/journal.ndjson': journal(),
  });
  const before = process.cwd();
  process.chdir(ws.dir);
  try {
    const run = await new Promise<WatchRun>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no watch run')), 10000);
      const watcher = watchWorkspace(
        ['specs/reminder.yaml'],
        (r) => {
          clearTimeout(timer);
          void watcher.close().then(() => resolve(r));
        },
        { stateDir: join(ws.dir, '.waspec') },
      );
    });
    assert.is(run.plan?.summary.orphan, 0);
  } finally {
    process.chdir(before);
    await ws.cleanup();
  }
});

interface Json {
  valid: boolean;
  diagnostics: Array<{
    code: string;
    severity: string;
    file?: string;
    line?: number;
    message: string;
  }>;
}

test('a duplicated number: same vars is a warning naming the row kept; different vars is an error', async () => {
  const ws = await makeWorkspace({
    'specs/d.yaml':
      'name: d\nrevision: 1\nwhatsApp:\n  text: "Hi {{name}}"\nrecipients:\n  - file: people.csv\n  - { phoneNumber: "+41 79 302 67 27", vars: { name: Anna } }\n',
    'specs/people.csv':
      'phoneNumber,name\n41793026727,Anna\n447910000000,Ben\n0041793026727,Anna\n447910000000,Benjamin\n',
  });
  try {
    const r = await runCli(['validate', '--format', 'json'], { cwd: ws.dir });
    const result = JSON.parse(r.stdout) as Json;
    const dups = result.diagnostics.filter((d) => d.code.startsWith('phone-duplicate'));
    assert.equal(
      dups.map((d) => [d.code, d.severity, d.file, d.line]),
      [
        ['phone-duplicate', 'warning', 'specs/people.csv', 4],
        ['phone-duplicate-conflict', 'error', 'specs/people.csv', 5],
        ['phone-duplicate', 'warning', 'specs/d.yaml', 7],
      ],
    );
    assert.match(dups[0]?.message ?? '', /specs\/people\.csv:2 is kept/);
    assert.match(dups[0]?.message ?? '', /same vars/);
    assert.match(
      dups[1]?.message ?? '',
      /the vars differ from those of specs\/people\.csv:3, which is kept/,
    );
    assert.is(result.valid, false);
    await mkdir(join(ws.dir, 'ok'));
    await writeFile(
      join(ws.dir, 'ok/d.yaml'),
      'name: d\nrevision: 1\nwhatsApp:\n  text: "Hi"\nrecipients:\n  - phoneNumber: "41793026727"\n  - phoneNumber: "41793026727"\n',
    );
    const ok = JSON.parse(
      (await runCli(['validate', 'ok', '--format', 'json'], { cwd: ws.dir })).stdout,
    ) as Json;
    assert.is(ok.valid, true);
  } finally {
    await ws.cleanup();
  }
});

test.run();
