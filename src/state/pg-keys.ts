import { createHash } from 'node:crypto';

/**
 * A 64-bit advisory lock key for a name within a schema, as a decimal string (pg's bigint).
 * Hashing keeps workspaces of one database (and other applications' keys) apart.
 */
export function advisoryKey(schema: string, name: string): string {
  return createHash('sha256')
    .update(`waspec\0${schema}\0${name}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
}

/**
 * The first half of a worker's own advisory lock (two-int form; the second half is its
 * apply_worker id): it is held while the worker's session lives, so pg_locks tells who is alive.
 */
export function workerLockClass(schema: string): number {
  return (
    createHash('sha256').update(`waspec\0${schema}\0apply-worker`).digest().readInt32BE(0) &
    0x7fffffff
  );
}
