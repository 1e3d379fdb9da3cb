import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRandom } from '../../src/emulator/random.js';
import { startEmulator, type RequestLogEntry } from '../../src/emulator/server.js';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';
import { emulatorEnv } from '../helpers/emulator.js';
import { swissNumbers } from '../helpers/specs.js';
import {
  postgresBackends,
  stateBackends,
  testEachBackend,
  withState,
} from '../helpers/state-backends.js';

const each = testEachBackend(test, await stateBackends());
const eachPostgres = testEachBackend(test, await postgresBackends());

interface JsonEntry {
  action: string;
  messageId: string;
  spec: string;
  phoneNumber: string;
  seed?: true;
  stage?: string;
}

function entriesOf(stdout: string): JsonEntry[] {
  return (JSON.parse(stdout) as { entries: JsonEntry[] }).entries;
}

/** A spec of `recipients`, with seeds written inline (some national, CH) and some in a seed file. */
function seededSpec(
  name: string,
  recipients: readonly string[],
  seeds: readonly string[],
  options: { text?: string; batchSize?: number; inFile?: number; sampleFrom?: string } = {},
): Record<string, string> {
  const inFile = options.inFile ?? 0;
  const inline = seeds.slice(0, seeds.length - inFile);
  const filed = seeds.slice(seeds.length - inFile);
  const csv = ['phoneNumber,name', ...recipients.map((p, i) => `${p},Person ${i}`)].join('\n');
  const seedLines = [
    // National numbers with the seed's defaultCountry, international ones with +.
    ...inline.map((p, i) => (i % 2 === 0 ? `    - "0${p.slice(2)}"` : `    - "+${p}"`)),
    ...(filed.length > 0 ? [`    - file: ${name}-seeds.csv`] : []),
  ];
  return {
    [`specs/${name}.yaml`]: [
      `name: ${name}`,
      'revision: 1',
      `batchSize: ${options.batchSize ?? 5}`,
      'whatsApp:',
      `  text: "${options.text ?? 'Hello {{name}}'}"`,
      'recipients:',
      `  - file: ${name}.csv`,
      'seed:',
      '  defaultCountry: CH',
      ...(options.sampleFrom === undefined ? [] : [`  sampleFrom: "${options.sampleFrom}"`]),
      '  recipients:',
      ...seedLines,
      '',
    ].join('\n'),
    [`specs/${name}.csv`]: `${csv}\n`,
    ...(filed.length > 0
      ? { [`specs/${name}-seeds.csv`]: `phoneNumber\n${filed.map((p) => `+${p}`).join('\n')}\n` }
      : {}),
  };
}

/** Every request carrying a seed message was received before any request carrying another. */
function assertSeedsFirst(log: readonly RequestLogEntry[], seedIds: ReadonlySet<string>): void {
  const isSeedRequest = (e: RequestLogEntry) => e.messageIds.some((id) => seedIds.has(id));
  const mixed = log.filter((e) => isSeedRequest(e) && !e.messageIds.every((id) => seedIds.has(id)));
  assert.is(mixed.length, 0, 'a request holds seeds alone');
  const lastSeed = log.findLastIndex(isSeedRequest);
  const firstOther = log.findIndex((e) => !isSeedRequest(e) && e.messageIds.length > 0);
  if (lastSeed < 0 || firstOther < 0) return;
  assert.ok(
    lastSeed < firstOther,
    `the last seed request (#${lastSeed}) comes before the first other (#${firstOther})`,
  );
  const lastSeedEntry = log[lastSeed] as RequestLogEntry;
  const firstOtherEntry = log[firstOther] as RequestLogEntry;
  assert.ok(
    (lastSeedEntry.answeredAt ?? Infinity) <= firstOtherEntry.receivedAt,
    'every seed request was answered before another request arrived',
  );
}

