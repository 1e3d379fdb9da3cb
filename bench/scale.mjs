// Scale: plan, plan --out and apply --yes of a personalised CSV at large sizes (BENCH_SIZES,
// default 2,000,000; 10,000,000 only when named), each in its own child process with a file state,
// apply against the in-process emulator. Too slow for the test suite: figures, not pass/fail.
import { rmSync } from 'node:fs';
import { generate } from './compile.mjs';
import { measure } from './measure.mjs';
import { startEmulator, EMULATOR_DEFAULTS } from '../dist/emulator/server.js';

const SIZES = (process.env.BENCH_SIZES ?? '2000000').split(',').map(Number);
const GOAL_MIB = 1536;
const cli = new URL('../dist/cli/main.js', import.meta.url).pathname;
const dir = new URL('./data/', import.meta.url).pathname;

const fmt = (r) =>
  `${(r.wallMs / 1000).toFixed(1).padStart(7)} s ${(r.cpuMs / 1000).toFixed(1).padStart(7)} s ${r.maxRssMiB.toFixed(0).padStart(6)} MiB`;

/** One command, or its failure in a line (the point of this section is where it breaks). */
async function run(args, env = {}) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const r = await measure(args, { cwd: dir });
    return fmt(r);
  } catch (error) {
    return `failed: ${
      String(error.message ?? error)
        .split('\n')
        .find((l) => /error|heap/i.test(l)) ?? 'non-zero exit'
    }`.slice(0, 160);
  } finally {
    process.env = saved;
  }
}

export async function benchScale() {
  for (const n of SIZES) {
    await generate(n);
    const spec = `recipients-${n}.yaml`;
    const state = `${dir}state-scale-${n}`;
    console.log(
      `\nscale: ${n.toLocaleString('en-US')} personalised recipients, file state (goal: each under ${GOAL_MIB} MiB peak RSS this round; issue 26: 1 GiB)`,
    );
    console.log('                                wall       CPU  peak RSS');
    rmSync(state, { recursive: true, force: true });
    console.log(`${'plan'.padEnd(26)} ${await run([cli, 'plan', '--state', state, spec])}`);
    const out = `${dir}plan-${n}.json`;
    console.log(
      `${'plan --out'.padEnd(26)} ${await run([cli, 'plan', '--state', state, '--out', out, spec])}`,
    );
    const emulator = await startEmulator({ latencyMs: 0 });
    try {
      console.log(
        `${'apply --yes (emulator)'.padEnd(26)} ${await run(
          [cli, 'apply', '--yes', '--state', state, spec],
          {
            WASPEC_BASE_URL: emulator.url,
            WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
            WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
          },
        )}`,
      );
    } finally {
      await emulator.close();
    }
    rmSync(state, { recursive: true, force: true });
    rmSync(out, { force: true });
  }
}
