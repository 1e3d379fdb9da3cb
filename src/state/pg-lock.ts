import { hostname } from 'node:os';
import type pg from 'pg';
import { LockHeldError, StateError } from '../errors.js';
import { advisoryKey, workerLockClass } from './pg-keys.js';
import { quoteIdent } from './pg-migrations.js';
import type { StateTarget } from './state-target.js';
import type { LockInfo, StateLock, WorkerLock } from './types.js';

type PgTarget = Extract<StateTarget, { kind: 'postgres' }>;

const HINT =
  'Wait for it to finish. The lock belongs to its database session: a killed or crashed apply releases it at once, so no unlock is needed.';
const WORKERS_HINT =
  'Wait for it to finish, or join it with `waspec apply --yes --workers N` on the same specs. A killed worker releases its share of the lock at once.';

const workspaceKey = (target: PgTarget) =>
  advisoryKey(target.schema, `workspace\0${target.workspace}`);
const lockInfo = (owner: string): LockInfo => ({
  owner,
  host: hostname(),
  pid: process.pid,
  since: new Date().toISOString(),
});

/**
 * The workspace's apply lock: a session-level advisory lock (it dies with the connection) and
 * a row naming the holder, so a refused apply can say who holds it. Taking it ends any unfinished
 * apply of workers (no worker can be alive while it is held): what they left pending is planned
 * afresh, never sent from their rows.
 */
export async function takePgLock(
  client: pg.Client,
  target: PgTarget,
  owner: string,
): Promise<StateLock> {
  const key = workspaceKey(target);
  const q = quoteIdent(target.schema);
  const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key]);
  if (!got.rows[0]?.ok) throw await heldError(client, target, key);
  const info = lockInfo(owner);
  await client.query(
    `INSERT INTO ${q}.lock_holder (workspace, owner, host, pid, since, backend_pid) VALUES ($1, $2, $3, $4, $5, pg_backend_pid())
     ON CONFLICT (workspace) DO UPDATE SET owner = EXCLUDED.owner, host = EXCLUDED.host, pid = EXCLUDED.pid, since = EXCLUDED.since, backend_pid = EXCLUDED.backend_pid`,
    [target.workspace, info.owner, info.host, info.pid, info.since],
  );
  await client.query(
    `WITH ended AS (UPDATE ${q}.apply_run SET ended_at = now(), ended = 'abandoned' WHERE workspace = $1 AND ended_at IS NULL RETURNING id)
     UPDATE ${q}.apply_request SET request = NULL WHERE run_id IN (SELECT id FROM ended) AND phase = 'pending'`,
    [target.workspace],
  );
  let released = false;
  return {
    info,
    release: async () => {
      if (released) return;
      released = true;
      // On a lost connection the server has dropped the lock already.
      await client
        .query(
          `DELETE FROM ${q}.lock_holder WHERE workspace = $1 AND backend_pid = pg_backend_pid()`,
          [target.workspace],
        )
        .catch(() => undefined);
      await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
    },
  };
}

/**
 * A worker's share of the workspace's apply lock (apply --workers): workers share it with each
 * other, and an apply without workers (which takes it exclusively) is refused while any holds it,
 * and the other way round. The worker's row names it; its own advisory lock says it is alive.
 */
export async function takePgWorkerLock(
  client: pg.Client,
  target: PgTarget,
  owner: string,
): Promise<WorkerLock> {
  const key = workspaceKey(target);
  const q = quoteIdent(target.schema);
  const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock_shared($1) AS ok', [
    key,
  ]);
  if (!got.rows[0]?.ok) throw await heldError(client, target, key);
  const info = lockInfo(owner);
  const row = await client.query<{ id: string }>(
    `INSERT INTO ${q}.apply_worker (workspace, owner, host, pid, since, backend_pid) VALUES ($1, $2, $3, $4, $5, pg_backend_pid()) RETURNING id::text AS id`,
    [target.workspace, info.owner, info.host, info.pid, info.since],
  );
  const workerId = row.rows[0]?.id;
  if (workerId === undefined)
    throw new StateError('The state database did not register this worker.');
  const alive = [workerLockClass(target.schema), Number(workerId)];
  await client.query('SELECT pg_advisory_lock($1::int, $2::int)', alive);
  let released = false;
  return {
    info,
    workerId,
    release: async () => {
      if (released) return;
      released = true;
      await client
        .query('SELECT pg_advisory_unlock($1::int, $2::int)', alive)
        .catch(() => undefined);
      await client.query('SELECT pg_advisory_unlock_shared($1)', [key]).catch(() => undefined);
    },
  };
}

/** `live` is an SQL condition: the apply_worker row `w` has a session that is alive. */
export function workerAlive(schema: string, w = 'w'): string {
  return `EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.classid = ${workerLockClass(schema)}::oid AND l.objid = ${w}.id::oid)`;
}

/** Who holds the workspace's lock: the exclusive holder's row, or the workers sharing it. */
async function heldError(client: pg.Client, target: PgTarget, key: string): Promise<LockHeldError> {
  const k = BigInt.asUintN(64, BigInt(key));
  const q = quoteIdent(target.schema);
  // pg_locks shows a bigint advisory key as two 32-bit halves.
  const result = await client.query<{
    mode: string;
    owner: string | null;
    host: string | null;
    pid: number | null;
    since: Date | null;
    backend_pid: number;
  }>(
    `SELECT l.mode, coalesce(h.owner, w.owner) AS owner, coalesce(h.host, w.host) AS host, coalesce(h.pid, w.pid) AS pid,
            coalesce(h.since, w.since) AS since, l.pid AS backend_pid
       FROM pg_locks l
       LEFT JOIN ${q}.lock_holder h ON l.mode = 'ExclusiveLock' AND h.workspace = $3 AND h.backend_pid = l.pid
       LEFT JOIN LATERAL (SELECT * FROM ${q}.apply_worker x WHERE l.mode = 'ShareLock' AND x.workspace = $3 AND x.backend_pid = l.pid ORDER BY x.id DESC LIMIT 1) w ON true
      WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid AND l.objsubid = 1
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY since NULLS LAST`,
    [(k >> 32n).toString(), (k & 0xffffffffn).toString(), target.workspace],
  );
  const who = (row: (typeof result.rows)[number]) =>
    row.owner && row.host && row.pid !== null && row.since
      ? `${row.owner} on ${row.host} (pid ${row.pid}) since ${row.since.toISOString()}`
      : `another waspec (database session ${row.backend_pid}) that has not written its name yet`;
  const workers = result.rows.filter((r) => r.mode === 'ShareLock');
  const ws = target.workspace;
  if (workers.length > 0) {
    const shown = workers.slice(0, 3).map(who).join('; ');
    const more = workers.length > 3 ? `; and ${workers.length - 3} more` : '';
    return new LockHeldError(
      `The state workspace '${ws}' is being applied by ${workers.length} ${workers.length === 1 ? 'worker' : 'workers'} (apply --workers): ${shown}${more}.`,
      WORKERS_HINT,
    );
  }
  const holder = result.rows[0];
  if (!holder)
    return new LockHeldError(`The state workspace '${ws}' is locked by another waspec.`, HINT);
  return new LockHeldError(`The state workspace '${ws}' is locked by ${who(holder)}.`, HINT);
}
