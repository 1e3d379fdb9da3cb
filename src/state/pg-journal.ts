import { createHash } from 'node:crypto';
import type { ClientBase } from 'pg';
import { StateError } from '../errors.js';
import { parseJournalLine } from './journal-format.js';
import type { JournalRecord } from './types.js';

/** One statement, so one commit: all the records or none, in the order given. */
export async function insertRecords(
  client: ClientBase,
  journal: string,
  workspace: string,
  records: readonly JournalRecord[],
): Promise<void> {
  if (records.length === 0) return;
  await client.query(
    `INSERT INTO ${journal} (workspace, type, bulk_id, record)
     SELECT $1, r->>'type', r->>'bulkId', r FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n`,
    [workspace, JSON.stringify(records)],
  );
}

/** Rows are only ever added: the workspace, the count and the last id identify what was read. */
export function journalDigest(
  schema: string,
  workspace: string,
  count: number,
  last: string,
): string {
  return createHash('sha256').update(`${schema}\n${workspace}\n${count}\n${last}`).digest('hex');
}

/** The digest of the workspace's journal as it is now (what a read would give). */
export async function currentJournalDigest(
  client: ClientBase,
  journal: string,
  schema: string,
  workspace: string,
): Promise<string> {
  const result = await client.query<{ count: string; last: string }>(
    `SELECT count(*)::text AS count, coalesce(max(id), 0)::text AS last FROM ${journal} WHERE workspace = $1`,
    [workspace],
  );
  const row = result.rows[0];
  return journalDigest(schema, workspace, Number(row?.count ?? 0), row?.last ?? '0');
}

export function parseRow(row: { id: string; record: string }, where: string): JournalRecord {
  const parsed = parseJournalLine(row.record, `${where} (row ${row.id})`);
  if (parsed?.kind !== 'record') {
    throw new StateError(
      `The state ${where} has a row that is not a journal record (journal id ${row.id}).`,
      'Restore the database from a backup; waspec never changes rows it wrote.',
    );
  }
  return parsed.record;
}
