import { hostname } from 'node:os';
import type pg from 'pg';
import { currentUser } from './file-lock.js';
import { emptyFold, foldedSnapshot, foldRecord } from './fold-journal.js';
import { checkJournalValue } from './journal-format.js';
import { insertRecords, journalDigest, parseRow } from './pg-journal.js';
import { quoteIdent } from './pg-migrations.js';
import { StateError } from '../errors.js';
import { compactRecord, type CompactResult } from './compact-records.js';
import { createBatcher } from './group-commit.js';
import {
  findOpenRun,
  inTransaction,
  joinRun,
  runWorkerQueries,
  startRun,
} from './pg-apply-runs.js';
import { takePgLock, takePgWorkerLock } from './pg-lock.js';
import { openPgSession } from './pg-session.js';
import { openPgSuppressionTable } from './pg-suppressions.js';
import { recordPages } from './record-pages.js';
import type { StateTarget } from './state-target.js';
import type {
  BreakerTrip,
  JournalRecord,
  SharedApplyStore,
  StateBackend,
  StateSnapshot,
  StoredContent,
} from './types.js';

const PAGE = 5000;
/** A read's page holds about this much record text: rows of a hundred messages are 15 kB each. */
const PAGE_BYTES = 4 * 1024 * 1024;
const FIRST_PAGE = 100;

/**
 * The state in PostgreSQL: every journal record is a row of `journal` (jsonb, any record type),
 * keyed by workspace and in insertion order; the lock is an advisory lock of the session.
 */
