// npm run bench: figures, not pass/fail. Sections run in order when present.
import { existsSync } from 'node:fs';

for (const section of ['compile', 'apply', 'startup']) {
  const file = new URL(`./${section}.mjs`, import.meta.url);
  if (!existsSync(file)) continue;
  const module = await import(file.href);
  await module[`bench${section[0].toUpperCase()}${section.slice(1)}`]();
}
