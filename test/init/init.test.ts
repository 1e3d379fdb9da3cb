import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';

test('init scaffolds a repository whose example spec validates and plans', async () => {
  const { dir, cleanup } = await makeWorkspace({});
  try {
    const init = await runCli(['init'], { cwd: dir });
    assert.is(init.code, 0, init.stderr);
    for (const file of [
      'waspec.config.yaml',
      'specs/welcome.yaml',
      'specs/recipients/welcome.csv',
      '.gitignore',
    ]) {
      assert.match(init.stdout, new RegExp(`created +${file.replace('.', '\\.')}`));
    }
    assert.not.match(init.stdout, /workflows/);
    const spec = await readFile(join(dir, 'specs/welcome.yaml'), 'utf8');
    assert.match(
      spec.split('\n')[0] ?? '',
      /^# yaml-language-server: \$schema=\.\.\/node_modules\/waspec\/schemas\/spec\.schema\.json$/,
    );
    const config = await readFile(join(dir, 'waspec.config.yaml'), 'utf8');
    assert.match(config, /# production:/);
    assert.equal(parse(config), {
      profile: 'default',
      profiles: { default: { stateDir: '.waspec' } },
    });
    assert.match(await readFile(join(dir, '.gitignore'), 'utf8'), /^\.waspec\/lock\.json$/m);

    const validate = await runCli(['validate'], { cwd: dir });
    assert.is(validate.code, 0, validate.stdout + validate.stderr);
    assert.match(validate.stdout, /1 spec valid, 3 messages/);
    const plan = await runCli(['plan'], { cwd: dir });
    assert.is(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /Plan: 3 to send/);
  } finally {
    await cleanup();
  }
});

test('init never overwrites, says what it kept, and a second run changes nothing', async () => {
  const mine = 'profiles:\n  default: { stateDir: state }\n';
  const { dir, cleanup } = await makeWorkspace({
    'waspec.config.yaml': mine,
    '.gitignore': 'dist/\nnode_modules',
  });
  try {
    const first = await runCli(['init', '--ci', 'github'], { cwd: dir });
    assert.is(first.code, 0, first.stderr);
    assert.match(first.stdout, /kept +waspec\.config\.yaml \(it exists; not overwritten\)/);
    assert.match(first.stdout, /created +\.github\/workflows\/waspec\.yml/);
    assert.match(
      first.stdout,
      /updated +\.gitignore \(added \.waspec\/lock\.json, \.waspec\/demo\/\)/,
    );
    assert.is(await readFile(join(dir, 'waspec.config.yaml'), 'utf8'), mine);
    const gitignore = await readFile(join(dir, '.gitignore'), 'utf8');
    assert.ok(gitignore.startsWith('dist/\nnode_modules\n'), gitignore);

    const workflow = parse(await readFile(join(dir, '.github/workflows/waspec.yml'), 'utf8')) as {
      jobs: Record<string, { steps: Array<{ uses?: string }> }>;
    };
    assert.ok(workflow.jobs.plan?.steps.some((s) => s.uses === './node_modules/waspec'));

    const before = await snapshot(dir);
    const second = await runCli(['init', '--ci', 'github'], { cwd: dir });
    assert.is(second.code, 0);
    assert.not.match(second.stdout, /created|updated/);
    assert.equal(await snapshot(dir), before);
  } finally {
    await cleanup();
  }
});

test('init where a file stands in the way of a folder: one line, exit 1', async () => {
  const { dir, cleanup } = await makeWorkspace({ specs: 'not a folder' });
  try {
    await mkdir(join(dir, 'other'));
    const result = await runCli(['init'], { cwd: dir });
    assert.is(result.code, 1);
    assert.match(result.stderr, /cannot create specs\/welcome\.yaml/);
    assertNoStackTrace(result);
  } finally {
    await cleanup();
  }
});

async function snapshot(dir: string): Promise<string[]> {
  const files = [
    'waspec.config.yaml',
    'specs/welcome.yaml',
    'specs/recipients/welcome.csv',
    '.gitignore',
    '.github/workflows/waspec.yml',
  ];
  return Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')));
}

test.run();