export function openPgStateStore(
  target: Extract<StateTarget, { kind: 'postgres' }>,
): StateBackend & SharedApplyStore {
  const user = currentUser();
  const session = openPgSession(target, `${user}@${hostname()}`);
  const journal = `${quoteIdent(target.schema)}.journal`;
  const { workspace } = target;

  /** Reads every record of the workspace in one consistent snapshot, page by page. */
  const scan = (onPage: (records: JournalRecord[]) => void | Promise<void>) =>
    session.use('read the state', false, async (client, tables) => {
      if (!tables) return { count: 0, last: '0' };
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        // Each page along the (workspace, id) index: a journal the server has no statistics of
        // yet (loaded in bulk, never analysed) would otherwise be scanned and sorted whole for
        // every page (minutes a page at ten million messages).
        await client.query('SET LOCAL enable_sort = off');
        await client.query('SET LOCAL enable_bitmapscan = off');
        let last = '0';
        let count = 0;
        // Pages in key order, each sized from the rows before it to hold about PAGE_BYTES.
        let limit = FIRST_PAGE;
        for (;;) {
          const page = await client.query<{ id: string; record: string }>(
            `SELECT j.id::text AS id, j.record::text AS record FROM ${journal} j WHERE j.workspace = $1 AND j.id > $2 ORDER BY j.id LIMIT ${limit}`,
            [workspace, last],
          );
          let bytes = 0;
          const records: JournalRecord[] = [];
          for (const row of page.rows) {
            bytes += row.record.length;
            records.push(parseRow(row, target.display));
            last = row.id;
            count++;
          }
          if (records.length > 0) await onPage(records);
          if (page.rows.length < limit) break;
          limit = Math.max(
            1,
            Math.min(PAGE, Math.floor((PAGE_BYTES * limit) / Math.max(bytes, 1))),
          );
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
      const { count, last } = await scan((records) => {
        for (const record of records) foldRecord(folded, record);
      });
      return {
        ...foldedSnapshot(folded),
        digest: journalDigest(target.schema, workspace, count, last),
        diagnostics: [],
        records: count,
      };
    },
    recordPages: () => recordPages(scan),
    readContents: (hashes) =>
      session.use('read stored contents', false, async (client, tables) =>
        tables ? selectContents(client, journal, workspace, hashes, target.display) : new Map(),
      ),
    append: async (records) => {
      if (records.length === 0) return;
      await session.use('record in the state', true, (client) =>
        insertRecords(client, journal, workspace, records),
      );
    },
    lock: () =>
      session.use('take the state lock', true, (client) => takePgLock(client, target, user)),
    suppressions: openPgSuppressionTable(session, target.schema, workspace),
    close: () => session.close(),
    compact: () =>
      session.use('compact the state', true, async (client, tables) =>
        tables
          ? inTransaction(client, () => compactRows(client, journal, workspace, target.display))
          : { records: 0, rewritten: 0, removed: 0 },
      ),
    lockWorker: () =>
      session.use('take the state lock', true, (client) => takePgWorkerLock(client, target, user)),
    openRun: () =>
      session.use('read the open apply', true, (client) => findOpenRun(client, target)),
    startRun: (lock, run) =>
      session.use('start the apply', true, (client) =>
        startRun(client, target, lock.workerId, run),
      ),
    joinRun: (lock, runId) =>
      session.use('join the apply', true, (client) =>
        joinRun(client, target, lock.workerId, runId),
      ),
    worker: (lock, run) => {
      const q = runWorkerQueries(target, lock.workerId, run.id);
      const use = <T>(doing: string, fn: (client: pg.Client) => Promise<T>) =>
        session.use(doing, true, fn);
      // Claims and outcomes of lanes that come together share one transaction: one commit.
      const batch = createBatcher<(client: pg.Client) => Promise<void>>((ops) =>
        use('record in the state', (c) =>
          inTransaction(c, async () => {
            for (const op of ops) await op(c);
          }),
        ),
      );
      const inBatch = async <T>(op: (client: pg.Client) => Promise<T>): Promise<T> => {
        const box: { result?: { value: T } } = {};
        await batch(async (c) => void (box.result = { value: await op(c) }));
        if (!box.result) throw new StateError('A batched state operation did not run.');
        return box.result.value;
      };
      return {
        run,
        claim: (inFlight) => inBatch((c) => q.claim(c, inFlight)),
        mark: (seq, phase, records) => inBatch((c) => q.mark(c, seq, phase, records)),
        finish: (seq, outcome, records, next) =>
          inBatch(async (c) => {
            await q.finish(c, seq, outcome, records);
            return next ? q.claim(c, next) : undefined;
          }),
        unclaim: (seq) => inBatch((c) => q.unclaim(c, seq)),
        slot: () => use('take a send slot', (c) => q.slot(c)),
        progress: () => use('read the apply', (c) => q.progress(c)),
        liveWorkers: () => use('read the apply', (c) => q.liveWorkers(c)),
        anyPending: () => use('read the apply', (c) => q.anyPending(c)),
        summaryRows: (onPage) => use('read the apply', (c) => q.summaryRows(c, onPage)),
        endIfDone: () => use('end the apply', (c) => q.endIfDone(c)),
        trip: (trip, records) => inBatch((c) => q.trip(c, trip, records)),
        canaryAnswered: () => use('read the apply', (c) => q.canaryAnswered(c)),
        judgeCanary: (verdict, records) => inBatch((c) => q.judgeCanary(c, verdict, records)),
        canaryVerdict: () => use('read the apply', (c) => q.canaryVerdict(c)),
        tripped: async () => {
          const stored = await use('read the apply', (c) => q.tripped(c));
          return stored === undefined ? undefined : breakerTripOf(stored, run.id);
        },
      };
    },
  };
}

/** The content records of `hashes` (index journal_content_hash), first record of a hash first. */
/**
 * Rewrites the workspace's in-flight rows that hold full numbers and deletes its content rows
 * (rendered texts), in place: ids and order stay.
 */
async function compactRows(
  client: pg.ClientBase,
  journal: string,
  workspace: string,
  where: string,
): Promise<CompactResult> {
  const removed = await client.query(
    `DELETE FROM ${journal} WHERE workspace = $1 AND type = 'content'`,
    [workspace],
  );
  let rewritten = 0;
  let last = '0';
  for (;;) {
    const page = await client.query<{ id: string; record: string }>(
      `SELECT j.id::text AS id, j.record::text AS record FROM ${journal} j WHERE j.workspace = $1 AND j.type = 'in-flight' AND j.id > $2 AND j.record::text LIKE '%"phoneNumber"%' ORDER BY j.id LIMIT ${PAGE}`,
      [workspace, last],
    );
    for (const row of page.rows) {
      last = row.id;
      const record = parseRow(row, where);
      const now = compactRecord(record);
      if (now === undefined || now === record) continue;
      await client.query(`UPDATE ${journal} SET record = $2::jsonb WHERE id = $1`, [
        row.id,
        JSON.stringify(now),
      ]);
      rewritten++;
    }
    if (page.rows.length < PAGE) break;
  }
  const count = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${journal} WHERE workspace = $1`,
    [workspace],
  );
  return { records: count.rows[0]?.n ?? 0, rewritten, removed: removed.rowCount ?? 0 };
}

async function selectContents(
  client: pg.Client,
  journal: string,
  workspace: string,
  hashes: ReadonlySet<string>,
  where: string,
): Promise<Map<string, StoredContent>> {
  const found = new Map<string, StoredContent>();
  const wanted = [...hashes];
  for (let i = 0; i < wanted.length; i += PAGE) {
    const rows = await client.query<{ id: string; record: string }>(
      `SELECT j.id::text AS id, j.record::text AS record FROM ${journal} j WHERE j.workspace = $1 AND j.type IN ('content', 'message') AND j.record->>'hash' = ANY($2::text[]) ORDER BY j.id`,
      [workspace, wanted.slice(i, i + PAGE)],
    );
    for (const row of rows.rows) {
      const record = parseRow(row, where);
      if ((record.type !== 'content' && record.type !== 'message') || found.has(record.hash))
        continue;
      found.set(
        record.hash,
        record.cut ? { content: record.content, cut: record.cut } : { content: record.content },
      );
    }
  }
  return found;
}

/** A run's stored trip, checked as the journal record it was written with. */
function breakerTripOf(stored: unknown, runId: string): BreakerTrip {
  const line = checkJournalValue(
    { ...(stored as object), v: 5, type: 'breaker' },
    `(the breaker trip of apply run ${runId})`,
  );
  if (line.kind !== 'record' || line.record.type !== 'breaker')
    throw new StateError(
      `The state database holds a breaker trip of apply run ${runId} that waspec did not write.`,
      'Restore the database from a backup; waspec never changes rows it wrote.',
    );
  const { v: _v, type: _type, ...trip } = line.record;
  return trip;
}
