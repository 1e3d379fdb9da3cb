// The PostgreSQL state in apply: throughput beside the file state (in process, same emulator),
// apply --workers 1, 2 and 4 against an emulator at --latency 100 (the network is the limit), and
// the combined request rate of 4 workers under --rate-limit. Figures, not pass/fail; skipped
// without a PostgreSQL server (WASPEC_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { applyPlan } from '../dist/apply/apply-plan.js';
import { EMULATOR_DEFAULTS, startEmulator } from '../dist/emulator/server.js';
import { planFor } from './apply.mjs';
import { generate } from './compile.mjs';
import { judge } from './goals.mjs';
import { openFileStateStore } from '../dist/state/file-state.js';
import { openPgStateStore } from '../dist/state/pg-state.js';
import { parsePostgresTarget } from '../dist/state/state-target.js';
import { createTransport } from '../dist/transport/create-transport.js';

export const DATABASE_URL =
  process.env.WASPEC_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

export async function admin(sql) {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh schema of the test database for one run, dropped by `drop`. */
export function freshSchema(prefix = 'waspec_bench') {
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
  const url = new URL(DATABASE_URL);
  url.searchParams.set('schema', schema);
  return { url: url.href, drop: () => admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`) };
}

/** applyPlan in this process with a store: messages per second (same emulator settings for both). */
async function inProcess(kind, n) {
  const emulator = await startEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'waspec-bench-'));
  const schema = kind === 'postgres' ? freshSchema() : undefined;
  const store = schema
    ? openPgStateStore(parsePostgresTarget(schema.url, 'bench'))
    : openFileStateStore(dir);
  const transport = createTransport({
    baseUrl: emulator.url,
    appKey: EMULATOR_DEFAULTS.appKey,
    appSecret: EMULATOR_DEFAULTS.appSecret,
    batchSize: 100,
    concurrency: 4,
    stateDir: dir,
    timeoutMs: 30000,
  });
  try {
    const started = performance.now();
    const result = await applyPlan(planFor(n, 100), { store, transport, concurrency: 4 });
    const seconds = (performance.now() - started) / 1000;
    if (result.messages.accepted !== n)
      throw new Error(`bench apply (${kind}) did not accept everything`);
    return { seconds, rate: n / seconds, requests: result.requests };
  } finally {
    transport.close();
    await store.close?.();
    await schema?.drop();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The CLI's settings for a run against `emulator` with its state in `schema` (workspace bench). */
function cliEnv(emulator, schema) {
  return {
    WASPEC_BASE_URL: emulator.url,
    WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
    WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
    WASPEC_STATE_URL: schema.url,
    WASPEC_WORKSPACE: 'bench',
  };
}

/** A workspace of `n` distinct messages, one per request (so requests, not batching, are measured). */
function workspace(n) {
  const dir = mkdtempSync(join(tmpdir(), 'waspec-bench-workers-'));
  mkdirSync(join(dir, 'specs'));
  const rows = Array.from(
    { length: n },
    (_, i) => `4179${String(5000000 + i).padStart(7, '0')}`,
  ).join('\n');
  writeFileSync(join(dir, 'specs', 'workers.csv'), `phoneNumber\n${rows}\n`);
  writeFileSync(
    join(dir, 'specs', 'workers.yaml'),
    'name: workers\nrevision: 1\nbatchSize: 1\nwhatsApp: { text: "Our store opens at 9." }\nrecipients:\n  - file: workers.csv\n',
  );
  return dir;
}

function run(args, cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, CI: 'true', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`waspec ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`)),
    );
  });
}

/**
 * apply --workers N of `n` one-message requests; the rate is the emulator's: requests over the time
 * from the first request's arrival to the last answer (planning and start-up are not sending).
 */
async function workers(n, count, { latencyMs = 0, rateLimit } = {}) {
  const dir = workspace(n);
  const emulator = await startEmulator({ latencyMs });
  const schema = freshSchema();
  try {
    const env = cliEnv(emulator, schema);
    await run(
      [
        'apply',
        '--yes',
        '--workers',
        String(count),
        '--concurrency',
        '4',
        ...(rateLimit ? ['--rate-limit', String(rateLimit)] : []),
      ],
      dir,
      env,
    );
    const log = emulator.requestLog();
    const stats = emulator.stats();
    if (stats.accepted !== n || stats.duplicates !== 0 || log.length !== n)
      throw new Error(`bench workers: ${JSON.stringify(stats)}`);
    const arrivals = log.map((e) => e.receivedAt).sort((a, b) => a - b);
    const first = arrivals[0];
    const lastIn = arrivals[n - 1];
    const lastOut = Math.max(...log.map((e) => e.answeredAt ?? e.receivedAt));
    // The steady rate: arrivals from the 10th to the 90th percentile, once every worker has started
    // (they start a second or two apart) and before the last ones run out of requests.
    const [p10, p90] = [arrivals[Math.floor(n * 0.1)], arrivals[Math.floor(n * 0.9)]];
    return {
      seconds: (lastOut - first) / 1000,
      rate: n / ((lastOut - first) / 1000),
      steady: (Math.floor(n * 0.9) - Math.floor(n * 0.1)) / ((p90 - p10) / 1000),
      arrivalRate: (n - 1) / ((lastIn - first) / 1000),
    };
  } finally {
    await emulator.close();
    await schema.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Peak RSS (VmHWM) of a process so far, in MiB; 0 once it has gone. */
function peakMiB(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return 0;
  }
}

/** The processes `pid` started (none once it has gone). */
function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * apply --workers 2 of the bench's personalised spec over `n` recipients (one request each) against
 * a fresh emulator and schema, until it exits: the peak RSS of the process that planned and
 * materialised the run (its requests inserted into the state) and of the worker it started, sampled
 * every 100 ms, each sample followed by `tick(peak, child, emulator)` (which stops it); its stdout,
 * the messages accepted, and when it started and exited. Linux only (/proc).
 */
async function watchApply(n, tick) {
  const { spec } = await generate(n);
  const emulator = await startEmulator({ latencyMs: 0 });
  const schema = freshSchema();
  const child = spawn(process.execPath, [CLI, 'apply', '--yes', '--workers', '2', spec], {
    cwd: new URL('./data/', import.meta.url).pathname,
    env: { ...process.env, CI: 'true', NO_COLOR: '1', ...cliEnv(emulator, schema) },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const closed = new Promise((resolve) => child.on('close', resolve));
  const peak = { starter: 0, worker: 0 };
  const started = performance.now();
  const timer = setInterval(() => {
    peak.starter = Math.max(peak.starter, peakMiB(child.pid));
    for (const pid of childrenOf(child.pid)) peak.worker = Math.max(peak.worker, peakMiB(pid));
    tick(peak, child, emulator);
  }, 100);
  try {
    await closed;
    const ended = performance.now();
    return { ...peak, stdout, sent: emulator.stats().accepted, started, ended };
  } finally {
    clearInterval(timer);
    await emulator.close();
    await schema.drop();
  }
}

/**
 * watchApply until the first requests are answered, then stopped (Ctrl-C twice): the peaks of
 * planning and materialising the run.
 */
async function materialisePeak(n) {
  let stopping = false;
  const r = await watchApply(n, (_peak, child, emulator) => {
    if (stopping || emulator.stats().accepted <= 100) return;
    stopping = true;
    child.kill('SIGINT');
    setTimeout(() => child.kill('SIGINT'), 2000);
  });
  return { starter: r.starter, worker: r.worker, seconds: (r.ended - r.started) / 1000 };
}

/**
 * watchApply stopped by one Ctrl-C `seconds` after the first request is answered: what the run's
 * end costs when most of it is pending (the summary of the whole run is read from the state, and
 * the workers finish what is out). Peak RSS of the starter before and after the Ctrl-C and of the
 * worker, and the seconds from the Ctrl-C to the starter's exit.
 */
async function stopPeak(n, seconds) {
  let sending = 0;
  let answered;
  let stopped;
  const r = await watchApply(n, (peak, child, emulator) => {
    if (stopped !== undefined) return;
    sending = peak.starter;
    answered ??= emulator.stats().accepted > 0 ? performance.now() : undefined;
    if (answered !== undefined && performance.now() - answered > seconds * 1000) {
      stopped = performance.now();
      child.kill('SIGINT');
    }
  });
  if (!/Apply interrupted: /.test(r.stdout))
    throw new Error(`bench workers stop: no summary: ${r.stdout.slice(-500)}`);
  return {
    starter: r.starter,
    sending,
    worker: r.worker,
    sent: r.sent,
    exit: (r.ended - stopped) / 1000,
  };
}

/** stopPeak at BENCH_WORKERS_STOP recipients (default none: it plans and materialises each size). */
export async function benchWorkersStop() {
  const sizes = (process.env.BENCH_WORKERS_STOP ?? '').split(',').map(Number).filter(Boolean);
  const seconds = Number(process.env.BENCH_WORKERS_STOP_AFTER ?? 30);
  if (sizes.length === 0 || process.platform !== 'linux') return;
  console.log(
    `\napply --workers 2 of the personalised spec, one Ctrl-C ${seconds} s after the first answer: the end of a mostly pending run`,
  );
  for (const size of sizes) {
    const r = await stopPeak(size, seconds);
    const mib = (v) => `${Math.round(v).toLocaleString('en-US').padStart(6)} MiB`;
    console.log(
      `${size.toLocaleString('en-US').padStart(10)} recipients  ${r.sent.toLocaleString('en-US')} sent  starter ${mib(r.sending)} sending, ${mib(r.starter)} in all | ${judge('applyRss', r.starter, `apply --workers 2 stopped at ${size.toLocaleString('en-US')}`)}  worker ${mib(r.worker)}  exit ${r.exit.toFixed(1)} s after Ctrl-C`,
    );
  }
}

/** Peak RSS of apply --workers 2 at BENCH_WORKERS_RSS recipients (default 200,000; 0: none). */
export async function benchWorkersRss() {
  // Issue 26 goal 1: the run's requests are inserted as they are built, a page at a time.
  const sizes = (process.env.BENCH_WORKERS_RSS ?? '200000').split(',').map(Number).filter(Boolean);
  if (sizes.length > 0 && process.platform === 'linux') {
    console.log(
      '\napply --workers 2 of the personalised spec (one request per recipient), until it sends: peak RSS',
    );
    for (const size of sizes) {
      const r = await materialisePeak(size);
      console.log(
        `${size.toLocaleString('en-US').padStart(10)} recipients  starter ${Math.round(r.starter).toLocaleString('en-US').padStart(6)} MiB | ${judge('applyRss', r.starter, `apply --workers 2 at ${size.toLocaleString('en-US')}`)}  worker ${Math.round(r.worker).toLocaleString('en-US').padStart(5)} MiB`,
      );
    }
  }
}

export async function benchWorkers() {
  try {
    await admin('SELECT 1');
  } catch (error) {
    console.log(
      `\napply with the PostgreSQL state: skipped, no server at ${new URL(DATABASE_URL).host} (${error.message})`,
    );
    return;
  }
  const n = Number(process.env.BENCH_APPLY ?? 20000);
  console.log(
    `\napply of ${n.toLocaleString('en-US')} messages, 100 per request, 4 in flight, against the emulator on 127.0.0.1 (in process)`,
  );
  for (const kind of ['file', 'postgres']) {
    const r = await inProcess(kind, n);
    console.log(
      `${`${kind} state`.padEnd(18)} ${r.seconds.toFixed(2).padStart(7)} s ${Math.round(r.rate).toLocaleString('en-US').padStart(8)} messages/s ${(r.requests / r.seconds).toFixed(1).padStart(7)} requests/s`,
    );
  }

  const requests = Number(process.env.BENCH_WORKERS_REQUESTS ?? 1500);
  console.log(
    `\napply --workers N of ${requests.toLocaleString('en-US')} requests (1 message each), --concurrency 4, emulator at --latency 100, no rate limit`,
  );
  console.log('goals: >= 1.8x the rate of 1 worker at 2 workers, >= 3x at 4');
  console.log(
    '(whole: requests from the first arrival to the last answer; steady: arrivals from the 10th to the 90th percentile)',
  );
  console.log(
    `${''.padEnd(18)} ${'whole'.padStart(9)} ${'requests/s'.padStart(11)} ${'ratio'.padStart(6)} | ${'steady'.padStart(10)} ${'ratio'.padStart(6)}`,
  );
  let one;
  for (const count of [1, 2, 4]) {
    const r = await workers(requests, count, { latencyMs: 100 });
    one ??= r;
    console.log(
      `${`${count} ${count === 1 ? 'worker' : 'workers'}`.padEnd(18)} ${r.seconds.toFixed(2).padStart(7)} s ${r.rate.toFixed(1).padStart(11)} ${(r.rate / one.rate).toFixed(2).padStart(5)}x | ${r.steady.toFixed(1).padStart(10)} ${(r.steady / one.steady).toFixed(2).padStart(5)}x`,
    );
  }

  await benchWorkersRss();
  await benchWorkersStop();

  const limit = Number(process.env.BENCH_WORKERS_RATE ?? 20);
  const limited = Number(process.env.BENCH_WORKERS_LIMITED ?? 300);
  console.log(
    `\napply --workers 4 --rate-limit ${limit} of ${limited} requests (goal: the combined rate within 5% of the limit)`,
  );
  const r = await workers(limited, 4, { rateLimit: limit });
  console.log(
    `combined arrival rate ${r.arrivalRate.toFixed(2)} requests/s = ${((r.arrivalRate / limit) * 100).toFixed(1)}% of the limit`,
  );
}
