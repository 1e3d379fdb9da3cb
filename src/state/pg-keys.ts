import { createHash } from 'node:crypto';

/**
 * A 64-bit advisory lock key for a name within a schema, as a decimal string (pg's bigint).
 * Hashing keeps workspaces of one database (and other applications' keys) apart.
 */
export function advisoryKey(schema: string, name: string): string {
  return createHash('sha256').update(`waspec\0${schema}\0${name}`).digest().readBigInt64BE(0).toString();
}
