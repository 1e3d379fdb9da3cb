import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runPage } from './run-blocks.js';

test('the tutorial runs from an empty directory to an apply against the emulator', async () => {
  assert.ok((await runPage('docs/tutorial.md')) >= 6, 'docs/tutorial.md lost runnable blocks');
});

test.run();
