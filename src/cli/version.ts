import { readFileSync } from 'node:fs';

/** The version in package.json (beside dist/ when installed, beside src/ here). */
export function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const { version } = JSON.parse(text) as { version?: unknown };
  return typeof version === 'string' ? version : 'unknown';
}
