import type { ClientBase } from 'pg';
import { StateError } from '../errors.js';
import { advisoryKey } from './pg-keys.js';

/**
 * The schema of the PostgreSQL state, oldest first. Each step runs once, in order, in one
 * transaction under an advisory lock, and is recorded in schema_version. Never edit a
 * released step: add one. `$schema` is replaced by the quoted schema name.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; description: string; sql: string }> = [
  {
    version: 1,
    description: 'journal of records per workspace, lock holders',
    sql: `
      CREATE TABLE $schema.journal (
        id bigserial PRIMARY KEY,
        workspace text NOT NULL,
        type text NOT NULL,
        bulk_id text,
        record jsonb NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX journal_workspace_id ON $schema.journal (workspace, id);
      CREATE TABLE $schema.lock_holder (
        workspace text PRIMARY KEY,
        owner text NOT NULL,
        host text NOT NULL,
        pid integer NOT NULL,
        since timestamptz NOT NULL,
        backend_pid integer NOT NULL
      );`,
  },
  {
    version: 2,
    description: 'suppressed numbers per workspace',
    // COLLATE "C": the order (and so the digest a saved plan records) never depends on the server's locale.
    sql: `
      CREATE TABLE $schema.suppression (
        workspace text NOT NULL,
        phone_number text COLLATE "C" NOT NULL,
        reason text,
        added_at timestamptz NOT NULL DEFAULT now(),
        added_by text NOT NULL,
        PRIMARY KEY (workspace, phone_number)
      );`,
  },
  {
    version: 3,
    description: 'index of content records by hash (drift shown as a diff)',
    // Content records need no new column (a record is jsonb of any type); the index finds them
    // by hash, and the new version makes an older waspec refuse the state instead of the rows.
    sql: `CREATE INDEX journal_content_hash ON $schema.journal (workspace, (record->>'hash')) WHERE type = 'content';`,
  },
  {
    version: 4,
    description: 'applies shared by workers: runs, their requests, workers',
    sql: `
      CREATE TABLE $schema.apply_run (
        id bigserial PRIMARY KEY,
        workspace text NOT NULL,
        inputs_digest text NOT NULL,
        messages integer NOT NULL,
        requests integer NOT NULL,
        rate_limit double precision,
        next_slot timestamptz NOT NULL DEFAULT now(),
        started_by text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        ended text
      );
      CREATE UNIQUE INDEX apply_run_open ON $schema.apply_run (workspace) WHERE ended_at IS NULL;
      CREATE TABLE $schema.apply_worker (
        id bigserial PRIMARY KEY,
        workspace text NOT NULL,
        run_id bigint REFERENCES $schema.apply_run (id),
        owner text NOT NULL,
        host text NOT NULL,
        pid integer NOT NULL,
        since timestamptz NOT NULL,
        backend_pid integer NOT NULL
      );
      CREATE INDEX apply_worker_run ON $schema.apply_worker (run_id);
      CREATE TABLE $schema.apply_request (
        run_id bigint NOT NULL REFERENCES $schema.apply_run (id),
        seq integer NOT NULL,
        bulk_id text NOT NULL,
        messages integer NOT NULL,
        phase text NOT NULL DEFAULT 'pending' CHECK (phase IN ('pending', 'out', 'waiting', 'done')),
        worker_id bigint REFERENCES $schema.apply_worker (id),
        claimed_at timestamptz,
        request jsonb,
        outcome jsonb,
        PRIMARY KEY (run_id, seq)
      );
      CREATE INDEX apply_request_pending ON $schema.apply_request (run_id, seq) WHERE phase = 'pending';`,
  },
  {
    version: 5,
    description: "an apply run's circuit breaker trip (claims stop for every worker)",
    sql: `ALTER TABLE $schema.apply_run ADD COLUMN breaker jsonb;`,
  },
  {
    version: 6,
    description: "stages of an apply run's requests (seed, canary, rest) and its canary's verdict",
    sql: `ALTER TABLE $schema.apply_request ADD COLUMN stage smallint NOT NULL DEFAULT 2;
      ALTER TABLE $schema.apply_run ADD COLUMN staged boolean NOT NULL DEFAULT false,
        ADD COLUMN canary jsonb, ADD COLUMN gate text;`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The schema's version: 0 when waspec's tables are not there yet. */
export async function schemaVersion(client: ClientBase, schema: string): Promise<number> {
  const exists = await client.query<{ found: boolean }>(
    'SELECT to_regclass($1) IS NOT NULL AS found',
    [`${quoteIdent(schema)}.schema_version`],
  );
  if (!exists.rows[0]?.found) return 0;
  const result = await client.query<{ version: number | null }>(
    `SELECT max(version) AS version FROM ${quoteIdent(schema)}.schema_version`,
  );
  return result.rows[0]?.version ?? 0;
}

export function refuseNewerSchema(version: number, where: string): void {
  if (version > SCHEMA_VERSION) {
    throw new StateError(
      `The state database ${where} has schema version ${version}, newer than this waspec knows (${SCHEMA_VERSION}).`,
      'Upgrade waspec to use this state; an older waspec never writes to a newer schema.',
    );
  }
}

/** Creates or upgrades waspec's tables when they are older than this waspec; refuses newer ones. */
export async function ensureSchema(
  client: ClientBase,
  schema: string,
  where: string,
  appliedBy: string,
): Promise<void> {
  const version = await schemaVersion(client, schema);
  refuseNewerSchema(version, where);
  if (version < SCHEMA_VERSION) await migrate(client, schema, where, appliedBy);
}

/** Applies the missing steps; safe to run from many processes at once (they wait on one lock). */
async function migrate(
  client: ClientBase,
  schema: string,
  where: string,
  appliedBy: string,
): Promise<void> {
  const q = quoteIdent(schema);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [advisoryKey(schema, 'migrations')]);
    // CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema exists.
    const present = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (present.rowCount === 0) await client.query(`CREATE SCHEMA ${q}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${q}.schema_version (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), applied_by text NOT NULL)`,
    );
    const current = await schemaVersion(client, schema);
    refuseNewerSchema(current, where);
    for (const step of MIGRATIONS) {
      if (step.version <= current) continue;
      await client.query(step.sql.replaceAll('$schema', q));
      await client.query(
        `INSERT INTO ${q}.schema_version (version, description, applied_by) VALUES ($1, $2, $3)`,
        [step.version, step.description, appliedBy],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