each(
  'property: over random plans, every seed message reaches the emulator before any other message of the apply; an unchanged text sends no seed again, a changed one sends the seeds again (first)',
  async (backend) => {
    const random = createRandom(backend.name === 'file' ? 24 : 42);
    const pick = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    for (let trial = 0; trial < 2; trial++) {
      const specs = pick(1, 3);
      const files: Record<string, string> = {};
      let next = 2000000 + trial * 10000;
      for (let s = 0; s < specs; s++) {
        const recipients = swissNumbers(pick(1, 25), next);
        next += 1000;
        const seeds = swissNumbers(pick(1, 4), next);
        next += 1000;
        Object.assign(
          files,
          seededSpec(`spec-${s}`, recipients, seeds, {
            batchSize: pick(1, 6),
            inFile: pick(0, seeds.length),
            ...(random() < 0.5 ? { sampleFrom: `+${recipients.at(-1) ?? ''}` } : {}),
          }),
        );
      }
      const { dir, cleanup } = await makeWorkspace(files);
      const emulator = await startEmulator({ seed: trial + 1 });
      try {
        await withState(
          backend,
          async (state) => {
            const env = { ...state.env, ...emulatorEnv(emulator.url) };
            const concurrency = String(pick(1, 4));
            const apply = ['apply', '--yes', '--concurrency', concurrency];
            const planned = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
            assert.is(planned.code, 0, planned.stderr);
            const entries = entriesOf(planned.stdout);
            const seedIds = new Set(entries.filter((e) => e.seed).map((e) => e.messageId));
            assert.ok(seedIds.size > 0, 'the plan has seed entries');
            assert.ok(
              entries.filter((e) => e.seed).every((e) => e.stage === 'seed' && e.action === 'send'),
              'every seed entry is a send of stage seed',
            );
            const first = await runCli(apply, { cwd: dir, env });
            assert.is(first.code, 0, first.stdout + first.stderr);
            assertSeedsFirst(emulator.requestLog(), seedIds);
            assert.is(emulator.stats().accepted, entries.length, 'every message was sent once');

            // Nothing changed: nothing is sent, the seeds are unchanged.
            const again = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
            const kept = entriesOf(again.stdout);
            assert.ok(
              kept.every((e) => e.action === 'unchanged'),
              'an unchanged text sends nothing',
            );

            // A changed text: the seeds of that spec get it again, first; the recipients' are drift.
            const spec = join(dir, 'specs', 'spec-0.yaml');
            const text = (await import('node:fs/promises')).readFile(spec, 'utf8');
            await writeFile(spec, (await text).replace('Hello {{name}}', 'Hi {{name}}!'));
            const changed = entriesOf(
              (await runCli(['plan', '--format', 'json'], { cwd: dir, env })).stdout,
            );
            const resent = changed.filter((e) => e.action === 'send');
            assert.ok(resent.length > 0, 'the seeds get the new text');
            assert.ok(
              resent.every((e) => e.seed && e.spec === 'spec-0'),
              'only the seeds of the changed spec are sent again',
            );
            const before = emulator.requestLog().length;
            const second = await runCli(apply, { cwd: dir, env });
            assert.is(second.code, 0, second.stdout + second.stderr);
            const log = emulator.requestLog().slice(before);
            const sent = new Set(log.flatMap((e) => e.messageIds));
            assert.equal(sent, new Set(resent.map((e) => e.messageId)));
          },
          dir,
        );
      } finally {
        await emulator.close();
        await cleanup();
      }
    }
  },
);

