import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  EMULATOR_DEFAULTS,
  startEmulator,
  type RunningEmulator,
} from '../../src/emulator/server.js';
import type { JournalRecord, StateBackend } from '../../src/state/types.js';
import { makeWorkspace, runCli } from '../helpers/cli.js';
import { swissNumbers } from '../helpers/specs.js';
import {
  adminQuery,
  postgresBackends,
  readRecords,
  schemaOf,
  stateBackends,
  testEachBackend,
  withState,
  type Backend,
  type FreshState,
} from '../helpers/state-backends.js';

const each = testEachBackend(test, await stateBackends());

const phones = swissNumbers(5);
/** Two specs: one text for everyone (one content), one that quotes each recipient's own number. */
const files = (notice: string, personal: string, recipients = phones.slice(0, 3)) => ({
  'specs/notice.yaml': `name: notice\nrevision: 1\nbatchSize: 1\nwhatsApp:\n  text: "${notice}"\nrecipients:\n  - file: notice.csv\n`,
  'specs/notice.csv': `phoneNumber\n${recipients.join('\n')}\n`,
  'specs/personal.yaml': `name: personal\nrevision: 1\nwhatsApp:\n  text: "${personal}"\nrecipients:\n${phones
    .slice(0, 2)
    .map(
      (p, i) =>
        `  - { phoneNumber: "${p}", vars: { name: "P${i}", own: "${p}", spaced: "+${p.slice(0, 2)} ${p.slice(2, 4)} ${p.slice(4, 7)} ${p.slice(7, 9)} ${p.slice(9)}" } }`,
    )
    .join('\n')}\n`,
});
const NOTICE = 'Our store opens at 9 on Monday.';
const PERSONAL = 'Hi {{name}}, we have {{own}} and {{spaced}} on file.';

interface Ctx {
  dir: string;
  env: NodeJS.ProcessEnv;
  state: FreshState;
  emulator: RunningEmulator;
}

async function withWorkspace(backend: Backend, fn: (ctx: Ctx) => Promise<void>): Promise<void> {
  const { dir, cleanup } = await makeWorkspace(files(NOTICE, PERSONAL));
  const state = await backend.fresh(dir);
  const emulator = await startEmulator();
  const env = {
    ...state.env,
    WASPEC_BASE_URL: emulator.url,
    WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
    WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
  };
  try {
    await fn({ dir, env, state, emulator });
  } finally {
    await emulator.close();
    await state.cleanup();
    await cleanup();
  }
}

async function apply(ctx: Ctx): Promise<void> {
  const run = await runCli(['apply', '--yes', '--concurrency', '1'], {
    cwd: ctx.dir,
    env: ctx.env,
  });
  assert.is(run.code, 0, run.stderr);
}

const messageRecords = (records: readonly JournalRecord[]) =>
  records.filter((r): r is Extract<JournalRecord, { type: 'message' }> => r.type === 'message');

async function readAll(state: FreshState): Promise<JournalRecord[]> {
  const store: StateBackend = state.reopen();
  try {
    return await readRecords(store);
  } finally {
    await store.close();
  }
}

each(
  "apply keeps each spec's message as written once, with the first request of the spec, and no rendered text",
  (backend) =>
    withWorkspace(backend, async (ctx) => {
      await apply(ctx);
      const records = await readAll(ctx.state);
      const written = messageRecords(records);
      const inFlight = records.filter((r) => r.type === 'in-flight');
      assert.is(
        inFlight.length,
        3 + 2,
        'notice: a request per recipient (batchSize 1); personal: one per content',
      );
      assert.is(written.length, 2, 'one per spec: its message as written');
      assert.is(records.filter((r) => r.type === 'content').length, 0, 'no rendered text');
      for (const c of written) {
        const at = records.indexOf(c);
        const next = records[at + 1];
        assert.ok(
          next?.type === 'in-flight' && next.messages[0]?.writtenHash === c.hash,
          'written just before the in-flight record of its first request',
        );
      }
      const text = JSON.stringify(records);
      for (const phone of phones) {
        assert.not.ok(text.includes(phone), `${phone} is in the state`);
        assert.not.ok(text.includes(phone.slice(4)), `the last digits of ${phone} are there`);
      }
      assert.not.match(text, /P0|P1/);
      assert.match(
        JSON.stringify(written),
        /Hi \{\{name\}\}, we have \{\{own\}\} and \{\{spaced\}\} on file/,
      );

      // More recipients of a message the state keeps, and a run with nothing to send: no new record.
      await appendFile(join(ctx.dir, 'specs/notice.csv'), `${phones[3] ?? ''}\n`);
      await apply(ctx);
      await apply(ctx);
      assert.is(messageRecords(await readAll(ctx.state)).length, 2);
    }),
);

