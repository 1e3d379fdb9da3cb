// Content records: each distinct content kept once by hash, read back on both backends.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openPgStateStore } from '../../src/state/pg-state.js';
import { MIGRATIONS } from '../../src/state/pg-migrations.js';
import { parsePostgresTarget } from '../../src/state/state-target.js';
import type { JournalRecord } from '../../src/state/types.js';
import {
  adminQuery,
  postgresBackends,
  schemaOf,
  stateBackends,
  testEachBackend,
  withState,
} from '../helpers/state-backends.js';
import { inFlight } from './records.js';

const each = testEachBackend(test, await stateBackends());
const A = { messageId: 'id-a', spec: 's', phoneNumber: '41793026727', contentHash: 'h-1' };
const content = (hash: string, text: string): JournalRecord => ({
  v: 3,
  type: 'content',
  at: '2026-01-01T00:00:00.000Z',
  hash,
  content: { whatsApp: { text } },
});

each(
  'the state knows which contents it keeps and reads back those asked for, the first of a hash',
  (backend) =>
    withState(backend, async ({ store }) => {
      await store.append([
        content('h-1', 'one'),
        inFlight('B1', '2026-01-01T00:00:00.000Z', [A]),
        content('h-2', 'two'),
        content('h-1', 'later copy'),
      ]);
      const snap = await store.read();
      assert.equal([...snap.contents].sort(), ['h-1', 'h-2']);
      assert.is(snap.messages.get('id-a')?.contentHash, 'h-1');
      assert.is(snap.records, 4);
      const found = await store.readContents(new Set(['h-1', 'h-3']));
      assert.equal([...found], [['h-1', { content: { whatsApp: { text: 'one' } } }]]);
      assert.equal(await store.readContents(new Set()), new Map());
    }),
);

each('a content record of another shape, or larger than waspec keeps, is a bad record', (backend) =>
  withState(backend, async ({ store }) => {
    const big = {
      v: 3,
      type: 'content',
      at: '2026-01-01T00:00:00.000Z',
      hash: 'h-big',
      content: { whatsApp: { templateData: Array.from({ length: 5 }, () => 'y'.repeat(4000)) } },
    };
    const odd = {
      v: 3,
      type: 'content',
      at: '2026-01-01T00:00:00.000Z',
      hash: 'h-odd',
      content: { whatsApp: { text: 7 } },
    };
    if (backend.name === 'file') {
      await store.append([content('h-1', 'one')]);
      await appendFile(
        join(store.location, 'journal.ndjson'),
        `${JSON.stringify(big)}\n${JSON.stringify(odd)}\n`,
      );
      const snap = await store.read();
      assert.equal(
        snap.diagnostics.map((d) => `${d.code} ${String(d.line)} ${d.message}`),
        [
          'state-record-invalid 2 line 3 of the state journal is not a valid record: content holds more than the 16384 characters waspec stores',
          'state-record-invalid 3 line 4 of the state journal is not a valid record: content.whatsApp.text must be string',
        ],
      );
      assert.equal([...snap.contents], ['h-1']);
      assert.equal(
        [...(await store.readContents(new Set(['h-big', 'h-odd', 'h-1'])))].map(([h]) => h),
        ['h-1'],
      );
    } else {
      // Rows are written by waspec only; one that is not a record stops the read with a StateError.
      await store.append([big as JournalRecord]);
      await store.read().then(
        () => assert.unreachable('read a bad row'),
        (error: unknown) => assert.match(String(error), /not a journal record/),
      );
    }
  }),
);

for (const backend of await postgresBackends()) {
  test('[postgres] a state of schema version 1 is upgraded by the first write: contents get their index', () =>
    withState(backend, async (state) => {
      const url = state.url ?? '';
      const schema = state.schema ?? '';
      // What an earlier waspec made: version 1 only.
      await adminQuery(`CREATE SCHEMA "${schema}"`);
      await adminQuery(
        `CREATE TABLE "${schema}".schema_version (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), applied_by text NOT NULL)`,
      );
      await adminQuery((MIGRATIONS[0]?.sql ?? '').replaceAll('$schema', `"${schema}"`));
      await adminQuery(
        `INSERT INTO "${schema}".schema_version (version, description, applied_by) VALUES (1, 'v1', 'test')`,
      );
      const reader = openPgStateStore(parsePostgresTarget(url, 'test'));
      try {
        assert.equal(
          await reader.readContents(new Set(['h-1'])),
          new Map(),
          'a version 1 state is read as it is',
        );
        await state.store.append([content('h-1', 'one')]);
        const versions = await adminQuery<{ version: number }>(
          `SELECT version FROM "${schema}".schema_version ORDER BY version`,
        );
        assert.equal(
          versions.rows.map((r) => r.version),
          MIGRATIONS.map((m) => m.version),
          "every step up to this waspec's",
        );
        const index = await adminQuery(
          `SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND indexname = 'journal_content_hash'`,
          [schema],
        );
        assert.is(index.rowCount, 1);
        assert.equal(
          [...(await reader.readContents(new Set(['h-1'])))].map(([h]) => h),
          ['h-1'],
        );
      } finally {
        await reader.close();
      }
    }));

  test('[postgres] a content record goes in with its in-flight record, in one statement', () =>
    withState(backend, async (state) => {
      await state.store.append([
        content('h-1', 'one'),
        inFlight('B1', '2026-01-01T00:00:00.000Z', [A]),
      ]);
      const rows = await adminQuery<{ type: string; xmin: string }>(
        `SELECT type, xmin::text AS xmin FROM "${schemaOf(state)}".journal ORDER BY id`,
      );
      assert.equal(
        rows.rows.map((r) => r.type),
        ['content', 'in-flight'],
      );
      assert.is(rows.rows[0]?.xmin, rows.rows[1]?.xmin, 'one transaction');
    }));
}

test.run();
