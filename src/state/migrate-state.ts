import { StateError } from '../errors.js';
import { compactRecords } from './compact-records.js';
import { eachRecord } from './record-pages.js';
import type { JournalRecord, StateBackend } from './types.js';

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
  // Both sides are read a page at a time (memory bounded in the number of records): first the
  // target's records against the source's first ones, then the source again for the rest.
  const existing = await matchingPrefix(source, target);
  let records = 0;
  const lock = await target.lock();
  try {
    for await (const page of compactedPages(source)) {
      const rest = page.slice(Math.max(0, existing - records));
      records += page.length;
      if (rest.length > 0) await target.append(rest);
    }
  } finally {
    await lock.release();
  }
  let copied = 0;
  for await (const page of target.recordPages()) copied += page.length;
  // One fold at a time: each holds the state's messages.
  const after = (await target.read()).messages.size;
  const before = (await source.read()).messages.size;
  if (copied !== records || after !== before) {
    throw new StateError(
      `The copy does not match: the source has ${records} records and ${before} messages, the target ${copied} and ${after}.`,
    );
  }
  return { records, copied: Math.max(0, records - existing), messages: after };
}

/** The target gets the records as the state keeps them now: no full numbers, no rendered texts. */
async function* compactedPages(source: StateBackend): AsyncGenerator<JournalRecord[]> {
  for await (const page of source.recordPages()) {
    const kept = compactRecords(page).kept;
    if (kept.length > 0) yield kept;
  }
}

/** How many records the target holds, each equal to the source's at its place; else a StateError. */
async function matchingPrefix(source: StateBackend, target: StateBackend): Promise<number> {
  const sourceRecords = eachRecord(compactedPages(source));
  let count = 0;
  try {
    for await (const record of eachRecord(target.recordPages())) {
      const next = await sourceRecords.next();
      if (next.done || canonical(record) !== canonical(next.value)) {
        throw new StateError(
          `The target state ${target.location} already holds other records (record ${count + 1} differs from the source's); nothing was copied.`,
          'Migrate into an empty state (another directory, schema or --workspace).',
        );
      }
      count++;
    }
  } finally {
    await sourceRecords.return(undefined);
  }
  return count;
}

/** JSON with sorted keys: a jsonb round trip reorders keys but must compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
