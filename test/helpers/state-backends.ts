// The state backends every plan/apply behaviour test runs against: the file journal and,
// where a server answers (always under CI=true), PostgreSQL. Each test gets a fresh state.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openFileStateStore } from '../../src/state/file-state.js';
import { openPgStateStore } from '../../src/state/pg-state.js';
import { parsePostgresTarget } from '../../src/state/state-target.js';
import type { JournalRecord, StateBackend } from '../../src/state/types.js';

export const TEST_DATABASE_URL =
  process.env.WASPEC_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface FreshState {
  backend: 'file' | 'postgres';
  store: StateBackend;
  /** Environment for the CLI (run in the workspace dir) so it uses this state. */
  env: NodeJS.ProcessEnv;
  /** The postgres:// URL with the fresh schema (postgres only). */
  url?: string;
  schema?: string;
  workspace?: string;
  /** Another store on the same state (another process would open this); closed by cleanup. */
  reopen: () => StateBackend;
  cleanup: () => Promise<void>;
}

/** The fresh schema of a PostgreSQL state (a file state has none: the test is wrong). */
export function schemaOf(state: FreshState): string {
  if (state.schema === undefined) throw new Error(`a ${state.backend} state has no schema`);
  return state.schema;
}

export interface Backend {
  name: 'file' | 'postgres';
  /** A fresh empty state; for files in `dir`/.waspec (the CLI's default there) or a temp dir. */
  fresh(dir?: string, workspace?: string): Promise<FreshState>;
}

/** A URL of the test database with waspec's `schema` parameter set. */
export function testUrl(schema: string, base = TEST_DATABASE_URL): string {
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  return url.href;
}

/** Runs SQL on the test database with a connection of its own. */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  params: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    connectionTimeoutMillis: 5000,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await client.query<R>(sql, params);
  } finally {
    await client.end();
  }
}

export function freshSchemaName(): string {
  return `waspec_t_${randomBytes(6).toString('hex')}`;
}

const fileBackend: Backend = {
  name: 'file',
  async fresh(dir) {
    const root = dir ?? (await mkdtemp(join(tmpdir(), 'waspec-state-')));
    const store = openFileStateStore(join(root, '.waspec'));
    // Empty values keep a developer's own state settings out of the tests.
    return {
      backend: 'file',
      store,
      env: { WASPEC_STATE_URL: '', WASPEC_STATE_DIR: '' },
      reopen: () => openFileStateStore(join(root, '.waspec')),
      cleanup: async () => (dir ? undefined : rm(root, { recursive: true, force: true })),
    };
  },
};

const pgBackend: Backend = {
  name: 'postgres',
  async fresh(_dir, workspace = 'test') {
    const schema = freshSchemaName();
    const url = testUrl(schema);
    const store = openPgStateStore(parsePostgresTarget(url, workspace));
    const others: StateBackend[] = [];
    return {
      backend: 'postgres',
      store,
      url,
      schema,
      workspace,
      env: { WASPEC_STATE_URL: url, WASPEC_WORKSPACE: workspace, WASPEC_STATE_DIR: '' },
      reopen: () => {
        const other = openPgStateStore(parsePostgresTarget(url, workspace));
        others.push(other);
        return other;
      },
      cleanup: async () => {
        for (const s of [store, ...others]) await s.close();
        await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      },
    };
  },
};

let probe: Promise<boolean> | undefined;

/** Whether the test database answers; says once why the PostgreSQL tests are skipped. */
export function postgresAvailable(): Promise<boolean> {
  probe ??= adminQuery('SELECT 1').then(
    () => true,
    (error: unknown) => {
      if (process.env.CI === 'true') return true; // under CI they run, and fail
      const why = error instanceof Error ? error.message : String(error);
      console.log(
        `  skipping the PostgreSQL state tests: no server at ${new URL(TEST_DATABASE_URL).host} (${why}); set WASPEC_TEST_DATABASE_URL or start PostgreSQL`,
      );
      return false;
    },
  );
  return probe;
}

/** The file backend, and PostgreSQL where it answers (always under CI=true). */
export async function stateBackends(): Promise<Backend[]> {
  return (await postgresAvailable()) ? [fileBackend, pgBackend] : [fileBackend];
}

/** Only PostgreSQL (empty where no server answers outside CI). */
export async function postgresBackends(): Promise<Backend[]> {
  return (await postgresAvailable()) ? [pgBackend] : [];
}

/** Runs `fn` with a fresh state, cleaned up afterwards. */
export async function withState<T>(
  backend: Backend,
  fn: (state: FreshState) => Promise<T>,
  dir?: string,
): Promise<T> {
  const state = await backend.fresh(dir);
  try {
    return await fn(state);
  } finally {
    await state.cleanup();
  }
}

/** `each(name, fn)` registers `fn` as one test per backend, named `[backend] name`. */
export function testEachBackend(
  test: (name: string, fn: () => Promise<void>) => void,
  backends: readonly Backend[],
): (name: string, fn: (backend: Backend) => Promise<void>) => void {
  return (name, fn) => {
    for (const backend of backends) test(`[${backend.name}] ${name}`, () => fn(backend));
  };
}

/** Every record of the store, oldest first, in one list (small test states only). */
export async function readRecords(store: StateBackend): Promise<JournalRecord[]> {
  const records: JournalRecord[] = [];
  for await (const page of store.recordPages()) records.push(...page);
  return records;
}
