import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { quoteIdent } from '../../src/state/pg-migrations.js';
import { openPgStateStore } from '../../src/state/pg-state.js';
import { parsePostgresTarget } from '../../src/state/state-target.js';
import { adminQuery, postgresBackends, schemaOf, withState } from '../helpers/state-backends.js';
import { inFlight } from './records.js';

// Rows enough that a server without statistics of the journal plans a page as a bitmap scan of
// the workspace, sorted whole (2,000 are, on PostgreSQL 15); the read takes several pages of them.
const ROWS = 20_000;
const RECORD = inFlight('B1', '2026-01-01T00:00:00.000Z', [
  { messageId: 'id-a', spec: 's', phoneNumber: '41793026727', contentHash: 'h1' },
]);

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

interface Page {
  text: string;
  values: unknown[];
  /** The nodes of its plan, the top one first. */
  nodes: PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

/** The nodes of an answer to EXPLAIN (FORMAT JSON). */
function planNodes(explained: pg.QueryResult): PlanNode[] {
  const [{ Plan }] = (explained.rows[0] as { 'QUERY PLAN': [{ Plan: PlanNode }] })['QUERY PLAN'];
  return nodesOf(Plan);
}

/** A page of the state's read, and of an apply run's summary. */
const JOURNAL_PAGE = / j\.id > \$2 ORDER BY j\.id LIMIT \d+$/;
const SUMMARY_PAGE = / ORDER BY r\.seq LIMIT \d+$/;

type Query = (this: pg.Client, text: unknown, values?: unknown[]) => Promise<pg.QueryResult>;

/**
 * Runs `fn` with every page query of a state read explained first, on the read's own connection
 * and in its transaction (so with its settings): the plans, and each page's statement.
 */
async function explainPages(fn: () => Promise<unknown>, page = JOURNAL_PAGE): Promise<Page[]> {
  const proto = pg.Client.prototype as unknown as { query: Query };
  const query = proto.query;
  const pages: Page[] = [];
  proto.query = async function (this: pg.Client, text: unknown, values?: unknown[]) {
    if (typeof text === 'string' && page.test(text)) {
      const plan = await query.call(this, `EXPLAIN (FORMAT JSON) ${text}`, values);
      pages.push({ text, values: values ?? [], nodes: planNodes(plan) });
    }
    return query.call(this, text, values);
  };
  try {
    await fn();
  } finally {
    proto.query = query;
  }
  return pages;
}

/**
 * Every page of a read walked `index` and sorted nothing, at least 3 pages; and the same statement
 * without the read's settings is planned with a sort (else the table shows nothing).
 */
async function assertAlongIndex(pages: Page[], index: string, plainPage = 0): Promise<void> {
  assert.ok(pages.length >= 3, `the read took ${pages.length} pages`);
  for (const [n, { nodes }] of pages.entries()) {
    const types = nodes.map((node) => node['Node Type']);
    assert.not.ok(types.includes('Sort'), `page ${n} sorted: ${types.join(', ')}`);
    assert.ok(
      nodes.some((node) => node['Node Type'] === 'Index Scan' && node['Index Name'] === index),
      `page ${n}: ${types.join(', ')}`,
    );
  }
  const page = pages[plainPage] as Page;
  const plain = await adminQuery(`EXPLAIN (FORMAT JSON) ${page.text}`, page.values);
  assert.ok(
    planNodes(plain).some((node) => node['Node Type'] === 'Sort'),
    'the server plans no sort of this table even without the settings',
  );
}

for (const backend of await postgresBackends()) {
  test('[postgres] a read of a journal never analysed takes each page along the (workspace, id) index, sorting nothing', () =>
    withState(backend, async (state) => {
      await state.store.append([RECORD]);
      const journal = `${quoteIdent(schemaOf(state))}.journal`;
      // Loaded in bulk, as a large state is, and never analysed (not by autovacuum either).
      await adminQuery(`ALTER TABLE ${journal} SET (autovacuum_enabled = false)`);
      await adminQuery(
        `INSERT INTO ${journal} (workspace, type, bulk_id, record) SELECT $1, 'in-flight', 'B1', $2::jsonb FROM generate_series(1, ${ROWS - 1})`,
        [state.workspace, JSON.stringify(RECORD)],
      );
      let records = 0;
      const pages = await explainPages(async () => {
        records = (await state.reopen().read()).records ?? 0;
      });
      assert.is(records, ROWS);
      await assertAlongIndex(pages, 'journal_workspace_id');
    }));
}

for (const backend of await postgresBackends()) {
  test('[postgres] the summary of an apply run never analysed reads each page along its primary key, sorting nothing', () =>
    withState(backend, async (state) => {
      const store = openPgStateStore(
        parsePostgresTarget(state.url ?? '', state.workspace ?? 'default'),
      );
      try {
        const lock = await store.lockWorker();
        const started = await store.startRun(lock, {
          inputsDigest: 'inputs',
          stateDigest: (await store.read()).digest,
          startedBy: 'test',
          requests: [{ bulkId: 'b0', messages: 1, payload: { seq: 0 } }],
          finish: () => ({ records: [] }),
        });
        if (started.kind !== 'started') throw new Error(`no run: ${started.kind}`);
        const run = started.run;
        const requests = `${quoteIdent(schemaOf(state))}.apply_request`;
        // Answered requests loaded in bulk and never analysed, as a run of ten million leaves them.
        await adminQuery(`ALTER TABLE ${requests} SET (autovacuum_enabled = false)`);
        await adminQuery(
          `INSERT INTO ${requests} (run_id, seq, bulk_id, messages, phase, outcome) SELECT $1, n, 'b' || n, 1, 'done', $2::jsonb FROM generate_series(1, ${ROWS - 1}) n`,
          [run.id, JSON.stringify({ answered: 'x'.repeat(200) })],
        );
        const worker = store.worker(lock, run);
        const claimed = await worker.claim(() => []);
        if (!claimed) throw new Error('nothing to claim');
        await worker.finish(claimed.seq, { answered: 0 }, []);
        let rows = 0;
        const pages = await explainPages(
          () => worker.summaryRows((page) => (rows += page.length)),
          SUMMARY_PAGE,
        );
        assert.is(rows, ROWS);
        // The first page is small (100 rows): the second is planned as the rest are.
        await assertAlongIndex(pages, 'apply_request_pkey', 1);
      } finally {
        await store.close();
      }
    }));
}

test.run();
