import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EXIT } from '../../src/errors.js';

// The action keeps its own copy (it may run an installed waspec's CLI without this package's modules).
const ACTION_EXIT = new URL('../../action/exit-codes.mjs', import.meta.url).href;

test('the action names the same exit codes as the CLI', async () => {
  const { EXIT: action } = (await import(ACTION_EXIT)) as { EXIT: unknown };
  assert.equal(action, { ...EXIT });
});

test('exit codes are distinct', () => {
  const codes = Object.values(EXIT);
  assert.is(new Set(codes).size, codes.length);
});

test.run();
