import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { DIAGNOSTIC_CODES } from '../../src/diagnostics/codes.js';

test('the README lists every diagnostic code', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  for (const code of Object.keys(DIAGNOSTIC_CODES))
    assert.ok(new RegExp(`\\|\\s*\`${code}\`\\s*\\|`).test(readme), `README lacks ${code}`);
});

test.run();
