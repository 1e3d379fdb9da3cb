import type pg from 'pg';
import { LockHeldError, StateError } from '../errors.js';
import { advisoryKey } from './pg-keys.js';
import { currentJournalDigest, insertRecords } from './pg-journal.js';
import { workerAlive } from './pg-lock.js';
import { quoteIdent } from './pg-migrations.js';
import {
  STAGE_RANK,
  type ApplyRun,
  type ApplyRunProgress,
  type ApplyRunRow,
  type JournalRecord,
  type NewApplyRun,
  type RequestPhase,
  type RunCanary,
  type StartRunResult,
} from './types.js';

/** Requests per INSERT when a run is materialised (one transaction for all of them): those held at once. */
const INSERT_PAGE = 500;
/** Rows of a run read at once for its summary, at most, and about how much JSON a page of them holds. */
const SUMMARY_PAGE = 5000;
const SUMMARY_PAGE_BYTES = 4 * 1024 * 1024;
const SUMMARY_FIRST_PAGE = 100;

export interface RunTables {
  schema: string;
  workspace: string;
}

const names = ({ schema }: RunTables) => {
  const q = quoteIdent(schema);
  return {
    run: `${q}.apply_run`,
    request: `${q}.apply_request`,
    worker: `${q}.apply_worker`,
    journal: `${q}.journal`,
  };
};

interface RunRowDb {
  id: string;
  inputs_digest: string;
  messages: number;
  requests: number;
  rate_limit: number | null;
  started_by: string;
  started_at: Date;
  canary: string | null;
}

const RUN_COLUMNS =
  'id::text AS id, inputs_digest, messages, requests, rate_limit, started_by, started_at, canary::text AS canary';

function isRunCanary(value: unknown): value is RunCanary {
  if (typeof value !== 'object' || value === null) return false;
  const { pause, sent } = value as { pause?: unknown; sent?: unknown };
  return (
    typeof pause === 'boolean' &&
    Array.isArray(sent) &&
    sent.every(
      (s: unknown) =>
        typeof s === 'object' &&
        s !== null &&
        typeof (s as { spec?: unknown }).spec === 'string' &&
        Number.isInteger((s as { revision?: unknown }).revision) &&
        Number.isInteger((s as { messages?: unknown }).messages),
    )
  );
}

function canaryOf(row: RunRowDb): { canary?: RunCanary } {
  if (row.canary === null) return {};
  const canary = parseJson(row.canary, `the canary of apply run ${row.id}`);
  if (!isRunCanary(canary))
    throw new StateError(
      `The state database holds a canary of apply run ${row.id} that waspec did not write.`,
      'Restore the database from a backup; waspec never changes rows it wrote.',
    );
  return { canary };
}

function toRun(row: RunRowDb): ApplyRun {
  return {
    id: row.id,
    inputsDigest: row.inputs_digest,
    messages: row.messages,
    requests: row.requests,
    ...(row.rate_limit === null ? {} : { rateLimit: row.rate_limit }),
    startedBy: row.started_by,
    startedAt: row.started_at.toISOString(),
    ...canaryOf(row),
  };
}

