import { hostname } from 'node:os';
import type pg from 'pg';
import { LockHeldError } from '../errors.js';
import { advisoryKey } from './pg-keys.js';
import { quoteIdent } from './pg-migrations.js';
import type { StateTarget } from './state-target.js';
import type { LockInfo, StateLock } from './types.js';

const HINT = 'Wait for it to finish. The lock belongs to its database session: a killed or crashed apply releases it at once, so no unlock is needed.';

/**
 * The workspace's apply lock: a session-level advisory lock (it dies with the connection) and
 * a row naming the holder, so a refused apply can say who holds it.
 */
export async function takePgLock(client: pg.Client, target: Extract<StateTarget, { kind: 'postgres' }>, owner: string): Promise<StateLock> {
  const key = advisoryKey(target.schema, `workspace\0${target.workspace}`);
  const holders = `${quoteIdent(target.schema)}.lock_holder`;
  const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key]);
  if (!got.rows[0]?.ok) throw await heldError(client, holders, key, target.workspace);
  const info: LockInfo = { owner, host: hostname(), pid: process.pid, since: new Date().toISOString() };
  await client.query(
    `INSERT INTO ${holders} (workspace, owner, host, pid, since, backend_pid) VALUES ($1, $2, $3, $4, $5, pg_backend_pid())
     ON CONFLICT (workspace) DO UPDATE SET owner = EXCLUDED.owner, host = EXCLUDED.host, pid = EXCLUDED.pid, since = EXCLUDED.since, backend_pid = EXCLUDED.backend_pid`,
    [target.workspace, info.owner, info.host, info.pid, info.since],
  );
  let released = false;
  return {
    info,
    release: async () => {
      if (released) return;
      released = true;
      // On a lost connection the server has dropped the lock already.
      await client.query(`DELETE FROM ${holders} WHERE workspace = $1 AND backend_pid = pg_backend_pid()`, [target.workspace]).catch(() => undefined);
      await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
    },
  };
}

async function heldError(client: pg.Client, holders: string, key: string, workspace: string): Promise<LockHeldError> {
  const k = BigInt.asUintN(64, BigInt(key));
  // pg_locks shows a bigint advisory key as two 32-bit halves.
  const result = await client.query<{ owner: string | null; host: string | null; pid: number | null; since: Date | null; backend_pid: number | null }>(
    `SELECT h.owner, h.host, h.pid, h.since, l.pid AS backend_pid
       FROM pg_locks l LEFT JOIN ${holders} h ON h.workspace = $3 AND h.backend_pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid AND l.objsubid = 1
      LIMIT 1`,
    [(k >> 32n).toString(), (k & 0xffffffffn).toString(), workspace],
  );
  const row = result.rows[0];
  if (row?.owner && row.host && row.pid !== null && row.since) {
    return new LockHeldError(`The state workspace '${workspace}' is locked by ${row.owner} on ${row.host} (pid ${row.pid}) since ${row.since.toISOString()}.`, HINT);
  }
  const session = row?.backend_pid ? ` (database session ${row.backend_pid})` : '';
  return new LockHeldError(`The state workspace '${workspace}' is locked by another waspec${session} that has not written its name yet.`, HINT);
}
