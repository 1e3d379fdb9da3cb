import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './markdown.js';
import { runPage } from './run-blocks.js';

test('the README is a way in: at most 200 lines', async () => {
  const lines = (await readFile(join(ROOT, 'README.md'), 'utf8')).split('\n').length;
  assert.ok(lines <= 200, `README.md has ${lines} lines`);
});

test("the README's runnable blocks run and print what it shows", async () => {
  assert.ok((await runPage('README.md')) >= 1, 'README.md has no runnable block');
});

test.run();
