import { StateError } from '../errors.js';
import { compactRecords } from './compact-records.js';
import type { StateBackend } from './types.js';

export interface MigrateResult {
  /** Records in the source (and, after the copy, in the target). */
  records: number;
  /** Records this run copied (0 when the target had them all already). */
  copied: number;
  messages: number;
}

/**
 * Copies every journal record of `source` to `target`, in order, without personal data (full
 * numbers and rendered texts an older waspec wrote are left behind: compactRecord). Idempotent: a target that
 * already holds the source's first records (an earlier run, maybe interrupted) gets only the
 * rest; a target with other records is refused. Verified by reading the target back.
 */
export async function migrateState(
  source: StateBackend,
  target: StateBackend,
): Promise<MigrateResult> {
  // Neither side may change meanwhile (an apply on either would be lost or doubled).
  const sourceLock = await source.lock();
  try {
    return await copy(source, target);
  } finally {
    await sourceLock.release();
  }
}

async function copy(source: StateBackend, target: StateBackend): Promise<MigrateResult> {
  // The target gets the records as the state keeps them now: no full numbers, no rendered texts.
  const { kept: records } = compactRecords(await source.readRecords());
  const existing = await target.readRecords();
  const mismatch = existing.findIndex(
    (record, i) => i >= records.length || canonical(record) !== canonical(records[i]),
  );
  if (mismatch !== -1) {
    throw new StateError(
      `The target state ${target.location} already holds other records (record ${mismatch + 1} differs from the source's); nothing was copied.`,
      'Migrate into an empty state (another directory, schema or --workspace).',
    );
  }
  const rest = records.slice(existing.length);
  const lock = await target.lock();
  try {
    if (rest.length > 0) await target.append(rest);
  } finally {
    await lock.release();
  }
  const [after, copied, before] = [
    await target.read(),
    await target.readRecords(),
    await source.read(),
  ];
  if (copied.length !== records.length || after.messages.size !== before.messages.size) {
    throw new StateError(
      `The copy does not match: the source has ${records.length} records and ${before.messages.size} messages, the target ${copied.length} and ${after.messages.size}.`,
    );
  }
  return { records: records.length, copied: rest.length, messages: after.messages.size };
}

/** JSON with sorted keys: a jsonb round trip reorders keys but must compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
