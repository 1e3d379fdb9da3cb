// Apply throughput against the in-process emulator: batched (100 destinations per request,
// 4 in flight) beside a naive sender (one request per message, one at a time, no journal) and
// apply itself at one message per request (what the journal costs).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan } from '../dist/apply/apply-plan.js';
import { messageIdFor, contentHashOf } from '../dist/api/identity.js';
import { startEmulator, EMULATOR_DEFAULTS } from '../dist/emulator/server.js';
import { openFileStateStore } from '../dist/state/file-state.js';
import { createTransport } from '../dist/transport/create-transport.js';

/** A plan of `n` sends of one content, `batchSize` per request (also bench/workers.mjs). */
export function planFor(n, batchSize) {
  const content = { whatsApp: { text: 'Our store opens at 9.' } };
  const contentHash = contentHashOf(content);
  const entries = Array.from({ length: n }, (_, i) => {
    const phoneNumber = `4179${String(i).padStart(7, '0')}`;
    return {
      action: 'send',
      messageId: messageIdFor('bench', 1, phoneNumber),
      spec: 'bench',
      revision: 1,
      phoneNumber,
      contentHash,
    };
  });
  return {
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    specs: [{ name: 'bench', file: 'bench.yaml', revision: 1, batchSize }],
    contents: { [contentHash]: content },
    entries,
    summary: { send: n, retry: 0, unchanged: 0, drift: 0, rejected: 0, 'in-doubt': 0, orphan: 0 },
    inputs: { files: [], state: { location: '', sha256: '' } },
    options: { retryRejected: false, resendInDoubt: false, targets: [] },
    diagnostics: [],
  };
}

