// The state at scale: what a snapshot of a state of N accepted messages holds per message (heap and
// array buffers after a full GC, in a child process: bench/state-heap.mjs), file and PostgreSQL, and
// the peak RSS of `waspec plan` of the bench's spec against that state (every message unchanged).
// Sizes: BENCH_STATE_SIZES (default 1000000). The PostgreSQL part is skipped without a server
// (WASPEC_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test); its schema
// waspec_bench_state_N is kept between runs with BENCH_KEEP_STATE=1, else dropped at the end.
import {
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { contentHashOf, messageIdFor } from '../dist/api/identity.js';
import { compactRecord } from '../dist/state/compact-records.js';
import { openPgStateStore } from '../dist/state/pg-state.js';
import { parsePostgresTarget } from '../dist/state/state-target.js';
import { acceptedLines, generate, generateState, JOURNAL_HEADER, writeLines } from './compile.mjs';
import { judge } from './goals.mjs';
import { measure } from './measure.mjs';

const SIZES = (process.env.BENCH_STATE_SIZES ?? '1000000').split(',').map(Number);
const DATABASE_URL =
  process.env.WASPEC_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const cli = new URL('../dist/cli/main.js', import.meta.url).pathname;
const heap = new URL('./state-heap.mjs', import.meta.url).pathname;
const dir = new URL('./data/', import.meta.url).pathname;

async function admin(sql, params) {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** The file state's journal copied into a schema of its own (kept records: no full numbers). */
async function pgState(n, journal) {
  const schema = `waspec_bench_state_${n}`;
  const url = new URL(DATABASE_URL);
  url.searchParams.set('schema', schema);
  const lines = Math.ceil(n / 100) * 2;
  const have = await admin(
    `SELECT count(*)::int AS n FROM "${schema}".journal WHERE workspace = 'bench'`,
  ).catch(() => undefined);
  if (have?.rows[0]?.n !== lines) {
    await admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    const store = openPgStateStore(parsePostgresTarget(url.href, 'bench'));
    try {
      let batch = [];
      for await (const line of createInterface({ input: createReadStream(journal) })) {
        const value = JSON.parse(line);
        if (value.waspec) continue;
        batch.push(compactRecord(value));
        if (batch.length === 200) {
          await store.append(batch);
          batch = [];
        }
      }
      await store.append(batch);
    } finally {
      await store.close();
    }
  }
  return { url: url.href, drop: () => admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`) };
}

const MiB = 1024 * 1024;

export async function benchState() {
  const pgUp = await admin('SELECT 1').then(
    () => true,
    () => false,
  );
  for (const n of SIZES) {
    const { spec } = await generate(n);
    const state = await generateState(n);
    const kinds = [['file', [state]]];
    const db = pgUp ? await pgState(n, `${state}/journal.ndjson`) : undefined;
    if (db) kinds.push(['postgres', [db.url, 'bench']]);
    console.log(
      `\nstate of ${n.toLocaleString('en-US')} accepted messages: the snapshot, and plan of the bench's spec against it`,
    );
    console.log(
      '                     bytes/message  read CPU | plan:  wall      CPU  peak RSS | goal (issue 26)',
    );
    try {
      for (const [kind, where] of kinds) {
        const r = await measure(['--expose-gc', heap, kind, ...where]);
        const snap = JSON.parse(r.stdout);
        if (snap.messages !== n)
          throw new Error(`the ${kind} state read ${snap.messages} messages`);
        const p = await measure([cli, 'plan', '--state', where[0], spec], {
          cwd: dir,
          env: { WASPEC_WORKSPACE: 'bench' },
        });
        const perMessage = snap.bytes / n;
        console.log(
          `${`${kind} state`.padEnd(20)} ${perMessage.toFixed(0).padStart(14)} ${`${(snap.cpuMs / 1000).toFixed(1)} s`.padStart(9)} | ${(p.wallMs / 1000).toFixed(1).padStart(9)} s ${(p.cpuMs / 1000).toFixed(1).padStart(6)} s ${p.maxRssMiB.toFixed(0).padStart(5)} MiB | ${judge('stateBytes', perMessage, `${kind} state of ${n.toLocaleString('en-US')}`)}; at 10M ${((perMessage * 10_000_000) / MiB).toFixed(0)} MiB; plan RSS ${judge('planRss', p.maxRssMiB, `against a ${kind} state of all, at ${n.toLocaleString('en-US')}`)}`,
        );
      }
    } finally {
      if (db && process.env.BENCH_KEEP_STATE !== '1') await db.drop();
    }
  }
  await benchStateCommands();
}

const RECORDS = Number(process.env.BENCH_STATE_RECORDS ?? 1_000_000);

/**
 * A journal of `records` records as an older waspec wrote them: in-flight records of one message
 * with its full number (version 1, which `state compact` rewrites), each followed by its outcome.
 */
async function generateRecords(records) {
  const journal = `${dir}records-${records}.ndjson`;
  if (existsSync(journal)) return journal;
  mkdirSync(dir, { recursive: true });
  const at = '2026-01-01T00:00:00.000Z';
  await writeLines(
    journal,
    records / 2,
    (i) => {
      const phoneNumber = `4179${String(1_000_000 + i).padStart(7, '0')}`;
      const message = {
        messageId: messageIdFor('bench', 1, phoneNumber),
        spec: 'bench',
        revision: 1,
        phoneNumber,
        maskedPhoneNumber: `${phoneNumber.slice(0, 4)}*****${phoneNumber.slice(-2)}`,
        contentHash: contentHashOf({ whatsApp: { text: `Hi ${i}` } }),
      };
      return acceptedLines(`B${i}`, at, [message]);
    },
    JOURNAL_HEADER,
  );
  return journal;
}

/**
 * Peak RSS of the commands that go over every record (`state compact`, `state migrate` file →
 * PostgreSQL, `state show`) on a journal of BENCH_STATE_RECORDS records (default 1,000,000): they
 * read a page at a time, so it stays flat as the records grow (the folded messages of migrate's
 * check and show's look-up aside). BENCH_STATE_CLI runs another build (e.g. an earlier one).
 */
export async function benchStateCommands() {
  const waspec = process.env.BENCH_STATE_CLI ?? cli;
  const journal = await generateRecords(RECORDS);
  const work = mkdtempSync(join(tmpdir(), 'waspec-bench-records-'));
  const state = join(work, 'state');
  mkdirSync(state);
  const pgUp = await admin('SELECT 1').then(
    () => true,
    () => false,
  );
  console.log(
    `\nstate commands over ${RECORDS.toLocaleString('en-US')} records (${(RECORDS / 2).toLocaleString('en-US')} messages), ${waspec}`,
  );
  console.log('                              wall      CPU  peak RSS');
  const line = (name, r) =>
    console.log(
      `${name.padEnd(24)} ${(r.wallMs / 1000).toFixed(1).padStart(7)} s ${(r.cpuMs / 1000).toFixed(1).padStart(6)} s ${r.maxRssMiB.toFixed(0).padStart(5)} MiB`,
    );
  try {
    copyFileSync(journal, join(state, 'journal.ndjson'));
    const id = messageIdFor('bench', 1, '41791000000');
    line('state show', await measure([waspec, 'state', 'show', id, '--state', state]));
    line('state compact', await measure([waspec, 'state', 'compact', '--state', state]));
    if (pgUp) {
      const schema = `waspec_bench_records_${RECORDS}`;
      const url = new URL(DATABASE_URL);
      url.searchParams.set('schema', schema);
      await admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      try {
        line(
          'state migrate file → pg',
          await measure([
            waspec,
            'state',
            'migrate',
            '--state',
            state,
            '--to',
            url.href,
            '--to-workspace',
            'bench',
          ]),
        );
      } finally {
        await admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname && process.argv[2] === 'commands')
  await benchStateCommands();
