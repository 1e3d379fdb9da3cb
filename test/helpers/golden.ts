import { readFile, writeFile } from 'node:fs/promises';
import * as assert from 'uvu/assert';

/** True when goldens are to be rewritten (UPDATE_GOLDEN=1); the one place that reads it. */
export const UPDATING_GOLDENS = process.env.UPDATE_GOLDEN === '1';

/** Compares `actual` with a golden file; UPDATE_GOLDEN=1 rewrites it (review the diff). */
export async function assertGolden(file: string | URL, actual: string): Promise<void> {
  if (UPDATING_GOLDENS) {
    await writeFile(file, actual);
    return;
  }
  const expected = await readFile(file, 'utf8').catch(() => undefined);
  if (expected === undefined)
    throw new Error(
      `golden file ${String(file)} is missing: run with UPDATE_GOLDEN=1 and review it`,
    );
  assert.fixture(actual, expected);
}
