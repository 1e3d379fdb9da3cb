import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import { StateError } from '../errors.js';
import { currentUser } from './file-lock.js';
import { emptyFold, foldedSnapshot, foldRecord } from './fold-journal.js';
import { parseJournalLine } from './journal-format.js';
import { quoteIdent } from './pg-migrations.js';
import { takePgLock } from './pg-lock.js';
import { openPgSession } from './pg-session.js';
import { openPgSuppressionTable } from './pg-suppressions.js';
import type { StateTarget } from './state-target.js';
import type { JournalRecord, StateBackend, StateSnapshot, StoredContent } from './types.js';

const PAGE = 5000;

/**
 * The state in PostgreSQL: every journal record is a row of `journal` (jsonb, any record type),
 * keyed by workspace and in insertion order; the lock is an advisory lock of the session.
 */
export function openPgStateStore(target: Extract<StateTarget, { kind: 'postgres' }>): StateBackend {
  const user = currentUser();
  const session = openPgSession(target, `${user}@${hostname()}`);
  const journal = `${quoteIdent(target.schema)}.journal`;
  const { workspace } = target;

  /** Reads every record of the workspace in one consistent snapshot, page by page. */
  const scan = (onRecord: (record: JournalRecord) => void) =>
    session.use('read the state', false, async (client, tables) => {
      if (!tables) return { count: 0, last: '0' };
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        let last = '0';
        let count = 0;
        for (;;) {
          const page = await client.query<{ id: string; record: string }>(
            `SELECT j.id::text AS id, j.record::text AS record FROM ${journal} j WHERE j.workspace = $1 AND j.id > $2 ORDER BY j.id LIMIT ${PAGE}`,
            [workspace, last],
          );
          for (const row of page.rows) {
            onRecord(parseRow(row, target.display));
            last = row.id;
            count++;
          }
          if (page.rows.length < PAGE) break;
        }
        await client.query('COMMIT');
        return { count, last };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });

  return {
    location: target.display,
    read: async (): Promise<StateSnapshot> => {
      const folded = emptyFold();
      const { count, last } = await scan((record) => foldRecord(folded, record));
      // Rows are only ever added: the workspace, the count and the last id identify what was read.
      const digest = createHash('sha256').update(`${target.schema}\n${workspace}\n${count}\n${last}`).digest('hex');
      return { ...foldedSnapshot(folded), digest, diagnostics: [], records: count };
    },
    readRecords: async () => {
      const records: JournalRecord[] = [];
      await scan((record) => records.push(record));
      return records;
    },
    readContents: (hashes) =>
      session.use('read stored contents', false, async (client, tables) => (tables ? selectContents(client, journal, workspace, hashes, target.display) : new Map())),
    append: async (records) => {
      if (records.length === 0) return;
      await session.use('record in the state', true, (client) => insertRecords(client, journal, workspace, records));
    },
    lock: () => session.use('take the state lock', true, (client) => takePgLock(client, target, user)),
    suppressions: openPgSuppressionTable(session, target.schema, workspace),
    close: () => session.close(),
  };
}

/** One statement, so one commit: all the records or none, in the order given. */
async function insertRecords(client: pg.Client, journal: string, workspace: string, records: readonly JournalRecord[]): Promise<void> {
  await client.query(
    `INSERT INTO ${journal} (workspace, type, bulk_id, record)
     SELECT $1, r->>'type', r->>'bulkId', r FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n`,
    [workspace, JSON.stringify(records)],
  );
}

/** The content records of `hashes` (index journal_content_hash), first record of a hash first. */
async function selectContents(client: pg.Client, journal: string, workspace: string, hashes: ReadonlySet<string>, where: string): Promise<Map<string, StoredContent>> {
  const found = new Map<string, StoredContent>();
  const wanted = [...hashes];
  for (let i = 0; i < wanted.length; i += PAGE) {
    const rows = await client.query<{ id: string; record: string }>(
      `SELECT j.id::text AS id, j.record::text AS record FROM ${journal} j WHERE j.workspace = $1 AND j.type = 'content' AND j.record->>'hash' = ANY($2::text[]) ORDER BY j.id`,
      [workspace, wanted.slice(i, i + PAGE)],
    );
    for (const row of rows.rows) {
      const record = parseRow(row, where);
      if (record.type !== 'content' || found.has(record.hash)) continue;
      found.set(record.hash, record.cut ? { content: record.content, cut: record.cut } : { content: record.content });
    }
  }
  return found;
}

function parseRow(row: { id: string; record: string }, where: string): JournalRecord {
  const parsed = parseJournalLine(row.record, `${where} (row ${row.id})`);
  if (parsed?.kind !== 'record') {
    throw new StateError(`The state ${where} has a row that is not a journal record (journal id ${row.id}).`, 'Restore the database from a backup; waspec never changes rows it wrote.');
  }
  return parsed.record;
}
