// npm run bench: figures, not pass/fail. Sections run in order when present.
import { existsSync } from 'node:fs';

for (const section of (process.env.BENCH_SECTIONS ?? 'compile,apply,startup,suppress').split(',')) {
  const file = new URL(`./${section}.mjs`, import.meta.url);
  if (!existsSync(file)) continue;
  const module = await import(file.href);
  await module[`bench${section[0].toUpperCase()}${section.slice(1)}`]();
}