each(
  'apply --seed-only sends exactly the seeds and says what to check; a later apply sends the rest (seeds unchanged); state show of a seed shows a test message',
  async (backend) => {
    const recipients = swissNumbers(12, 3000000);
    const seeds = swissNumbers(3, 3100000);
    const { dir, cleanup } = await makeWorkspace(
      seededSpec('promo', recipients, seeds, { inFile: 1 }),
    );
    const emulator = await startEmulator();
    try {
      await withState(
        backend,
        async (state) => {
          const env = { ...state.env, ...emulatorEnv(emulator.url) };
          const planned = entriesOf(
            (await runCli(['plan', '--format', 'json'], { cwd: dir, env })).stdout,
          );
          const seedIds = new Set(planned.filter((e) => e.seed).map((e) => e.messageId));
          assert.is(seedIds.size, 3);
          const only = await runCli(['apply', '--yes', '--seed-only'], { cwd: dir, env });
          assert.is(only.code, 0, only.stdout + only.stderr);
          assertNoStackTrace(only);
          assert.match(
            only.stderr,
            /Seeds only: 3 test messages to 3 seeds accepted; 12 messages to recipients wait/,
          );
          assert.match(only.stderr, /Check the message on the seed phones/);
          assert.match(only.stderr, /without --seed-only/);
          const sent = new Set(emulator.requestLog().flatMap((e) => e.messageIds));
          assert.equal(sent, seedIds, 'exactly the seeds were sent');

          // Again --seed-only: the seeds have this text; nothing is sent.
          const twice = await runCli(['apply', '--yes', '--seed-only'], { cwd: dir, env });
          assert.is(twice.code, 0, twice.stderr);
          assert.match(twice.stderr, /the seeds already have this text \(nothing sent\)/);
          assert.is(emulator.stats().accepted, 3);

          const rest = await runCli(['apply', '--yes'], { cwd: dir, env });
          assert.is(rest.code, 0, rest.stdout + rest.stderr);
          assert.is(emulator.stats().accepted, 15, 'the rest, and no seed twice');
          const after = entriesOf(
            (await runCli(['plan', '--format', 'json'], { cwd: dir, env })).stdout,
          );
          assert.ok(after.every((e) => e.action === 'unchanged'));
          assert.is(after.filter((e) => e.seed).length, 3, 'the seeds are unchanged');

          const show = await runCli(['state', 'show', `+${seeds[0] ?? ''}`], { cwd: dir, env });
          assert.is(show.code, 0, show.stderr);
          assert.match(show.stdout, /kind +test message \(a seed of the spec\)/);
          assert.match(show.stdout, /outcome +accepted/);
        },
        dir,
      );
    } finally {
      await emulator.close();
      await cleanup();
    }
  },
);

eachPostgres(
  'apply --workers: every seed message reaches the emulator before any other, whichever worker claims it',
  async (backend) => {
    const recipients = swissNumbers(60, 4000000);
    const seeds = swissNumbers(4, 4100000);
    const { dir, cleanup } = await makeWorkspace(
      seededSpec('promo', recipients, seeds, { batchSize: 2 }),
    );
    const emulator = await startEmulator();
    try {
      await withState(
        backend,
        async (state) => {
          const env = { ...state.env, ...emulatorEnv(emulator.url) };
          const planned = entriesOf(
            (await runCli(['plan', '--format', 'json'], { cwd: dir, env })).stdout,
          );
          const seedIds = new Set(planned.filter((e) => e.seed).map((e) => e.messageId));
          const apply = await runCli(['apply', '--yes', '--workers', '3', '--concurrency', '3'], {
            cwd: dir,
            env,
          });
          assert.is(apply.code, 0, apply.stdout + apply.stderr);
          assertSeedsFirst(emulator.requestLog(), seedIds);
          assert.is(emulator.stats().accepted, 64);
        },
        dir,
      );
    } finally {
      await emulator.close();
      await cleanup();
    }
  },
);

