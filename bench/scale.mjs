// Scale: plan, plan --out and apply --yes of a personalised CSV at large sizes, each in its own
// child process with a file state, apply against the in-process emulator. Off by default: it runs
// the sizes of BENCH_SIZES from 2,000,000 up (`BENCH_SIZES=10000000 npm run bench`, or
// `BENCH_SIZES=10000000 node --expose-gc bench/run.mjs scale` for this section alone), and beside a
// size of 10,000,000 or more also 1,000,000, for the goal "10M takes at most 11x the time of 1M".
// `node bench/run.mjs scale` alone without BENCH_SIZES runs 2,000,000. Figures, not pass/fail.
import { rmSync } from 'node:fs';
import { generate } from './compile.mjs';
import { judge } from './goals.mjs';
import { measure } from './measure.mjs';
import { admin, DATABASE_URL, freshSchema } from './workers.mjs';
import { startEmulator, EMULATOR_DEFAULTS } from '../dist/emulator/server.js';

// Personalised messages are one request each: at the default 4 in flight, 2,000,000 take hours.
const CONCURRENCY = process.env.BENCH_CONCURRENCY ?? '64';
const cli = new URL('../dist/cli/main.js', import.meta.url).pathname;
const dir = new URL('./data/', import.meta.url).pathname;

/** The sizes to run, smallest first: [] when the section is not asked for. */
function sizes() {
  const named = [
    ...process.argv.slice(2),
    ...(process.env.BENCH_SECTIONS ?? '').split(','),
  ].includes('scale');
  const given = process.env.BENCH_SIZES?.split(',').map(Number);
  // Named on its own (`bench/run.mjs scale`), it takes any size given, for a quick look at 200,000.
  const large = (given ?? (named ? [2_000_000] : [])).filter((n) => named || n >= 2_000_000);
  if (large.some((n) => n >= 10_000_000) && !large.includes(1_000_000)) large.push(1_000_000);
  return [...new Set(large)].sort((a, b) => a - b);
}

const fmt = (r) =>
  `${(r.wallMs / 1000).toFixed(1).padStart(7)} s ${(r.cpuMs / 1000).toFixed(1).padStart(7)} s ${r.maxRssMiB.toFixed(0).padStart(6)} MiB`;

/** One command's figures, or its failure (the point of this section is where it breaks). */
async function run(args, env = {}) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await measure(args, { cwd: dir });
  } catch (error) {
    return {
      failed: `failed: ${
        String(error.message ?? error)
          .split('\n')
          .find((l) => /error|heap/i.test(l)) ?? 'non-zero exit'
      }`.slice(0, 160),
    };
  } finally {
    process.env = saved;
  }
}

/** A fresh schema of the bench database for `apply --workers`, or undefined when none answers. */
async function pgSchema() {
  try {
    await admin('SELECT 1');
  } catch {
    return undefined;
  }
  return freshSchema('waspec_scale');
}

/** The commands of each size, in the order they run (each line of the section). */
export const SCALE_COMMANDS = [
  'plan',
  'plan --out',
  'apply --yes',
  'apply --yes plan.json',
  'plan, state of all',
  'apply, state of all',
  'apply --workers 2 (pg)',
];

export async function benchScale() {
  const list = sizes();
  if (list.length === 0) {
    console.log(
      '\nscale: off by default (BENCH_SIZES=10000000 runs plan, plan --out and apply at 10M and 1M)',
    );
    return;
  }
  /** CPU seconds of each command by size, for the 10M / 1M goal. */
  const cpu = new Map();
  for (const n of list) {
    await generate(n);
    const spec = `recipients-${n}.yaml`;
    const state = `${dir}state-scale-${n}`;
    const saved = `${dir}state-scale-saved-${n}`;
    const at = `at ${n.toLocaleString('en-US')}`;
    console.log(`\nscale: ${n.toLocaleString('en-US')} personalised recipients, file state`);
    console.log('                                wall       CPU  peak RSS | goal (issue 26)');
    const line = (name, goal, r) => {
      if (r.failed) return console.log(`${name.padEnd(26)} ${r.failed}`);
      cpu.set(`${name} ${n}`, r.cpuMs);
      console.log(
        `${name.padEnd(26)} ${fmt(r)} | RSS ${judge(goal, r.maxRssMiB, `${name} ${at}`)}`,
      );
    };
    for (const d of [state, saved]) rmSync(d, { recursive: true, force: true });
    line('plan', 'planRss', await run([cli, 'plan', '--state', state, spec]));
    const out = `${dir}plan-${n}.json`;
    line('plan --out', 'planRss', await run([cli, 'plan', '--state', saved, '--out', out, spec]));
    const emulator = await startEmulator({ latencyMs: 0 });
    const api = {
      WASPEC_BASE_URL: emulator.url,
      WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
      WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
    };
    const apply = ['apply', '--yes', '--concurrency', CONCURRENCY];
    try {
      line('apply --yes', 'applyRss', await run([cli, ...apply, '--state', state, spec], api));
      line(
        'apply --yes plan.json',
        'applyRss',
        await run([cli, ...apply, '--state', saved, out], api),
      );
      // The state now holds a record of every message: planning against it reads them all.
      line('plan, state of all', 'planRss', await run([cli, 'plan', '--state', state, spec]));
      line(
        'apply, state of all',
        'applyRss',
        await run([cli, ...apply, '--state', state, spec], api),
      );
      const pgState = await pgSchema();
      if (!pgState)
        console.log(
          `${'apply --workers 2 (pg)'.padEnd(26)} skipped: no PostgreSQL at ${DATABASE_URL}`,
        );
      else
        try {
          line(
            'apply --workers 2 (pg)',
            'applyRss',
            await run([cli, ...apply, '--workers', '2', '--state', pgState.url, spec], api),
          );
        } finally {
          await pgState.drop();
        }
    } finally {
      await emulator.close();
    }
    for (const d of [state, saved]) rmSync(d, { recursive: true, force: true });
    rmSync(out, { force: true });
  }
  const small = list.includes(1_000_000) ? 1_000_000 : undefined;
  const large = list.filter((n) => n >= 10_000_000);
  for (const n of small ? large : []) {
    console.log(`\nscale: CPU time at ${n.toLocaleString('en-US')} over CPU time at 1,000,000`);
    for (const name of SCALE_COMMANDS) {
      const a = cpu.get(`${name} ${small}`);
      const b = cpu.get(`${name} ${n}`);
      if (a === undefined || b === undefined) continue;
      const ratio = b / a;
      console.log(
        `${name.padEnd(26)} ${ratio.toFixed(2).padStart(7)}x | ${judge('linear', ratio * (10_000_000 / n), `${name}, CPU`)}`,
      );
    }
  }
}
