import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LockHeldError, StateError, WaspecError } from '../../src/errors.js';
import { describePgError } from '../../src/state/pg-errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/state/pg-migrations.js';
import { openPgStateStore } from '../../src/state/pg-state.js';
import { parsePostgresTarget } from '../../src/state/state-target.js';
import {
  adminQuery,
  freshSchemaName,
  postgresBackends,
  schemaOf,
  testUrl,
  TEST_DATABASE_URL,
  withState,
} from '../helpers/state-backends.js';
import { inFlight, outcome } from './records.js';

const A = { messageId: 'id-a', spec: 's', phoneNumber: '41793026727', contentHash: 'h1' };

async function failure(promise: Promise<unknown>): Promise<WaspecError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, WaspecError);
    return error as WaspecError;
  }
  throw new Error('it did not fail');
}

test('a URL with a password: the display form and every message leave it out', () => {
  const target = parsePostgresTarget(
    'postgres://app:Pa55-w0rd-x@db.example:5433/state?schema=acme&sslmode=require',
    'prod',
  );
  assert.is(target.schema, 'acme');
  assert.is(target.password, 'Pa55-w0rd-x');
  assert.not.ok(target.display.includes('Pa55'));
  assert.match(
    target.display,
    /postgres:\/\/app@db\.example:5433\/state\?sslmode=require \(schema acme, workspace prod\)/,
  );
  assert.not.ok(
    target.connectionString.includes('schema='),
    "waspec's own parameter is not passed to the driver",
  );
  const bad = describePgError(
    Object.assign(new Error('password authentication failed for user "app" Pa55-w0rd-x'), {
      code: '28P01',
    }),
    target.display,
    target.password,
    'connect',
  );
  assert.not.ok(bad.message.includes('Pa55'));
  assert.match(bad.hint ?? '', /PGPASSWORD/);
  for (const [url, why] of [
    ['postgres://[nope', /not a valid URL/],
    ['postgres://h/db?schema=Bad-Name', /schema name/],
  ] as const) {
    try {
      parsePostgresTarget(url, 'w');
      assert.unreachable(url);
    } catch (error) {
      assert.instance(error, StateError);
      assert.match((error as Error).message, why);
    }
  }
  assert.throws(() => parsePostgresTarget('postgres://h/db', 'bad workspace!'), /workspace name/);
});

