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
  assert.match(runs('plan'), /waspec plan --format markdown --max-bytes 60000/, 'the comment always fits');
  assert.match(runs('plan'), /waspec plan --format html --out plan\.html/, 'the full plan the markdown points to');
  assert.match(runs('plan'), /GITHUB_STEP_SUMMARY/);
  assert.match(runs('plan'), /--out plan\.json/);
  const uploaded = (jobs.plan?.steps ?? []).map((s) => JSON.stringify(s)).find((s) => s.includes('upload-artifact')) ?? '';
  assert.match(uploaded, /plan\.json\\nplan\.html/, 'both artifacts are uploaded');
  assert.match(runs('apply'), /waspec apply plan\.json --yes/);
  for (const secret of ['WASPEC_APP_KEY', 'WASPEC_APP_SECRET', 'WASPEC_BASE_URL']) {
    assert.match(text, `secrets.${secret}`);
  }
});

test('the recommended state is PostgreSQL: apply with its URL from a secret, plan with a read-only role, nothing pushed', async () => {
  const workflow = parse(await readFile(file, 'utf8')) as {
    env?: Record<string, string>;
    jobs: Record<string, { env?: Record<string, string>; permissions?: Record<string, string>; steps: Array<{ run?: string }> }>;
  };
  assert.is(workflow.jobs.apply?.env?.WASPEC_STATE_URL, '${{ secrets.WASPEC_STATE_URL }}');
  assert.is(workflow.jobs.plan?.env?.WASPEC_STATE_URL, '${{ secrets.WASPEC_PLAN_STATE_URL }}');
  assert.is(workflow.env?.WASPEC_WORKSPACE, '${{ github.repository }}');
  assert.is(workflow.jobs.apply?.permissions?.contents, 'read', 'apply pushes nothing to git');
  assert.not.ok(workflow.jobs.apply?.steps.some((s) => /git push/.test(s.run ?? '')));
  const text = await readFile(file, 'utf8');
  assert.match(text, /non-fast-forward/, 'the git alternative states how it fails');
});

test.run();
