import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSavedPlan } from '../../src/plan/saved-plan.js';
import { buildFixturePlan, FIXTURE_PHONES } from '../plan/fixture-plan.js';
import { withTmpDir } from '../state/tmp-dir.js';

const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function waspec(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('waspec show prints a saved plan in each format; markdown masks numbers', () =>
  withTmpDir(async (dir) => {
    const file = join(dir, 'plan.json');
    await writeSavedPlan(file, await buildFixturePlan(join(dir, 'state')));
    const pretty = waspec(['show', file]);
    assert.is(pretty.code, 0, pretty.stderr);
    assert.match(pretty.stdout, /^Plan: 5 to send, 1 to retry/);
    assert.match(pretty.stdout, /417\*\*\*\*6727/, 'a saved plan holds masked numbers only');
    for (const phone of FIXTURE_PHONES)
      assert.not.ok(pretty.stdout.includes(phone), `${phone} in a saved plan`);
    const markdown = waspec(['show', file, '--format', 'markdown']);
    assert.is(markdown.code, 0);
    for (const phone of FIXTURE_PHONES)
      assert.not.ok(markdown.stdout.includes(phone), `${phone} in markdown`);
    const json = waspec(['show', file, '--format', 'json', '--mask']);
    assert.is(
      (JSON.parse(json.stdout) as { entries: Array<{ phoneNumber: string }> }).entries[0]
        ?.phoneNumber,
      '417****6727',
    );
  }));

test('waspec show of a foreign file exits 1 with a clear message, no stack trace', () =>
  withTmpDir(async (dir) => {
    const file = join(dir, 'package.json');
    await writeFile(file, '{"name":"x"}');
    const r = waspec(['show', file]);
    assert.is(r.code, 1);
    assert.match(r.stderr, /is not a waspec plan/);
    assert.not.match(r.stderr, /at .*\.js:\d+/);
  }));

test.run();
