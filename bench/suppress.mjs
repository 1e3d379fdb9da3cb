// The suppression check at 1M recipients × 1M suppressed numbers: reading the list (normalised like
// recipients) and applying it to a plan of 1M messages (one Set lookup each).
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { fileSuppressionSource } from '../dist/suppressions/file-suppressions.js';
import { applyPolicies } from '../dist/plan/policy/apply-policies.js';
import { openPgStateStore } from '../dist/state/pg-state.js';
import { parsePostgresTarget } from '../dist/state/state-target.js';
import pg from 'pg';

const N = Number(process.env.BENCH_SUPPRESSIONS ?? 1_000_000);
const dir = new URL('./data/', import.meta.url);
mkdirSync(dir, { recursive: true });

/** Every other number of the recipients' range and as many outside it, with a reason on some lines. */
async function generate(n) {
  const file = new URL(`suppressions-${n}.csv`, dir).pathname;
  if (existsSync(file)) return file;
  const out = createWriteStream(file);
  out.write('phoneNumber,reason,date\n');
  for (let i = 0; i < n; i++) {
    const number =
      i % 2 === 0 ? `+41 79 ${String(i).padStart(7, '0')}` : `4178${String(i).padStart(7, '0')}`;
    if (
      !out.write(
        `${number},${i % 10 === 0 ? 'replied STOP' : ''},${i % 10 === 0 ? '2026-01-02' : ''}\n`,
      )
    )
      await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return file;
}

const mib = () => process.memoryUsage().rss / 2 ** 20;

export async function benchSuppress() {
  const file = await generate(N);
  globalThis.gc?.();
  const rssBefore = mib();
  let t = performance.now();
  const list = await fileSuppressionSource([file]).read();
  const readMs = performance.now() - t;
  const rssList = mib();
  const entries = Array.from({ length: N }, (_, i) => {
    const phoneNumber = `4179${String(i).padStart(7, '0')}`;
    return {
      action: 'send',
      messageId: `m${i}`,
      spec: 'bench',
      revision: 1,
      phoneNumber,
      contentHash: 'h',
    };
  });
  t = performance.now();
  applyPolicies(entries, {
    policy: {},
    suppressed: list.numbers,
    specs: new Map(),
    state: { messages: new Map() },
    contents: {},
    now: new Date(),
  });
  const checkMs = performance.now() - t;
  const held = entries.filter((e) => e.action === 'suppressed').length;
  console.log(`\nsuppression list (${n(N)} numbers, CSV) against a plan of ${n(N)} messages`);
  console.log(
    `read and normalise the list   ${(readMs / 1000).toFixed(2).padStart(6)} s  ${n(Math.round(N / (readMs / 1000))).padStart(9)} numbers/s  +${(rssList - rssBefore).toFixed(0)} MiB RSS`,
  );
  console.log(
    `check ${n(N)} messages        ${(checkMs / 1000).toFixed(2).padStart(6)} s  ${n(Math.round(N / (checkMs / 1000))).padStart(9)} messages/s  (${n(held)} suppressed)`,
  );
  await benchTable([...list.numbers.keys()]);
}

const n = (x) => x.toLocaleString('en-US');

/**
 * The same numbers in the PostgreSQL state's suppression table (where a server answers at
 * BENCH_DATABASE_URL or WASPEC_TEST_DATABASE_URL): imported, read by a plan, and the digest a
 * saved plan's staleness check asks for. A schema of its own, dropped afterwards.
 */
async function benchTable(numbers) {
  const base =
    process.env.BENCH_DATABASE_URL ??
    process.env.WASPEC_TEST_DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/test';
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 5000 });
  admin.on('error', () => undefined);
  try {
    await admin.connect();
  } catch (error) {
    console.log(
      `suppression table: skipped, no PostgreSQL at ${new URL(base).host} (${error.message})`,
    );
    return;
  }
  const schema = `waspec_bench_${process.pid}`;
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  const store = openPgStateStore(parsePostgresTarget(url.href, 'bench'));
  try {
    const table = store.suppressions;
    let t = performance.now();
    await table.add(
      numbers.map((phoneNumber, i) =>
        i % 10 === 0 ? { phoneNumber, reason: 'replied STOP' } : { phoneNumber },
      ),
      'bench',
    );
    const addMs = performance.now() - t;
    const heap = () => (globalThis.gc?.(), process.memoryUsage().heapUsed / 2 ** 20);
    const heapBefore = heap();
    t = performance.now();
    const list = await table.read();
    const readMs = performance.now() - t;
    const held = heap() - heapBefore;
    t = performance.now();
    await table.digest();
    const digestMs = performance.now() - t;
    console.log(`suppression table (PostgreSQL, ${n(list.numbers.size)} numbers)`);
    console.log(
      `import (waspec suppress import) ${(addMs / 1000).toFixed(2).padStart(6)} s  ${n(Math.round(numbers.length / (addMs / 1000))).padStart(9)} numbers/s`,
    );
    console.log(
      `read by a plan, with its digest ${(readMs / 1000).toFixed(2).padStart(6)} s  ${n(Math.round(list.numbers.size / (readMs / 1000))).padStart(9)} numbers/s  +${held.toFixed(0)} MiB heap`,
    );
    console.log(`digest alone (saved plan check) ${(digestMs / 1000).toFixed(2).padStart(6)} s`);
  } finally {
    await store.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await admin.end();
  }
}