export async function inTransaction<T>(client: pg.ClientBase, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

export async function findOpenRun(
  client: pg.ClientBase,
  tables: RunTables,
): Promise<ApplyRun | undefined> {
  const t = names(tables);
  const found = await client.query<RunRowDb>(
    `SELECT ${RUN_COLUMNS} FROM ${t.run} WHERE workspace = $1 AND ended_at IS NULL`,
    [tables.workspace],
  );
  return found.rows[0] ? toRun(found.rows[0]) : undefined;
}

/** See SharedApplyStore.startRun. Starters of one workspace take turns (a transaction lock). */
export async function startRun(
  client: pg.ClientBase,
  tables: RunTables,
  workerId: string,
  offer: NewApplyRun,
): Promise<StartRunResult> {
  const t = names(tables);
  const { workspace } = tables;
  const rollback = async <T>(value: T): Promise<T> => {
    await client.query('ROLLBACK');
    return value;
  };
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [
      advisoryKey(tables.schema, `apply-run\0${workspace}`),
    ]);
    const open = await client.query<RunRowDb>(
      `SELECT ${RUN_COLUMNS} FROM ${t.run} WHERE workspace = $1 AND ended_at IS NULL FOR UPDATE`,
      [workspace],
    );
    const current = open.rows[0] ? toRun(open.rows[0]) : undefined;
    if (current && current.inputsDigest === offer.inputsDigest) {
      await attach(client, tables, workerId, current.id);
      await client.query('COMMIT');
      return { kind: 'joined', run: current };
    }
    if (current) {
      const live = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${t.worker} w WHERE w.run_id = $1 AND ${workerAlive(tables.schema)}`,
        [current.id],
      );
      const n = live.rows[0]?.n ?? 0;
      if (n > 0) {
        throw new LockHeldError(
          `The state workspace '${workspace}' is being applied from other inputs by ${n} ${n === 1 ? 'worker' : 'workers'} (started by ${current.startedBy} at ${current.startedAt}); this apply's specs, recipients, config or options differ.`,
          'Wait for it to finish (then apply again), or start the workers with the same specs, files and options to join it.',
        );
      }
      // Its workers are gone: what they left pending was never journalled, so it is planned afresh.
      await client.query(
        `UPDATE ${t.run} SET ended_at = now(), ended = 'abandoned' WHERE id = $1`,
        [current.id],
      );
      // Requests hold full numbers and rendered texts: none is kept once its run has ended.
      await client.query(
        `UPDATE ${t.request} SET request = NULL WHERE run_id = $1 AND request IS NOT NULL`,
        [current.id],
      );
    }
    // The requests are built as they are inserted: a page of them at a time, all in this
    // transaction, so no worker sees the run before it is whole and a crash leaves nothing.
    const requests = offer.requests[Symbol.iterator]();
    let next = requests.next();
    if (next.done) {
      await client.query('COMMIT');
      return { kind: 'nothing' };
    }
    // A plan read before another run's sends would send them again.
    if (
      (await currentJournalDigest(client, t.journal, tables.schema, workspace)) !==
      offer.stateDigest
    )
      return await rollback({ kind: 'state-changed' as const });
    // Its counts, stages and canary are set once its requests are in.
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO ${t.run} (workspace, inputs_digest, messages, requests, rate_limit, started_by, staged) VALUES ($1, $2, 0, 0, $3, $4, false) RETURNING id::text AS id`,
      [workspace, offer.inputsDigest, offer.rateLimit ?? null, offer.startedBy],
    );
    const runId = inserted.rows[0]?.id;
    if (runId === undefined)
      throw new StateError('The state database did not record the apply run.');
    let seq = 0;
    let messages = 0;
    let staged = false;
    while (!next.done) {
      const page: unknown[] = [];
      for (; !next.done && page.length < INSERT_PAGE; next = requests.next()) {
        const r = next.value;
        const stage = r.stage ?? STAGE_RANK.rest;
        staged ||= stage !== STAGE_RANK.rest;
        messages += r.messages;
        page.push({
          seq: seq++,
          bulkId: r.bulkId,
          messages: r.messages,
          request: r.payload,
          stage,
        });
      }
      await client.query(
        `INSERT INTO ${t.request} (run_id, seq, bulk_id, messages, request, stage)
         SELECT $1, (r->>'seq')::int, r->>'bulkId', (r->>'messages')::int, r->'request', (r->>'stage')::smallint FROM jsonb_array_elements($2::jsonb) AS x(r)`,
        [runId, JSON.stringify(page)],
      );
    }
    const { canary, records } = offer.finish();
    const updated = await client.query<RunRowDb>(
      `UPDATE ${t.run} SET messages = $2, requests = $3, staged = $4, canary = $5::jsonb WHERE id = $1 RETURNING ${RUN_COLUMNS}`,
      [runId, messages, seq, staged, canary ? JSON.stringify(canary) : null],
    );
    const row = updated.rows[0];
    if (!row) throw new StateError('The state database did not record the apply run.');
    const run = toRun(row);
    await insertRecords(client, t.journal, workspace, records);
    await attach(client, tables, workerId, run.id);
    await client.query('COMMIT');
    return { kind: 'started', run };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function attach(
  client: pg.ClientBase,
  tables: RunTables,
  workerId: string,
  runId: string,
): Promise<void> {
  await client.query(`UPDATE ${names(tables).worker} SET run_id = $2 WHERE id = $1`, [
    workerId,
    runId,
  ]);
}

/** Joins a run by id (the workers `apply --workers N` starts beside itself); undefined once it has ended. */
export async function joinRun(
  client: pg.ClientBase,
  tables: RunTables,
  workerId: string,
  runId: string,
): Promise<ApplyRun | undefined> {
  const t = names(tables);
  const found = await client.query<RunRowDb>(
    `SELECT ${RUN_COLUMNS} FROM ${t.run} WHERE id = $1 AND workspace = $2 AND ended_at IS NULL`,
    [runId, tables.workspace],
  );
  const row = found.rows[0];
  if (!row) return undefined;
  await attach(client, tables, workerId, runId);
  return toRun(row);
}

function parseJson(text: string | null, what: string): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new StateError(
      `The state database holds ${what} that is not JSON.`,
      'Restore the database from a backup; waspec never changes rows it wrote.',
    );
  }
}

/** The statements one worker runs on its session's connection. */
export function runWorkerQueries(tables: RunTables, workerId: string, runId: string) {
  const t = names(tables);
  const { workspace } = tables;
  const expectOne = (result: pg.QueryResult, seq: number) => {
    if (result.rowCount !== 1)
      throw new StateError(
        `Request ${seq} of apply run ${runId} is not this worker's any more; nothing more is sent.`,
      );
  };
  // A staged run's pending request p may go once every request of an earlier stage is answered
  // (none pending, none out with a live worker) and, for the rest, once its canary passed.
  const unanswered = (stage: string) =>
    `EXISTS (SELECT 1 FROM ${t.request} e LEFT JOIN ${t.worker} w ON w.id = e.worker_id
      WHERE e.run_id = $1 AND ${stage} AND (e.phase = 'pending' OR (e.phase IN ('out', 'waiting') AND ${workerAlive(tables.schema)})))`;
  // A run's requests come stage by stage in seq order, so those of an earlier stage than p lie
  // before it (e.seq < p.seq bounds the look-up by the primary key to them, not the whole run).
  const stageOpen = `(NOT (SELECT staged FROM ${t.run} WHERE id = $1) OR (NOT ${unanswered('e.seq < p.seq AND e.stage < p.stage')}
      AND (p.stage < ${STAGE_RANK.rest} OR (SELECT canary IS NULL OR gate = 'passed' FROM ${t.run} WHERE id = $1))))`;
  // Once this worker claimed a request of the rest, every request before the rest is answered and
  // the canary passed, for good (done is final, a gone worker stays gone, a verdict is set once):
  // its later claims need not look again. (A claim's transaction that rolls back stops the worker.)
  let restOpen = false;
  const liveWorkers = async (client: pg.ClientBase): Promise<number> => {
    const live = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${t.worker} w WHERE w.run_id = $1 AND ${workerAlive(tables.schema)}`,
      [runId],
    );
    return live.rows[0]?.n ?? 0;
  };
  return {
    canaryAnswered: async (client: pg.ClientBase): Promise<unknown[] | undefined> => {
      const run = await client.query<{ judge: boolean }>(
        `SELECT (canary IS NOT NULL AND gate IS NULL AND breaker IS NULL AND NOT ${unanswered(`e.stage = ${STAGE_RANK.canary}`)}) AS judge FROM ${t.run} WHERE id = $1`,
        [runId],
      );
      if (!run.rows[0]?.judge) return undefined;
      const done = await client.query<{ seq: number; outcome: string }>(
        `SELECT seq, outcome::text AS outcome FROM ${t.request} WHERE run_id = $1 AND stage = ${STAGE_RANK.canary} AND phase = 'done' ORDER BY seq`,
        [runId],
      );
      return done.rows.map((row) =>
        parseJson(row.outcome, `the outcome of request ${row.seq} of apply run ${runId}`),
      );
    },
    judgeCanary: async (
      client: pg.ClientBase,
      verdict: 'passed' | 'paused',
      records: JournalRecord[],
    ) => {
      const set = await client.query(
        `UPDATE ${t.run} SET gate = $2 WHERE id = $1 AND gate IS NULL AND breaker IS NULL`,
        [runId, verdict],
      );
      if (set.rowCount === 1) await insertRecords(client, t.journal, workspace, records);
    },
    canaryVerdict: async (client: pg.ClientBase): Promise<'passed' | 'paused' | undefined> => {
      const found = await client.query<{ gate: string | null }>(
        `SELECT gate FROM ${t.run} WHERE id = $1`,
        [runId],
      );
      const gate = found.rows[0]?.gate;
      return gate === 'passed' || gate === 'paused' ? gate : undefined;
    },
    // claim, mark and finish run inside a transaction of the caller's (several lanes' together).
    claim: async (client: pg.ClientBase, inFlight: (payload: unknown) => JournalRecord[]) => {
      // Only the first pending request (not locked by another claim) is a candidate: whether a
      // request's stage is open depends on its stage alone, later stages are open only when earlier
      // ones are, and seq follows the stages, so no later pending request is open when it is not.
      const claimed = await client.query<{ seq: number; stage: number; request: string | null }>(
        `UPDATE ${t.request} r SET phase = 'out', worker_id = $2, claimed_at = now()
          WHERE r.run_id = $1 AND r.seq = (SELECT p.seq FROM (SELECT c.seq, c.stage FROM ${t.request} c WHERE c.run_id = $1 AND c.phase = 'pending' ORDER BY c.seq LIMIT 1 FOR UPDATE SKIP LOCKED) p
              WHERE ${restOpen ? 'true' : stageOpen})
            AND (SELECT breaker IS NULL AND gate IS DISTINCT FROM 'paused' FROM ${t.run} WHERE id = $1 FOR SHARE)
          RETURNING r.seq, r.stage, r.request::text AS request`,
        [runId, workerId],
      );
      const row = claimed.rows[0];
      if (!row) return undefined;
      restOpen ||= row.stage === STAGE_RANK.rest;
      const payload = parseJson(row.request, `request ${row.seq} of apply run ${runId}`);
      await insertRecords(client, t.journal, workspace, inFlight(payload));
      return { seq: row.seq, payload };
    },
    mark: async (
      client: pg.ClientBase,
      seq: number,
      phase: 'out' | 'waiting',
      records: JournalRecord[],
    ) => {
      await insertRecords(client, t.journal, workspace, records);
      expectOne(
        await client.query(
          `UPDATE ${t.request} SET phase = $3 WHERE run_id = $1 AND seq = $2 AND worker_id = $4 AND phase IN ('out', 'waiting')`,
          [runId, seq, phase, workerId],
        ),
        seq,
      );
    },
    finish: async (
      client: pg.ClientBase,
      seq: number,
      outcome: unknown,
      records: JournalRecord[],
    ) => {
      await insertRecords(client, t.journal, workspace, records);
      // The request's body is no longer needed: the journal has what was sent.
      const done = await client.query(
        `UPDATE ${t.request} SET phase = 'done', outcome = $3::jsonb, request = NULL WHERE run_id = $1 AND seq = $2 AND worker_id = $4 AND phase IN ('out', 'waiting')`,
        [runId, seq, JSON.stringify(outcome), workerId],
      );
      expectOne(done, seq);
    },
    // A request waiting out its backoff goes back to pending for the run's other workers: its last
    // attempt was journalled as not processed, and whoever claims it journals it in flight again.
    unclaim: async (client: pg.ClientBase, seq: number) => {
      expectOne(
        await client.query(
          `UPDATE ${t.request} SET phase = 'pending', worker_id = NULL, claimed_at = NULL WHERE run_id = $1 AND seq = $2 AND worker_id = $3 AND phase = 'waiting'`,
          [runId, seq, workerId],
        ),
        seq,
      );
    },
    slot: async (client: pg.ClientBase): Promise<number> => {
      // One round trip (no parameters in a multi-statement query: the run id is digits, checked).
      // A slot lost in a crash costs nothing, so its commit need not wait for the disk. The next
      // free slot moves on by 1/rate for every send of every worker; an idle budget does not pile up.
      if (!/^\d+$/.test(runId))
        throw new StateError(`The apply run id '${runId}' is not a number.`);
      // node-postgres answers a multi-statement query with one result per statement (its types say one).
      const results = (await client.query(
        `BEGIN; SET LOCAL synchronous_commit TO off;
         UPDATE ${t.run} SET next_slot = greatest(next_slot, clock_timestamp()) + make_interval(secs => 1.0 / rate_limit)
          WHERE id = ${runId} AND rate_limit > 0
          RETURNING (extract(epoch FROM next_slot - clock_timestamp()) * 1000 - 1000.0 / rate_limit)::float8 AS wait;
         COMMIT`,
      )) as unknown as pg.QueryResult<{ wait: number }>[];
      const wait = results.find((r) => r.command === 'UPDATE')?.rows[0]?.wait ?? 0;
      return Math.max(0, wait);
    },
    progress: async (client: pg.ClientBase): Promise<ApplyRunProgress> => {
      // Grouped first: a worker's liveness is looked up once per group, not once per row.
      const result = await client.query<{
        phase: RequestPhase;
        alive: boolean;
        requests: number;
        messages: number;
      }>(
        `SELECT g.phase, coalesce(CASE WHEN g.phase IN ('out', 'waiting') THEN ${workerAlive(tables.schema)} END, false) AS alive, g.requests, g.messages
           FROM (SELECT r.phase, r.worker_id, count(*)::int AS requests, sum(r.messages)::int AS messages
                   FROM ${t.request} r WHERE r.run_id = $1 GROUP BY r.phase, r.worker_id) g
           LEFT JOIN ${t.worker} w ON w.id = g.worker_id`,
        [runId],
      );
      const zero = (): Record<RequestPhase, number> => ({
        pending: 0,
        out: 0,
        waiting: 0,
        done: 0,
      });
      const progress: ApplyRunProgress = {
        requests: zero(),
        messages: zero(),
        orphaned: { requests: 0, messages: 0 },
        liveWorkers: 0,
      };
      for (const row of result.rows) {
        if ((row.phase === 'out' || row.phase === 'waiting') && !row.alive) {
          progress.orphaned.requests += row.requests;
          progress.orphaned.messages += row.messages;
          continue;
        }
        progress.requests[row.phase] += row.requests;
        progress.messages[row.phase] += row.messages;
      }
      progress.liveWorkers = await liveWorkers(client);
      return progress;
    },
    liveWorkers,
    // The pending requests' own index: no row of the run is read.
    anyPending: async (client: pg.ClientBase): Promise<boolean> => {
      const found = await client.query(
        `SELECT 1 FROM ${t.request} WHERE run_id = $1 AND phase = 'pending' LIMIT 1`,
        [runId],
      );
      return found.rows.length > 0;
    },
    /**
     * See ApplyRunWorker.summaryRows: in one read-only snapshot, pages in seq order (keyset on the
     * primary key) sized from the rows before them to hold about SUMMARY_PAGE_BYTES of JSON. A
     * worker's liveness is looked up only for rows out or waiting, never for each pending row.
     */
    summaryRows: async (client: pg.ClientBase, onPage: (rows: ApplyRunRow[]) => void) => {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        // Each page along the primary key: where the server has no statistics of the run's rows
        // yet, it sorted every row after the page, outcomes and all, for each page (a run of
        // 100,000 requests: 15 s a page, some 370 pages).
        await client.query('SET LOCAL enable_sort = off');
        await client.query('SET LOCAL enable_bitmapscan = off');
        let last = -1;
        let limit = SUMMARY_FIRST_PAGE;
        for (;;) {
          const page = await client.query<{
            seq: number;
            bulk_id: string;
            messages: number;
            phase: RequestPhase;
            outcome: string | null;
            request: string | null;
          }>(
            `SELECT r.seq, r.bulk_id, r.messages, r.phase, r.outcome::text AS outcome,
                    CASE WHEN r.phase IN ('out', 'waiting') THEN r.request::text END AS request
               FROM ${t.request} r LEFT JOIN ${t.worker} w ON w.id = r.worker_id
              WHERE r.run_id = $1 AND r.seq > $2
                AND CASE r.phase WHEN 'done' THEN true WHEN 'pending' THEN false
                    ELSE NOT ${workerAlive(tables.schema)} END
              ORDER BY r.seq LIMIT ${limit}`,
            [runId, last],
          );
          let bytes = 0;
          const rows: ApplyRunRow[] = [];
          for (const row of page.rows) {
            bytes += (row.outcome?.length ?? 0) + (row.request?.length ?? 0);
            last = row.seq;
            const where = `request ${row.seq} of apply run ${runId}`;
            rows.push({
              seq: row.seq,
              bulkId: row.bulk_id,
              messages: row.messages,
              phase: row.phase,
              ...(row.phase === 'done'
                ? { outcome: parseJson(row.outcome, `the outcome of ${where}`) }
                : { payload: parseJson(row.request, where) }),
            });
          }
          if (rows.length > 0) onPage(rows);
          if (page.rows.length < limit) break;
          limit = Math.max(
            1,
            Math.min(SUMMARY_PAGE, Math.floor((SUMMARY_PAGE_BYTES * limit) / Math.max(bytes, 1))),
          );
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    // A tripped run ends once no live worker has a request out: what is pending stays unsent.
    endIfDone: (client: pg.ClientBase) =>
      inTransaction(client, async () => {
        // Whether any is left, not how many: the first found ends the look-up.
        const open = await client.query(
          `SELECT 1 FROM ${t.request} r LEFT JOIN ${t.worker} w ON w.id = r.worker_id
            WHERE r.run_id = $1 AND ((r.phase = 'pending' AND (SELECT breaker IS NULL AND gate IS DISTINCT FROM 'paused' FROM ${t.run} WHERE id = $1)) OR (r.phase IN ('out', 'waiting') AND ${workerAlive(tables.schema)}))
            LIMIT 1`,
          [runId],
        );
        if (open.rows.length > 0) return false;
        await client.query(
          `UPDATE ${t.run} SET ended_at = now(), ended = CASE WHEN breaker IS NOT NULL THEN 'breaker' WHEN gate = 'paused' THEN 'paused' ELSE 'finished' END WHERE id = $1 AND ended_at IS NULL`,
          [runId],
        );
        // Requests hold full numbers and rendered texts: none is kept once the run has ended
        // (done ones lost theirs already; ones a gone worker left out lose them now).
        await client.query(
          `UPDATE ${t.request} SET request = NULL WHERE run_id = $1 AND request IS NOT NULL`,
          [runId],
        );
        return true;
      }),
    /** Trips the run's breaker for every worker (the first trip wins) and journals `records` with it. */
    trip: async (client: pg.ClientBase, trip: unknown, records: JournalRecord[]) => {
      const set = await client.query(
        `UPDATE ${t.run} SET breaker = $2::jsonb WHERE id = $1 AND breaker IS NULL`,
        [runId, JSON.stringify(trip)],
      );
      if (set.rowCount === 1) await insertRecords(client, t.journal, workspace, records);
    },
    tripped: async (client: pg.ClientBase): Promise<unknown> => {
      const found = await client.query<{ breaker: string | null }>(
        `SELECT breaker::text AS breaker FROM ${t.run} WHERE id = $1`,
        [runId],
      );
      return parseJson(found.rows[0]?.breaker ?? null, `the breaker trip of apply run ${runId}`);
    },
  };
}
