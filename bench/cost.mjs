// The rate card's price: plan of a personalised CSV with and without `rates:` in the config (and
// against a state holding every message, where the last apply of the spec is priced too).
// Goal: at most 5% more wall time. Commands alternate; each figure is the median of its runs.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { generate, generateState } from './compile.mjs';
import { measure, medians } from './measure.mjs';

const SIZES = (process.env.BENCH_SIZES ?? '1000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const dir = new URL('./data/', import.meta.url).pathname;
const cli = new URL('../dist/cli/main.js', import.meta.url).pathname;
const card = new URL('../examples/rates/example-rates.yaml', import.meta.url).pathname;

/** Two workspaces: one whose config names the example rate card, one with an empty config. */
function workspaces() {
  const withRates = `${dir}cost-with-rates`;
  const without = `${dir}cost-without`;
  for (const w of [withRates, without]) mkdirSync(w, { recursive: true });
  copyFileSync(card, `${withRates}/rates.yaml`);
  writeFileSync(`${withRates}/waspec.config.yaml`, 'rates: rates.yaml\n');
  writeFileSync(`${without}/waspec.config.yaml`, '');
  return { withRates, without };
}

const secs = (ms) => `${(ms / 1000).toFixed(2).padStart(6)} s`;

export async function benchCost() {
  const { withRates, without } = workspaces();
  const empty = `${dir}state-empty`;
  for (const n of SIZES) {
    const { spec } = await generate(n);
    const state = await generateState(n);
    rmSync(empty, { recursive: true, force: true });
    const commands = {
      plan: [without, ['plan', '--state', empty, spec]],
      'plan, rates': [withRates, ['plan', '--state', empty, spec]],
      'plan, state': [without, ['plan', '--state', state, spec]],
      'plan, state, rates': [withRates, ['plan', '--state', state, spec]],
    };
    const runs = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
    for (let i = 0; i < RUNS; i++)
      for (const [name, [cwd, args]] of Object.entries(commands))
        runs[name].push(await measure([cli, ...args], { cwd }));
    const m = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, medians(v)]));
    console.log(
      `\nplan of ${n.toLocaleString('en-US')} recipients with a rate card (median of ${RUNS} alternating runs); goal: at most 1.05x the wall time without`,
    );
    for (const [base, priced] of [
      ['plan', 'plan, rates'],
      ['plan, state', 'plan, state, rates'],
    ])
      console.log(
        `${base.padEnd(12)} ${secs(m[base].wallMs)} | with rates ${secs(m[priced].wallMs)} | ${(m[priced].wallMs / m[base].wallMs).toFixed(3)}x wall, ${(m[priced].cpuMs / m[base].cpuMs).toFixed(3)}x CPU`,
      );
  }
}
