import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

const file = new URL('../../examples/ci/waspec.yml', import.meta.url);

interface Step {
  run?: string;
  uses?: string;
  id?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

test('examples/ci/waspec.yml: a plan job and an apply job, each through the waspec action of the installed package', async () => {
  const workflow: unknown = parse(await readFile(file, 'utf8'), { uniqueKeys: true });
  assert.type(workflow, 'object');
  const text = JSON.stringify(workflow);
  const jobs =
    (
      workflow as {
        jobs?: Record<string, { steps?: Step[]; permissions?: Record<string, string> }>;
      }
    ).jobs ?? {};
  assert.equal(Object.keys(jobs), ['plan', 'apply']);
  const action = (job: string): Step | undefined =>
    jobs[job]?.steps?.find((s) => s.uses === './node_modules/waspec');
  const steps = (job: string): Step[] => jobs[job]?.steps ?? [];
  // npm ci installs waspec (and so the action) before it is used.
  for (const job of ['plan', 'apply']) {
    const all = steps(job);
    assert.ok(
      all.findIndex((s) => s.run === 'npm ci') <
        all.findIndex((s) => s.uses === './node_modules/waspec'),
      job,
    );
  }
  assert.equal(action('plan')?.with, { command: 'plan', comment: true, 'plan-file': 'plan.json' });
  assert.is(jobs.plan?.permissions?.['pull-requests'], 'write', 'the comment needs it');
  assert.ok(
    steps('plan').some(
      (s) =>
        s.uses?.startsWith('actions/upload-artifact') &&
        s.if === "steps.plan.outputs.plan-file != ''",
    ),
  );
  assert.equal(action('apply')?.with, { command: 'apply' });
  assert.match(
    steps('apply')
      .map((s) => s.if ?? '')
      .join('\n'),
    /steps\.apply\.outputs\.in-doubt/,
  );
  for (const secret of ['WASPEC_APP_KEY', 'WASPEC_APP_SECRET', 'WASPEC_BASE_URL']) {
    assert.match(text, `secrets.${secret}`);
  }
});

test('the action the example uses has the inputs and outputs it names', async () => {
  const action = parse(await readFile(new URL('../../action.yml', import.meta.url), 'utf8')) as {
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
  };
  for (const input of ['command', 'comment', 'plan-file']) assert.ok(action.inputs[input], input);
  for (const output of ['plan-file', 'in-doubt']) assert.ok(action.outputs[output], output);
});

test('the recommended state is PostgreSQL: apply with its URL from a secret, plan with a read-only role, nothing pushed', async () => {
  const workflow = parse(await readFile(file, 'utf8')) as {
    env?: Record<string, string>;
    jobs: Record<
      string,
      { env?: Record<string, string>; permissions?: Record<string, string>; steps: Step[] }
    >;
  };
  // Secrets in the steps that use them, never where `npm ci` sees them.
  const stepEnv = (job: string) =>
    workflow.jobs[job]?.steps.find((s) => s.uses === './node_modules/waspec')?.env;
  assert.is(stepEnv('apply')?.WASPEC_STATE_URL, '${{ secrets.WASPEC_STATE_URL }}');
  assert.is(stepEnv('plan')?.WASPEC_STATE_URL, '${{ secrets.WASPEC_PLAN_STATE_URL }}');
  assert.is(workflow.jobs.apply?.env, undefined);
  assert.is(workflow.env?.WASPEC_WORKSPACE, '${{ github.repository }}');
  assert.is(workflow.jobs.apply?.permissions?.contents, 'read', 'apply pushes nothing to git');
  assert.not.ok(workflow.jobs.apply?.steps.some((s) => /git push/.test(s.run ?? '')));
  const text = await readFile(file, 'utf8');
  assert.match(text, /init --ci github --state git/, 'the git alternative is the one init writes');
});

test.run();