each(
  'a changed text: plan shows drift as old → new with the changed words marked, in every format',
  (backend) =>
    withWorkspace(backend, async (ctx) => {
      await apply(ctx);
      for (const [name, text] of Object.entries(
        files(
          'Our store opens at 10 on Monday.',
          'Hello {{name}}, we have {{own}} and {{spaced}} on file.',
        ),
      ))
        await writeFile(join(ctx.dir, name), text);
      const pretty = await runCli(['plan'], { cwd: ctx.dir, env: ctx.env });
      assert.match(
        pretty.stdout,
        /~ text │ Our store opens at \[-9-\] on Monday\. → Our store opens at \{\+10\+\} on Monday\./,
      );
      // The personal spec: one diff of its message as written, for both recipients.
      assert.match(
        pretty.stdout,
        /the message as written changed since it was accepted \(2 recipients\)/,
      );
      assert.match(pretty.stdout, /~ text │ - \[-Hi-\] \{\{name\}\}, we have \{\{own\}\} and/);
      assert.match(pretty.stdout, /│ \+ \{\+Hello\+\} \{\{name\}\}, we have/);
      assert.not.match(pretty.stdout, /earlier content unknown/);
      const markdown = await runCli(['plan', '--format', 'markdown'], {
        cwd: ctx.dir,
        env: ctx.env,
      });
      assert.match(
        markdown.stdout,
        /\| &#126; \| text \| Our store opens at <del>9<\/del> on Monday\. \| Our store opens at <ins>10<\/ins> on Monday\. \|/,
      );
      const html = await runCli(['plan', '--format', 'html'], { cwd: ctx.dir, env: ctx.env });
      assert.match(
        html.stdout,
        /<div class="diff-before">.*Our store opens at <del>9<\/del> on Monday\./,
      );
      assert.match(
        html.stdout,
        /<div class="diff-after">.*Our store opens at <ins>10<\/ins> on Monday\./,
      );
      // The diffs quote no number (a bubble shows the message as it is sent: that is not masked).
      const diffs = [
        ...markdown.stdout.split('\n').filter((l) => l.startsWith('| &#126; |')),
        ...(html.stdout.match(/<div class="diff">.*?<\/div><\/div><\/div>/g) ?? []),
      ];
      assert.is(
        diffs.filter((d) => d.startsWith('| &#126; |')).length,
        2,
        'one diff per spec in markdown',
      );
      assert.match(html.stdout, /The message as written changed since it was accepted/);
      for (const diff of diffs)
        for (const phone of phones) assert.not.ok(diff.includes(phone), diff);
      const json = JSON.parse(
        (await runCli(['plan', '--format', 'json'], { cwd: ctx.dir, env: ctx.env })).stdout,
      ) as { summary: { drift: number }; previousContents: Record<string, unknown> };
      assert.is(json.summary.drift, 5);
      assert.is(Object.keys(json.previousContents).length, 2);
    }),
);

each(
  'a journal from before messages as written were kept still plans: the drift says its earlier content is unknown',
  (backend) =>
    withWorkspace(backend, async (ctx) => {
      await apply(ctx);
      // What an older waspec left: the same journal without messages as written.
      if (backend.name === 'file') {
        const journal = join(ctx.dir, '.waspec/journal.ndjson');
        const lines = (await readFile(journal, 'utf8'))
          .split('\n')
          .filter((l) => !l.includes('"type":"message"'))
          .map((l) => l.replace(/,"writtenHash":"[0-9a-f]+"/g, ''));
        await writeFile(journal, lines.join('\n'));
      } else {
        const journal = `"${schemaOf(ctx.state)}".journal`;
        await adminQuery(`DELETE FROM ${journal} WHERE type = 'message'`);
        await adminQuery(
          `UPDATE ${journal} SET record = jsonb_set(record, '{messages}', (SELECT jsonb_agg(m - 'writtenHash') FROM jsonb_array_elements(record->'messages') m)) WHERE type = 'in-flight'`,
        );
      }
      assert.is(messageRecords(await readAll(ctx.state)).length, 0);
      await writeFile(
        join(ctx.dir, 'specs/notice.yaml'),
        files('Opening at 10.', PERSONAL)['specs/notice.yaml'],
      );
      const plan = await runCli(['plan'], { cwd: ctx.dir, env: ctx.env });
      assert.is(plan.code, 0, plan.stderr);
      assert.match(plan.stdout, /~ drift · 3 recipients/);
      assert.match(
        plan.stdout,
        /\(earlier content unknown: it was accepted before the state kept contents\)/,
      );
      // The next apply keeps the message as written it sends, though the state kept none before.
      await appendFile(join(ctx.dir, 'specs/notice.csv'), `${phones[4] ?? ''}\n`);
      await apply(ctx);
      assert.equal(
        messageRecords(await readAll(ctx.state)).map((c) => c.content.whatsApp.text),
        ['Opening at 10.'],
      );
    }),
);

for (const pg of await postgresBackends()) {
  test('[file → postgres] state migrate carries the contents: the drift diff is the same on the copy', async () => {
    const [file] = await stateBackends();
    await withWorkspace(file as Backend, async (ctx) => {
      await apply(ctx);
      await writeFile(
        join(ctx.dir, 'specs/notice.yaml'),
        files('Our store opens at 10 on Monday.', PERSONAL)['specs/notice.yaml'],
      );
      const before = await runCli(['plan'], { cwd: ctx.dir, env: ctx.env });
      assert.match(before.stdout, /\{\+10\+\}/);
      await withState(pg, async (target) => {
        const migrated = await runCli(
          ['state', 'migrate', '--to', target.url ?? '', '--to-workspace', target.workspace ?? ''],
          { cwd: ctx.dir, env: ctx.env },
        );
        assert.is(migrated.code, 0, migrated.stderr);
        const after = await runCli(['plan'], { cwd: ctx.dir, env: { ...ctx.env, ...target.env } });
        assert.is(after.stdout, before.stdout);
        const indexed = await adminQuery(
          `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname = 'journal_content_hash'`,
          [target.schema],
        );
        assert.is(indexed.rowCount, 1, 'the index of contents (schema version 2)');
      });
    });
  });
}

test.run();
