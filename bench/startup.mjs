// Start-up: `waspec --version` and `waspec validate` of one small spec beside `node -e 0`, each in
// its own process, alternating, median of many runs (a start-up lasts tens of milliseconds).
import { measure, medians } from './measure.mjs';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 21);
const cli = new URL('../dist/cli/main.js', import.meta.url).pathname;
const spec = new URL('../examples/text.yaml', import.meta.url).pathname;

export async function benchStartup() {
  const commands = {
    'node -e 0': ['-e', '0'],
    'waspec --version': [cli, '--version'],
    'waspec validate examples/text.yaml': [cli, 'validate', spec],
  };
  const runs = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++)
    for (const [name, args] of Object.entries(commands)) runs[name].push(await measure(args));
  const m = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, medians(v)]));
  const base = m['node -e 0'];
  console.log(
    `\nstart-up (median of ${RUNS} alternating runs; goals: --version <= 1.5x node -e 0, validate <= 3x)`,
  );
  console.log(`${''.padEnd(36)}    wall      CPU | wall ratio CPU ratio`);
  for (const [name, r] of Object.entries(m)) {
    const ratio =
      name === 'node -e 0'
        ? ''
        : `${(r.wallMs / base.wallMs).toFixed(2).padStart(9)}x ${(r.cpuMs / base.cpuMs).toFixed(2).padStart(8)}x`;
    console.log(
      `${name.padEnd(36)} ${r.wallMs.toFixed(0).padStart(5)} ms ${r.cpuMs.toFixed(0).padStart(5)} ms | ${ratio}`,
    );
  }
}
