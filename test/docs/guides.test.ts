import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, markdownPages, runnableBlocks } from './markdown.js';
import { runPage } from './run-blocks.js';

// README and the tutorial have tests of their own; every other page's runnable blocks run here,
// each page in a temporary directory of its own, against the emulator.
const guides = markdownPages().filter(
  (page) =>
    page !== 'README.md' &&
    page !== 'docs/tutorial.md' &&
    runnableBlocks(readFileSync(join(ROOT, page), 'utf8')).length > 0,
);

test('some guides have runnable blocks (docs/plan.md at least)', () => {
  assert.ok(guides.includes('docs/plan.md'), `pages with runnable blocks: ${guides.join(', ')}`);
});

for (const page of guides)
  test(`${page}: its runnable blocks run and print what it shows`, async () => {
    assert.ok((await runPage(page)) >= 1);
  });

test.run();
