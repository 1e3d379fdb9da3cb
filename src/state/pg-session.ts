import type pg from 'pg';
import { StateLostError } from '../errors.js';
import { describePgError, isConnectionLoss } from './pg-errors.js';
import { ensureSchema, schemaVersion, refuseNewerSchema, SCHEMA_VERSION } from './pg-migrations.js';
import type { StateTarget } from './state-target.js';

type PgTarget = Extract<StateTarget, { kind: 'postgres' }>;

export interface PgSession {
  /**
   * Runs `fn` on the session's connection, one call at a time (a read's transaction must not
   * take in another caller's insert). `write` creates or upgrades the tables first; without it
   * `fn` gets `tables: false` when there are none yet (nothing was ever written).
   */
  use<T>(
    doing: string,
    write: boolean,
    fn: (client: pg.Client, tables: boolean) => Promise<T>,
  ): Promise<T>;
  close(): Promise<void>;
}

/**
 * One connection per process, opened on first use. It also holds the workspace's advisory
 * lock, so when it dies the lock goes with it: then every later use fails (never reconnects),
 * and apply stops issuing requests.
 */
export function openPgSession(target: PgTarget, appliedBy: string): PgSession {
  let client: Promise<pg.Client> | undefined;
  let lost: unknown;
  let version: number | undefined;
  let tail: Promise<unknown> = Promise.resolve();

  const connect = async (): Promise<pg.Client> => {
    // pg is loaded on the first connection, not at start-up of every command that can open a state.
    const { default: postgres } = await import('pg');
    const c = new postgres.Client({
      connectionString: target.connectionString,
      application_name: 'waspec',
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
    });
    // Without a listener a dropped connection would crash the process.
    c.on('error', (error) => (lost ??= error));
    c.on('end', () => (lost ??= new Error('Connection terminated')));
    try {
      await c.connect();
    } catch (error) {
      void c.end().catch(() => undefined);
      throw describePgError(error, target.display, target.password, 'connect');
    }
    return c;
  };

  const run = async <T>(
    doing: string,
    write: boolean,
    fn: (client: pg.Client, tables: boolean) => Promise<T>,
  ): Promise<T> => {
    if (lost !== undefined) throw lostError(doing, lost);
    client ??= connect();
    const c = await client;
    try {
      // No tables yet: look again each time (another process's first apply may create them).
      if (!version) version = await schemaVersion(c, target.schema);
      refuseNewerSchema(version, target.display);
      if (write && version < SCHEMA_VERSION) {
        await ensureSchema(c, target.schema, target.display, appliedBy);
        version = SCHEMA_VERSION;
      }
      return await fn(c, version > 0);
    } catch (error) {
      if (lost !== undefined || isConnectionLoss(error)) throw lostError(doing, lost ?? error);
      throw describePgError(error, target.display, target.password, doing);
    }
  };

  return {
    use: (doing, write, fn) => {
      const result = tail.then(() => run(doing, write, fn));
      tail = result.catch(() => undefined);
      return result;
    },
    close: async () => {
      const c = await client?.catch(() => undefined);
      client = undefined;
      if (c && lost === undefined) await c.end().catch(() => undefined);
    },
  };
}

function lostError(doing: string, cause: unknown): StateLostError {
  const why =
    cause instanceof Error ? (cause.message.split('\n')[0] ?? cause.message) : String(cause);
  return new StateLostError(
    `Lost the connection to the state database (${why}); could not ${doing}. No more requests are sent; those in flight are in doubt.`,
    'Check the database, then run `waspec plan`: in-doubt messages are listed and never re-sent on their own.',
  );
}
