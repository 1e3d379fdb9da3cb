import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { DIAGNOSTIC_CODES } from '../../src/diagnostics/codes.js';

test('docs/reference/diagnostics.md lists every diagnostic code', async () => {
  const page = await readFile(
    new URL('../../docs/reference/diagnostics.md', import.meta.url),
    'utf8',
  );
  for (const code of Object.keys(DIAGNOSTIC_CODES))
    assert.ok(
      new RegExp(`\\|\\s*\`${code}\`\\s*\\|`).test(page),
      `docs/reference/diagnostics.md lacks ${code}`,
    );
});

test.run();
