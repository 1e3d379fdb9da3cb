import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

const file = new URL('../../examples/ci/waspec.yml', import.meta.url);

test('examples/ci/waspec.yml is well-formed YAML with a plan and an apply job', async () => {
  const workflow: unknown = parse(await readFile(file, 'utf8'), { uniqueKeys: true });
  assert.type(workflow, 'object');
  const text = JSON.stringify(workflow);
  const jobs = (workflow as { jobs?: Record<string, { steps?: Array<{ run?: string }> }> }).jobs ?? {};
  assert.equal(Object.keys(jobs), ['plan', 'apply']);
  const runs = (job: string): string => (jobs[job]?.steps ?? []).map((s) => s.run ?? '').join('\n');
  assert.match(runs('plan'), /waspec plan --format markdown/);
  assert.match(runs('plan'), /GITHUB_STEP_SUMMARY/);
  assert.match(runs('plan'), /--out plan\.json/);
  assert.match(runs('apply'), /waspec apply plan\.json --yes/);
  for (const secret of ['WASPEC_APP_KEY', 'WASPEC_APP_SECRET', 'WASPEC_BASE_URL']) {
    assert.match(text, `secrets.${secret}`);
  }
});

test.run();
