import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EMULATOR_DEFAULTS, startEmulator } from '../../src/emulator/server.js';
import { maskPhone } from '../../src/diagnostics/mask-phone.js';
import type { Plan } from '../../src/plan/types.js';
import { makeWorkspace, runCli } from '../helpers/cli.js';
import { swissNumbers } from '../helpers/specs.js';
import {
  schemaOf,
  stateBackends,
  testEachBackend,
  TEST_DATABASE_URL,
  type Backend,
} from '../helpers/state-backends.js';

const each = testEachBackend(test, await stateBackends());

const phones = swissNumbers(6);
const names = [
  'Anna Keller',
  'Bruno Meier',
  'Chiara Rossi',
  'Dario Weber',
  'Elif Yilmaz',
  'Fabienne Roth',
];
const codes = ['QX7341', 'QX8812', 'QX9034', 'QX1176', 'QX2250', 'QX3391'];
const csv = `phoneNumber,name,code\n${phones.map((p, i) => `${p},${names[i] ?? ''},${codes[i] ?? ''}`).join('\n')}\n`;
const spec = (until: string, name = 'promo') =>
  `name: ${name}\nrevision: 1\nbatchSize: 2\nwhatsApp:\n  text: "Hi {{name}}, your code is {{code}}. Valid until ${until}."\nrecipients:\n  - file: people.csv\n`;

/** Every personal value of the recipient file: none may be in the state. */
const personal = [...phones, ...names, ...names.map((n) => n.split(' ')[0] ?? n), ...codes];

