// npm run bench: figures, not pass/fail. Sections run in order when present; name some to run only
// those (`node bench/run.mjs workers`, or BENCH_SECTIONS=workers). Every figure with a goal of
// issue 26 is printed with the goal and whether it was met, and the run ends with all of them.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { printGoals } from './goals.mjs';

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(', ');
console.log(`load average at the start: ${load()} (1, 5, 15 min)`);
const named = process.argv.slice(2);
for (const section of named.length > 0
  ? named
  : (
      process.env.BENCH_SECTIONS ??
      'compile,state,apply,workers,startup,suppress,hostile,cost,scale'
    ).split(',')) {
  const file = new URL(`./${section}.mjs`, import.meta.url);
  if (!existsSync(file)) continue;
  const module = await import(file.href);
  await module[`bench${section[0].toUpperCase()}${section.slice(1)}`]();
}
printGoals();
console.log(`\nload average at the end: ${load()} (1, 5, 15 min)`);