async function measure(n, batchSize, concurrency, latencyMs = 0, breaker = undefined) {
  const emulator = await startEmulator({ latencyMs });
  const dir = mkdtempSync(join(tmpdir(), 'waspec-bench-'));
  const transport = createTransport({
    baseUrl: emulator.url,
    appKey: EMULATOR_DEFAULTS.appKey,
    appSecret: EMULATOR_DEFAULTS.appSecret,
    batchSize,
    concurrency,
    stateDir: dir,
    timeoutMs: 30000,
  });
  try {
    const started = performance.now();
    const result = await applyPlan(planFor(n, batchSize), {
      store: openFileStateStore(dir),
      transport,
      concurrency,
      ...(breaker ? { breaker } : {}),
    });
    const seconds = (performance.now() - started) / 1000;
    if (result.messages.accepted !== n || emulator.stats().duplicates !== 0)
      throw new Error('bench apply did not accept everything');
    return { n, seconds, rate: n / seconds, requests: result.requests };
  } finally {
    transport.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A plan of `n` personalised messages: each its own content, so each its own request. */
function personalisedPlan(n) {
  const plan = planFor(n, 100);
  plan.contents = {};
  for (const [i, entry] of plan.entries.entries()) {
    const content = { whatsApp: { text: `Hi Person ${i}, your code is C${i}` } };
    entry.contentHash = contentHashOf(content);
    plan.contents[entry.contentHash] = content;
  }
  return plan;
}

/** `waspec emulator --latency 0` in a process of its own (its CPU is not apply's); stop() ends it. */
async function emulatorProcess() {
  const cli = new URL('../dist/cli/main.js', import.meta.url).pathname;
  const child = spawn(process.execPath, [cli, 'emulator', '--port', '0', '--latency', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  while (!/listening on (\S+)/.test(out)) {
    const [chunk] = await once(child.stdout, 'data');
    out += chunk;
  }
  child.stdout.resume();
  return {
    url: /listening on (\S+)/.exec(out)[1],
    stop: async () => {
      child.kill('SIGINT');
      await once(child, 'close');
    },
  };
}

/**
 * CPU time (user + sys of this process) per message of applyPlan of `n` personalised messages,
 * 64 in flight, against an emulator process. `journal`: 'kept' (the store's lock held: the journal
 * stays open, as apply runs) or 'reopened' (no lock: opened and checked on every commit, as every
 * commit was before).
 */
async function cpuPerMessage(n, journal, url) {
  const dir = mkdtempSync(join(tmpdir(), 'waspec-bench-'));
  const store = openFileStateStore(dir);
  const transport = createTransport({
    baseUrl: url,
    appKey: EMULATOR_DEFAULTS.appKey,
    appSecret: EMULATOR_DEFAULTS.appSecret,
    batchSize: 100,
    concurrency: 64,
    stateDir: dir,
    timeoutMs: 30000,
  });
  const plan = personalisedPlan(n);
  const lock = journal === 'kept' ? await store.lock() : undefined;
  try {
    await transport.refreshToken();
    const before = process.cpuUsage();
    const result = await applyPlan(plan, { store, transport, concurrency: 64 });
    const cpu = process.cpuUsage(before);
    if (result.messages.accepted + result.messages.inDoubt !== n)
      throw new Error('bench apply did not send everything');
    return (cpu.user + cpu.system) / n;
  } finally {
    await lock?.release();
    transport.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The naive way: a loop of POSTs, one message each, nothing recorded. */
async function measureNaive(n) {
  const emulator = await startEmulator();
  const transport = createTransport({
    baseUrl: emulator.url,
    appKey: EMULATOR_DEFAULTS.appKey,
    appSecret: EMULATOR_DEFAULTS.appSecret,
    batchSize: 1,
    concurrency: 1,
    stateDir: '.',
    timeoutMs: 30000,
  });
  const content = { whatsApp: { text: 'Our store opens at 9.' } };
  try {
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      const phoneNumber = `4179${String(i).padStart(7, '0')}`;
      const messageId = messageIdFor('naive', 1, phoneNumber);
      const sent = await transport.send({
        bulkId: messageId,
        destinations: [{ messageId, to: { phoneNumber } }],
        ...content,
      });
      if (sent.kind !== 'ok') throw new Error(`naive send: ${sent.kind}`);
    }
    const seconds = (performance.now() - started) / 1000;
    return { n, seconds, rate: n / seconds, requests: n };
  } finally {
    transport.close();
    await emulator.close();
  }
}

/** CPU per personalised message, with the journal as apply keeps it, as it was, and without. */
export async function benchApplyCpu() {
  // Personalised messages are one request each: CPU per message decides apply's time at 10M.
  const cpuN = Number(process.env.BENCH_APPLY_CPU ?? 20000);
  console.log(
    `\napply's CPU per personalised message (one request each), ${cpuN.toLocaleString('en-US')} messages, 64 in flight, emulator process at --latency 0`,
  );
  console.log(
    '(issue 26 goal 1: 10M recipients in time linear in 1M; at 10M every microsecond per message is 10 s of CPU)',
  );
  const emulator = await emulatorProcess();
  try {
    for (const [journal, label] of [
      ['reopened', 'journal opened and checked at every commit (before)'],
      ['kept', 'journal kept open while the lock is held (apply)'],
    ]) {
      const us = await cpuPerMessage(cpuN, journal, emulator.url);
      console.log(
        `${label.padEnd(54)} ${Math.round(us).toLocaleString('en-US').padStart(6)} us/message  ${((us * 10_000_000) / 1e6 / 3600).toFixed(2).padStart(6)} CPU hours at 10M`,
      );
    }
  } finally {
    await emulator.stop();
  }
}

export async function benchApply() {
  console.log(
    '\napply against the emulator on 127.0.0.1 (journal fsynced before and after every request)',
  );
  const batched = await measure(Number(process.env.BENCH_APPLY ?? 20000), 100, 4);
  const small = Number(process.env.BENCH_APPLY_NAIVE ?? 2000);
  const naive = await measureNaive(small);
  const single = await measure(small, 1, 1);
  const line = (label, r) =>
    `${label.padEnd(54)} ${String(r.n).padStart(6)} messages ${String(r.requests).padStart(6)} requests ${r.seconds.toFixed(2).padStart(7)} s ${Math.round(r.rate).toLocaleString('en-US').padStart(8)} messages/s`;
  console.log(line('waspec apply (100 per request, 4 in flight)', batched));
  console.log(line('naive sender (1 per request, sequential, no journal)', naive));
  console.log(line('waspec apply (1 per request, sequential)', single));
  console.log(`ratio apply / naive: ${(batched.rate / naive.rate).toFixed(1)}x`);
  // A healthy run: the circuit breaker (on by default) should cost nothing measurable.
  const withBreaker = await measure(Number(process.env.BENCH_APPLY ?? 20000), 100, 4, 0, {
    window: 200,
    minAnswers: 20,
    maxRejectedShare: 0.2,
    maxFailedShare: 0.2,
  });
  console.log(line('waspec apply (100 per request, 4 in flight), breaker on', withBreaker));
  console.log(`ratio breaker on / off: ${(withBreaker.rate / batched.rate).toFixed(2)}`);
  await benchApplyCpu();
  // When the network is the limit (100 ms per request), requests in flight decide the rate.
  const slow = Number(process.env.BENCH_APPLY_SLOW ?? 100000);
  console.log(
    `\napply of ${slow.toLocaleString('en-US')} messages, 100 per request, emulator at --latency 100 (the network is the limit)`,
  );
  for (const concurrency of [4, 16, 64])
    console.log(
      line(`waspec apply --concurrency ${concurrency}`, await measure(slow, 100, concurrency, 100)),
    );
}