async function stateText(backend: Backend['name'], dir: string, schema?: string): Promise<string> {
  if (backend === 'file') {
    const folder = join(dir, '.waspec');
    const files = await readdir(folder);
    const texts = await Promise.all(files.map((f) => readFile(join(folder, f), 'utf8')));
    return texts.join('\n');
  }
  // Every table of the schema, as pg_dump writes it.
  const { stdout } = await promisify(execFile)(
    'pg_dump',
    ['--data-only', `--schema=${schema ?? ''}`, TEST_DATABASE_URL],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

function assertNothingPersonal(text: string, where: string): void {
  for (const value of personal) assert.not.ok(text.includes(value), `${value} is in ${where}`);
}

each(
  'a personalised campaign: the state keeps no full number, name or code; plan, drift, state show by number, compact and migrate work',
  async (backend) => {
    const { dir, cleanup } = await makeWorkspace({
      'specs/promo.yaml': spec('31 August'),
      'specs/people.csv': csv,
    });
    const state = await backend.fresh(dir);
    const emulator = await startEmulator({ rejectNumbers: [phones[2] ?? ''] });
    const env = {
      ...state.env,
      WASPEC_BASE_URL: emulator.url,
      WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
      WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
    };
    const cli = (args: string[]) => runCli(args, { cwd: dir, env });
    try {
      const applied = await cli(['apply', '--yes']);
      assert.is(applied.code, 3, applied.stdout + applied.stderr);
      if (backend.name === 'postgres') {
        // Workers too: their request rows hold numbers only while the run is open.
        await writeFile(join(dir, 'specs/other.yaml'), spec('1 May', 'other'));
        const workers = await cli(['apply', '--yes', '--workers', '2', '--target', 'other']);
        assert.is(workers.code, 3, workers.stdout + workers.stderr);
      }
      const schema = backend.name === 'postgres' ? schemaOf(state) : undefined;
      const text = await stateText(backend.name, dir, schema);
      assert.ok(text.includes(maskPhone(phones[0] ?? '')), 'masked numbers are kept');
      assert.ok(
        text.includes('Hi {{name}}, your code is {{code}}'),
        'the message as written is kept',
      );
      assertNothingPersonal(text, 'the state');

      // Nothing changed: nothing to send, no drift.
      const same = await cli(['plan', '--detailed-exitcode', '--target', 'promo']);
      assert.is(same.code, 0, same.stdout + same.stderr);

      // One edit of the text: one diff of the message as written, for every accepted recipient.
      await writeFile(join(dir, 'specs/promo.yaml'), spec('15 September'));
      const drift = await cli(['plan', '--detailed-exitcode', '--target', 'promo']);
      assert.is(drift.code, 2, drift.stdout + drift.stderr);
      assert.match(
        drift.stdout,
        /the message as written changed since it was accepted \(5 recipients\)/,
      );
      assert.match(drift.stdout, /\[-31-\] \[-August-\]|\[-31 August-\]/);
      assert.match(drift.stdout, /\{\+15 September\+\}|\{\+15\+\} \{\+September\+\}/);
      assert.is(drift.stdout.split('changed since it was accepted').length - 1, 1, drift.stdout);
      const markdown = await cli(['plan', '--format', 'markdown', '--target', 'promo']);
      assert.match(
        markdown.stdout,
        /The message as written changed since it was accepted \(5 recipients\)/,
      );
      assert.match(markdown.stdout, /<del>31/);
      const json = JSON.parse(
        (await cli(['plan', '--format', 'json', '--target', 'promo'])).stdout,
      ) as Plan;
      assert.is(json.summary.drift, 5);

      // state show by phone number finds that recipient's messages by their messageIds.
      const shown = await cli(['state', 'show', `+${phones[1] ?? ''}`]);
      assert.is(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, /spec\s+promo/);
      assert.ok(shown.stdout.includes(maskPhone(phones[1] ?? '')));
      assert.not.ok(shown.stdout.includes(phones[1] ?? '-'), shown.stdout);
      const none = await cli(['state', 'show', '41790000000']);
      assert.is(none.code, 1);

      // Migrated into a file state: still nothing personal, same messages.
      const migrated = await cli(['state', 'migrate', '--to', 'copy']);
      assert.is(migrated.code, 0, migrated.stdout + migrated.stderr);
      assertNothingPersonal(await readFile(join(dir, 'copy/journal.ndjson'), 'utf8'), 'the copy');
    } finally {
      await emulator.close();
      await state.cleanup();
      await cleanup();
    }
  },
);

each(
  'an older state (full numbers, rendered texts) is read, and state compact removes them',
  async (backend) => {
    const phone = phones[0] ?? '';
    const { dir, cleanup } = await makeWorkspace({
      'specs/promo.yaml': spec('31 August'),
      'specs/people.csv': `phoneNumber,name,code\n${phone},${names[0] ?? ''},${codes[0] ?? ''}\n`,
    });
    const state = await backend.fresh(dir);
    try {
      // As waspec wrote it before: the full number, and the rendered text in a content record.
      const plan = JSON.parse(
        (await runCli(['plan', '--format', 'json'], { cwd: dir, env: state.env })).stdout,
      ) as Plan;
      const entry = plan.entries.at(0);
      assert.ok(entry && entry.action === 'send');
      const content = plan.contents[entry.contentHash];
      const at = '2026-01-01T00:00:00.000Z';
      await state.store.append([
        {
          v: 3,
          type: 'content',
          at,
          hash: entry.contentHash,
          content: content ?? { whatsApp: {} },
        },
        {
          v: 1,
          type: 'in-flight',
          at,
          bulkId: 'B1',
          messages: [
            {
              messageId: entry.messageId,
              spec: 'promo',
              revision: 1,
              phoneNumber: phone,
              maskedPhoneNumber: maskPhone(phone),
              contentHash: entry.contentHash,
            },
          ],
        },
        {
          v: 1,
          type: 'outcome',
          at,
          bulkId: 'B1',
          results: [{ messageId: entry.messageId, outcome: 'accepted' }],
        },
      ]);
      const before = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env: state.env });
      assert.is(before.code, 0, before.stdout + before.stderr);
      assert.match(before.stdout, /1 unchanged/);
      const compacted = await runCli(['state', 'compact'], { cwd: dir, env: state.env });
      assert.is(compacted.code, 0, compacted.stdout + compacted.stderr);
      assert.match(
        compacted.stdout,
        /full numbers removed from 1 in-flight records, 1 content records/,
      );
      const text = await stateText(
        backend.name,
        dir,
        backend.name === 'postgres' ? schemaOf(state) : undefined,
      );
      assertNothingPersonal(text, 'the compacted state');
      const after = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env: state.env });
      assert.is(after.code, 0, after.stdout + after.stderr);
      assert.match(after.stdout, /1 unchanged/);
      const again = await runCli(['state', 'compact'], { cwd: dir, env: state.env });
      assert.match(again.stdout, /Nothing to compact/);
    } finally {
      await state.cleanup();
      await cleanup();
    }
  },
);

test.run();
