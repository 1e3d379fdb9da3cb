// npm run bench: figures, not pass/fail. Sections run in order when present; name some to run only
// those (`node bench/run.mjs workers`, or BENCH_SECTIONS=workers).
import { existsSync } from 'node:fs';

const named = process.argv.slice(2);
for (const section of named.length > 0
  ? named
  : (process.env.BENCH_SECTIONS ?? 'compile,apply,workers,startup,suppress,hostile,scale').split(
      ',',
    )) {
  const file = new URL(`./${section}.mjs`, import.meta.url);
  if (!existsSync(file)) continue;
  const module = await import(file.href);
  await module[`bench${section[0].toUpperCase()}${section.slice(1)}`]();
}
