// Start-up: `waspec --version`, `validate` and `plan` of one small spec beside `node -e 0`, each in
// its own process. The commands alternate within each round, and each ratio is the median over the
// rounds of (the command's time / node -e 0's time in the same round): on a loaded machine a busy
// moment then slows both sides of one ratio alike.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judge } from './goals.mjs';
import { measure, medians } from './measure.mjs';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 21);
const cli = new URL('../dist/cli/main.js', import.meta.url).pathname;
const spec = new URL('../examples/text.yaml', import.meta.url).pathname;

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

export async function benchStartup() {
  // plan against an empty file state (a folder of its own, never written: plan does not write).
  const state = mkdtempSync(join(tmpdir(), 'waspec-bench-startup-'));
  const commands = {
    'node -e 0': { args: ['-e', '0'] },
    'waspec --version': { args: [cli, '--version'], goal: 'versionStart' },
    'waspec validate examples/text.yaml': { args: [cli, 'validate', spec], goal: 'validateStart' },
    'waspec plan examples/text.yaml': {
      args: [cli, 'plan', '--state', state, spec],
      goal: 'planStart',
    },
  };
  const runs = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  try {
    for (let i = 0; i < RUNS; i++)
      for (const [name, { args }] of Object.entries(commands)) runs[name].push(await measure(args));
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
  const base = runs['node -e 0'];
  console.log(
    `\nstart-up (${RUNS} rounds, the commands alternating; figures are medians, ratios the median of each round's ratio to node -e 0)`,
  );
  console.log(`${''.padEnd(36)}   wall    CPU | wall ratio  CPU ratio | goals (CPU; wall)`);
  for (const [name, { goal }] of Object.entries(commands)) {
    const r = medians(runs[name]);
    let ratios = '';
    if (name !== 'node -e 0') {
      const wall = median(runs[name].map((x, i) => x.wallMs / base[i].wallMs));
      const cpu = median(runs[name].map((x, i) => x.cpuMs / base[i].cpuMs));
      ratios = `${wall.toFixed(2).padStart(9)}x ${cpu.toFixed(2).padStart(9)}x`;
      if (goal) ratios += ` | ${judge(goal, cpu, 'CPU')}; ${judge(goal, wall, 'wall')}`;
    }
    console.log(
      `${name.padEnd(36)} ${r.wallMs.toFixed(0).padStart(4)} ms ${r.cpuMs.toFixed(0).padStart(4)} ms |${ratios ? ` ${ratios}` : ''}`,
    );
  }
}
