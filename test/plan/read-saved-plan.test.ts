import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readSavedPlan } from '../../src/plan/saved-plan.js';
import { withTmpDir } from '../state/tmp-dir.js';

async function refusal(file: string): Promise<string> {
  try {
    await readSavedPlan(file);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return 'read';
}

test('a saved plan is read only from a regular file: a directory or a FIFO is refused, never waited on', () =>
  withTmpDir(async (dir) => {
    assert.match(await refusal(dir), /^Cannot read the plan .*: it is a directory\.$/);
    const fifo = join(dir, 'plan.json');
    execFileSync('mkfifo', [fifo]);
    assert.match(await refusal(fifo), /^Cannot read the plan .*: it is a FIFO \(named pipe\)\.$/);
    assert.match(
      await refusal(join(dir, 'missing.json')),
      /^Cannot read the plan .*: it does not exist\.$/,
    );
  }));

test.run();