for (const backend of await postgresBackends()) {
  test('[postgres] plan reads a database without waspec tables as empty and creates nothing', async () => {
    const schema = freshSchemaName();
    const store = openPgStateStore(parsePostgresTarget(testUrl(schema), 'w'));
    try {
      const snap = await store.read();
      assert.is(snap.messages.size, 0);
      const found = await adminQuery('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      assert.is(found.rowCount, 0, 'a read creates no schema');
      const writer = openPgStateStore(parsePostgresTarget(testUrl(schema), 'w'));
      await writer.append([inFlight('B1', '2026-01-01T00:00:00.000Z', [A])]);
      await writer.close();
      assert.is((await store.read()).records, 1, 'the reader sees the tables another process made');
    } finally {
      await store.close();
      await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });

  test('[postgres] tables are created by the first write, under a lock, once, with their version', async () => {
    const schema = freshSchemaName();
    const url = testUrl(schema);
    const stores = Array.from({ length: 5 }, (_, i) =>
      openPgStateStore(parsePostgresTarget(url, `w${i}`)),
    );
    try {
      await Promise.all(
        stores.map((s, i) => s.append([inFlight(`B${i}`, '2026-01-01T00:00:00.000Z', [A])])),
      );
      const versions = await adminQuery<{ version: number }>(
        `SELECT version FROM "${schema}".schema_version ORDER BY version`,
      );
      assert.equal(
        versions.rows.map((r) => r.version),
        MIGRATIONS.map((m) => m.version),
      );
      for (const s of stores) assert.is((await s.read()).records, 1);
    } finally {
      for (const s of stores) await s.close();
      await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });

  test('[postgres] a database written by a newer waspec is refused, for reading and writing', () =>
    withState(backend, async (state) => {
      await state.store.append([inFlight('B1', '2026-01-01T00:00:00.000Z', [A])]);
      await adminQuery(
        `INSERT INTO "${schemaOf(state)}".schema_version (version, description, applied_by) VALUES ($1, 'future', 'test')`,
        [SCHEMA_VERSION + 1],
      );
      for (const run of [
        (s: ReturnType<typeof state.reopen>) => s.read(),
        (s: ReturnType<typeof state.reopen>) => s.append([]),
      ]) {
        const error = await failure(run(state.reopen()).then(() => state.reopen().lock()));
        assert.match(
          error.message,
          new RegExp(
            `schema version ${SCHEMA_VERSION + 1}, newer than this waspec knows \\(${SCHEMA_VERSION}\\)`,
          ),
        );
        assert.match(error.hint ?? '', /Upgrade waspec/);
      }
    }));

  test('[postgres] two workspaces in one database do not see each other', () =>
    withState(backend, async (state) => {
      const other = openPgStateStore(parsePostgresTarget(state.url ?? '', 'elsewhere'));
      try {
        await state.store.append([inFlight('B1', '2026-01-01T00:00:00.000Z', [A])]);
        await other.append([
          inFlight('B2', '2026-01-01T00:00:00.000Z', [{ ...A, messageId: 'id-other' }]),
        ]);
        assert.equal([...(await state.store.read()).messages.keys()], ['id-a']);
        assert.equal([...(await other.read()).messages.keys()], ['id-other']);
        const lock = await state.store.lock();
        const otherLock = await other.lock(); // a lock per workspace
        await otherLock.release();
        await lock.release();
      } finally {
        await other.close();
      }
    }));

  test('[postgres] the lock dies with its session: terminated, the next apply takes it; the old store stops', () =>
    withState(backend, async (state) => {
      const lock = await state.store.lock();
      const holder = await adminQuery<{ backend_pid: number }>(
        `SELECT backend_pid FROM "${schemaOf(state)}".lock_holder WHERE workspace = $1`,
        [state.workspace],
      );
      const pid = holder.rows[0]?.backend_pid;
      assert.ok(pid, 'the holder row names the session');
      await adminQuery('SELECT pg_terminate_backend($1)', [pid]);
      const next = state.reopen();
      const taken = await next.lock();
      assert.is(taken.info.pid, process.pid);
      const lost = await failure(
        state.store.append([inFlight('B1', '2026-01-01T00:00:00.000Z', [A])]),
      );
      assert.is(lost.code, 'state-lost');
      assert.is(lost.exitCode, 4);
      assert.match(lost.message, /Lost the connection to the state database/);
      await lock.release(); // harmless: the server dropped it already
      await taken.release();
      assert.is((await next.read()).records, 0, 'nothing was written after the loss');
    }));

  test('[postgres] a held lock whose holder row is not written yet still refuses', () =>
    withState(backend, async (state) => {
      const lock = await state.store.lock();
      await adminQuery(`DELETE FROM "${schemaOf(state)}".lock_holder`);
      const error = await failure(state.reopen().lock());
      assert.instance(error, LockHeldError);
      assert.match(error.message, /locked by another waspec \(database session \d+\)/);
      await lock.release();
    }));

  test('[postgres] a read-only role can plan but not write; the error names the grant', () =>
    withState(backend, async (state) => {
      await state.store.append([
        inFlight('B1', '2026-01-01T00:00:00.000Z', [A]),
        outcome('B1', '2026-01-01T00:00:01.000Z', [{ messageId: 'id-a', outcome: 'accepted' }]),
      ]);
      const role = `ro_${schemaOf(state)}`;
      await adminQuery(`CREATE ROLE ${role} LOGIN`);
      try {
        await adminQuery(
          `GRANT USAGE ON SCHEMA "${schemaOf(state)}" TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA "${schemaOf(state)}" TO ${role}`,
        );
        const url = new URL(state.url ?? '');
        url.username = role;
        const reader = openPgStateStore(parsePostgresTarget(url.href, state.workspace ?? ''));
        try {
          assert.is((await reader.read()).messages.get('id-a')?.outcome, 'accepted');
          const error = await failure(
            reader.append([inFlight('B2', '2026-01-01T00:00:00.000Z', [A])]),
          );
          assert.match(error.message, /may not record in the state \(permission denied/);
          assert.match(error.hint ?? '', /state-tables/);
        } finally {
          await reader.close();
        }
      } finally {
        await adminQuery(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
      }
    }));

  test('[postgres] refused connection and a missing database: one line, a hint, no password', async () => {
    const refused = openPgStateStore(
      parsePostgresTarget('postgres://u:Secr3t-pw@127.0.0.1:1/db', 'w'),
    );
    const e1 = await failure(refused.read());
    assert.match(
      e1.message,
      /Cannot reach the state database postgres:\/\/u@127\.0\.0\.1:1\/db .*ECONNREFUSED/,
    );
    assert.not.ok(e1.message.includes('Secr3t'));
    assert.match(e1.hint ?? '', /pg_isready/);
    const missingDb = new URL(TEST_DATABASE_URL);
    missingDb.pathname = '/waspec_no_such_db';
    const e2 = await failure(openPgStateStore(parsePostgresTarget(missingDb.href, 'w')).read());
    assert.match(e2.message, /does not exist/);
    assert.ok(!e2.message.includes('\n'));
  });
}

test.run();
