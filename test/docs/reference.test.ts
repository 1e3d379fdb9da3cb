import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateReference } from '../../scripts/gen-reference.mjs';
import { DIAGNOSTIC_CODES } from '../../src/diagnostics/codes.js';
import { ROOT } from './markdown.js';

const pages = await generateReference();

test('the generated reference pages are up to date (npm run docs writes them)', async () => {
  assert.equal(Object.keys(pages).sort(), [
    'docs/reference/cli.md',
    'docs/reference/config.md',
    'docs/reference/spec.md',
  ]);
  for (const [path, text] of Object.entries(pages))
    assert.ok(
      (await readFile(join(ROOT, path), 'utf8')) === text,
      `${path} is out of date: run npm run docs`,
    );
});

test('the CLI reference has every command, flag and exit code', () => {
  const cli = pages['docs/reference/cli.md'] ?? '';
  for (const heading of ['## waspec plan', '## waspec apply', '### waspec state settle'])
    assert.ok(cli.includes(heading), heading);
  for (const flag of ['`--detailed-exitcode`', '`--allow-large <n>`', '`--workers <n>`'])
    assert.ok(cli.includes(flag), flag);
  for (const exit of ['`0`', '`1`', '`2`', '`3`', '`4`', '`5`', '`130`'])
    assert.match(cli, new RegExp(`\\| ${exit}\\s+\\|`));
});

test('the spec and config references name every field of their schema', () => {
  const spec = pages['docs/reference/spec.md'] ?? '';
  for (const field of [
    '`name`',
    '`whatsApp.templateName`',
    '`recipients[] (with file).phoneColumn`',
  ])
    assert.ok(spec.includes(field), field);
  assert.ok((pages['docs/reference/config.md'] ?? '').includes('`policy.quietHours'));
  assert.ok(Object.keys(DIAGNOSTIC_CODES).length > 0);
});

test.run();
