import { readFile, writeFile } from 'node:fs/promises';
import * as assert from 'uvu/assert';

/** Compares `actual` with a golden file; UPDATE_GOLDEN=1 rewrites it (review the diff). */
export async function assertGolden(file: string, actual: string): Promise<void> {
  if (process.env.UPDATE_GOLDEN === '1') {
    await writeFile(file, actual);
    return;
  }
  const expected = await readFile(file, 'utf8').catch(() => undefined);
  if (expected === undefined)
    throw new Error(`golden file ${file} is missing: run with UPDATE_GOLDEN=1 and review it`);
  assert.fixture(actual, expected);
}