test('bad seed inputs: clear diagnostics with file:line:column, nothing compiled', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'specs/promo.yaml': [
      'name: promo',
      'revision: 1',
      'whatsApp:',
      '  text: "Hello {{name}}"',
      'recipients:',
      '  - { phoneNumber: "+41793026727", vars: { name: Anna } }',
      'seed:',
      '  sampleFrom: "+41 79 000 00 00"',
      '  recipients:',
      '    - "12"',
      '    - +41791112233',
      '    - file: seeds.csv',
      '    - file: .hidden.csv',
      '',
    ].join('\n'),
    'specs/seeds.csv': 'phoneNumber\n+41791112234\nnot a number\n',
    'specs/.hidden.csv': 'phoneNumber\n+41791112235\n',
  });
  try {
    const result = await runCli(['validate', 'specs/'], { cwd: dir });
    assertNoStackTrace(result);
    assert.is(result.code, 1, result.stdout + result.stderr);
    const out = result.stdout + result.stderr;
    assert.match(
      out,
      /specs\/promo\.yaml:11:7 +error +the seed number \+41791112233 is written as a number +\[phone-unquoted\]/,
    );
    // An unquoted number stops the spec before its seeds are read; fix it and read on.
    await writeFile(
      join(dir, 'specs/promo.yaml'),
      (
        await (await import('node:fs/promises')).readFile(join(dir, 'specs/promo.yaml'), 'utf8')
      ).replace('- +41791112233', '- "+41791112233"'),
    );
    const second = await runCli(['validate', 'specs/'], { cwd: dir });
    assertNoStackTrace(second);
    assert.is(second.code, 1);
    const text = second.stdout + second.stderr;
    assert.match(
      text,
      /specs\/promo\.yaml:10:7 +error +the seed '12' is not a valid phone number of CH|specs\/promo\.yaml:10:7 +error +the seed '12' is not a valid international phone number/,
    );
    assert.match(
      text,
      /specs\/seeds\.csv:3:1 +error +'not a number' is not a valid international phone number +\[phone-invalid\]/,
    );
    assert.match(
      text,
      /specs\/promo\.yaml:13:13 +error +recipient file \.hidden\.csv is hidden .* +\[file-hidden\]/,
    );
    assert.match(
      text,
      /specs\/promo\.yaml:8:15 +error +seed\.sampleFrom '\+41 79 000 00 00' names no recipient of promo whose message compiles +\[seed-sample-not-found\]/,
    );
  } finally {
    await cleanup();
  }
});

test("the config's seed: applies to every spec without its own; a spec's replaces it; a bad config seed is named at its line", async () => {
  const { dir, cleanup } = await makeWorkspace({
    'waspec.config.yaml': [
      'seed:',
      '  recipients:',
      '    - "+41 79 111 22 33"',
      '    - file: seeds/team.csv',
      '',
    ].join('\n'),
    'seeds/team.csv': 'phoneNumber\n+41791112234\n',
    'specs/a.yaml':
      'name: a\nrevision: 1\nwhatsApp:\n  text: "Hi"\nrecipients:\n  - { phoneNumber: "+41793026727" }\n',
    'specs/b.yaml':
      'name: b\nrevision: 1\nwhatsApp:\n  text: "Hi"\nrecipients:\n  - { phoneNumber: "+41793026727" }\nseed:\n  recipients: []\n',
  });
  try {
    const env = { WASPEC_STATE_DIR: join(dir, '.waspec') };
    const plan = await runCli(['plan', '--format', 'json'], { cwd: dir, env });
    assert.is(plan.code, 0, plan.stderr);
    const parsed = JSON.parse(plan.stdout) as {
      entries: JsonEntry[];
      summary: { seeds?: number };
      inputs: { files: Array<{ path: string; kind: string }> };
    };
    const seeds = parsed.entries.filter((e) => e.seed);
    assert.equal(seeds.map((e) => `${e.spec} ${e.phoneNumber}`).sort(), [
      'a 41791112233',
      'a 41791112234',
    ]);
    assert.is(parsed.summary.seeds, 2);
    assert.ok(
      parsed.inputs.files.some((f) => f.path === 'seeds/team.csv' && f.kind === 'recipients'),
      'the seed file is an input of the plan (its digest checked by apply of a saved plan)',
    );
    const pretty = await runCli(['plan'], { cwd: dir, env });
    assert.match(pretty.stdout, /Stages: seed 2 → canary 0 → rest 2/);
    assert.match(pretty.stdout, /\+ send · 2 seeds \(test messages\)/);
    const markdown = await runCli(['plan', '--format', 'markdown'], { cwd: dir, env });
    assert.match(markdown.stdout, /\*\*Stages: seed 2 → canary 0 → rest 2\*\*/);

    await writeFile(join(dir, 'waspec.config.yaml'), 'seed:\n  recipients:\n    - "abc"\n');
    const bad = await runCli(['validate', 'specs/'], { cwd: dir, env });
    assert.is(bad.code, 1);
    assert.match(
      bad.stdout + bad.stderr,
      /waspec\.config\.yaml:3:7 +error +the seed 'abc' is not a valid international phone number +\[phone-invalid\]/,
    );
  } finally {
    await cleanup();
  }
});

test.run();
