// The PostgreSQL state's suppression table: what plans read, what `waspec suppress` changes, and
// the digest that makes a saved plan stale. Skipped without a server (never under CI=true).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { buildPlan } from '../../src/plan/build-plan.js';
import { MIGRATIONS } from '../../src/state/pg-migrations.js';
import { openPgStateStore } from '../../src/state/pg-state.js';
import { parsePostgresTarget } from '../../src/state/state-target.js';
import type { SuppressionTable } from '../../src/suppressions/types.js';
import { makeWorkspace } from '../helpers/cli.js';
import { changeLines } from '../helpers/plan-changes.js';
import { adminQuery, postgresBackends, schemaOf, withState } from '../helpers/state-backends.js';
import { inFlight } from './records.js';

const [A, B, C] = ['41793026727', '41780000001', '41780000002'];

async function numbersOf(table: SuppressionTable): Promise<Record<string, string | undefined>> {
  const list = await table.read();
  return Object.fromEntries([...list.numbers].map(([n, why]) => [n, why.reason]));
}

for (const backend of await postgresBackends()) {
  test('[postgres] add, remove, list: per workspace, the first reason kept, the digest follows the numbers', () =>
    withState(backend, async (state) => {
      const table = state.store.suppressions as SuppressionTable;
      assert.ok(table, 'a PostgreSQL state has a suppression table');
      const empty = await table.digest();
      assert.is((await table.read()).digest, empty, 'no table yet: the empty list');
      assert.is(
        await table.add(
          [{ phoneNumber: A, reason: 'replied STOP' }, { phoneNumber: B }],
          'alice@host',
        ),
        2,
      );
      assert.is(
        await table.add(
          [
            { phoneNumber: A, reason: 'other' },
            { phoneNumber: C, reason: 'complaint' },
          ],
          'bob@host',
        ),
        1,
      );
      assert.equal(await numbersOf(table), {
        [A]: 'replied STOP',
        [B]: undefined,
        [C]: 'complaint',
      });
      const rows: string[] = [];
      assert.is(
        await table.list((r) =>
          rows.push(
            `${r.phoneNumber} ${r.addedBy} ${r.reason ?? '-'} ${String(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(r.addedAt))}`,
          ),
        ),
        3,
      );
      assert.equal(rows, [
        `${B} alice@host - true`,
        `${C} bob@host complaint true`,
        `${A} alice@host replied STOP true`,
      ]);
      const three = await table.digest();
      assert.is.not(three, empty);
      assert.is((await table.read()).digest, three, 'read and digest agree');
      assert.is(await table.add([{ phoneNumber: C }], 'x'), 0);
      assert.is(await table.digest(), three, 'adding a number already there changes nothing');

      // Another workspace of the same schema sees none of it.
      const other = openPgStateStore(parsePostgresTarget(state.url ?? '', 'other'));
      try {
        assert.equal(await numbersOf(other.suppressions as SuppressionTable), {});
      } finally {
        await other.close();
      }
      assert.equal(await table.remove([B, '41780000099']), [B]);
      assert.is.not(await table.digest(), three);
      assert.equal(Object.keys(await numbersOf(table)), [C, A]);
    }));

  test('[postgres] plan takes the table with the files; a saved plan is stale once a number is added', () =>
    withState(backend, async (state) => {
      const { dir, cleanup } = await makeWorkspace({
        'specs/promo.yaml': `name: promo\nrevision: 1\nwhatsApp:\n  text: "Sale"\nrecipients:\n${[A, B, C].map((p) => `  - { phoneNumber: "${p}" }`).join('\n')}\n`,
      });
      try {
        const table = state.store.suppressions as SuppressionTable;
        await table.add([{ phoneNumber: B, reason: 'replied STOP' }], 'alice@host');
        const plan = await buildPlan({ paths: [join(dir, 'specs')], store: state.store });
        assert.equal(
          plan.entries.map((e) => [e.phoneNumber, e.action]),
          [
            [A, 'send'],
            [B, 'suppressed'],
            [C, 'send'],
          ],
        );
        const held = plan.entries.at(1);
        assert.match(
          held && 'hold' in held ? held.hold.reason : '',
          /^replied STOP, \d{4}-\d\d-\d\d$/,
        );
        assert.equal(
          plan.inputs.suppressions?.map((s) => s.location),
          [`the suppression table of workspace test (schema ${schemaOf(state)})`],
        );
        assert.ok(
          !JSON.stringify(plan.inputs).includes(B),
          'the plan records a digest, not the numbers',
        );
        assert.equal(await changeLines(plan, state.store, { policy: {}, at: new Date() }), []);
        await table.add([{ phoneNumber: C }], 'bob@host');
        assert.equal(await changeLines(plan, state.reopen(), { policy: {}, at: new Date() }), [
          `suppression list changed since the plan was made: the suppression table of workspace test (schema ${schemaOf(state)})`,
        ]);
      } finally {
        await cleanup();
      }
    }));

  test('[postgres] a read-only role plans on a database whose tables predate the suppression table, and on one that has it', () =>
    withState(backend, async (state) => {
      // The tables as the first waspec with a PostgreSQL state left them (migration step 1 only).
      const [first] = MIGRATIONS;
      const schema = `"${schemaOf(state)}"`;
      await adminQuery(
        `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.schema_version (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), applied_by text NOT NULL)`,
      );
      await adminQuery(
        `${first?.sql.replaceAll('$schema', schema) ?? ''}; INSERT INTO ${schema}.schema_version (version, description, applied_by) VALUES (1, 'step 1', 'test')`,
      );
      const role = `ro_${schemaOf(state)}`;
      await adminQuery(`CREATE ROLE ${role} LOGIN`);
      const url = new URL(state.url ?? '');
      url.username = role;
      const reader = openPgStateStore(parsePostgresTarget(url.href, state.workspace ?? ''));
      try {
        const grant = `GRANT USAGE ON SCHEMA ${schema} TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role}`;
        await adminQuery(grant);
        const before = reader.suppressions as SuppressionTable;
        const empty = await before.read();
        assert.is(empty.numbers.size, 0);
        // The first write upgrades the tables; an empty table has the digest of no table, so plans made before stay fresh.
        await state.store.append([
          inFlight('B1', '2026-01-01T00:00:00.000Z', [
            { messageId: 'm', spec: 's', phoneNumber: A, contentHash: 'h' },
          ]),
        ]);
        assert.is(await (state.store.suppressions as SuppressionTable).digest(), empty.digest);
        await (state.store.suppressions as SuppressionTable).add(
          [{ phoneNumber: A, reason: 'replied STOP' }],
          'alice@host',
        );
        await adminQuery(grant);
        assert.equal(await numbersOf(before), { [A]: 'replied STOP' });
        const error = await before.add([{ phoneNumber: B }], 'ro').then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        assert.match(
          error?.message ?? '',
          /may not add to the suppression table \(permission denied/,
        );
      } finally {
        await reader.close();
        await adminQuery(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
      }
    }));
}

test.run();
