import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What a clean clone needs to pack (its node_modules is linked, not copied). */
const SOURCES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'LICENSE',
  'README.md',
  'CHANGELOG.md',
  'src',
  'schemas',
  'scripts/build-validators.mjs',
  'scripts/bundle-cli.mjs',
  'templates',
];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A newcomer's shell: none of the npm_* variables `npm test` sets, no colour. */
function shellEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  return { ...env, NO_COLOR: '1', CI: 'true' };
}

function run(command: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: shellEnv(), timeout: timeoutMs, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function ok(result: Run, what: string): string {
  assert.is(result.code, 0, `${what} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

// One temporary project for every check: installing the tarball is the slow part.
test('npm pack of a clean copy installs into an empty project: init, validate, plan, demo work there', async () => {
  const work = await mkdtemp(join(tmpdir(), 'waspec-pack-'));
  try {
    // A clean clone: no dist/ (prepack and prepare build it).
    const clone = join(work, 'clone');
    await mkdir(clone);
    for (const source of SOURCES)
      await cp(join(ROOT, source), join(clone, source), { recursive: true });
    await symlink(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
    const packed = ok(
      await run('npm', ['pack', '--json', '--pack-destination', work], clone),
      'npm pack',
    );
    const [info] = JSON.parse(packed.slice(packed.indexOf('['))) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    const files = (info?.files ?? []).map((f) => f.path);
    for (const file of [
      'dist/cli/main.js',
      'dist/index.js',
      'schemas/spec.schema.json',
      'templates/init/specs/welcome.yaml',
      'LICENSE',
    ]) {
      assert.ok(files.includes(file), `${file} is in the tarball`);
    }
    assert.not.ok(
      files.some((f) => f.startsWith('test/') || f.startsWith('src/')),
      'no tests or sources in the tarball',
    );
    const tarball = join(work, info?.filename ?? '');

    // An empty repository outside the source tree.
    const project = join(work, 'newcomer');
    await mkdir(project);
    ok(
      await run(
        'npm',
        ['install', '--save-dev', tarball, '--prefer-offline', '--no-audit', '--no-fund'],
        project,
        300_000,
      ),
      'npm install',
    );
    const version = (
      JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    ).version;
    assert.is(
      ok(
        await run('npx', ['--no-install', 'waspec', '--version'], project),
        'waspec --version',
      ).trim(),
      version,
    );

    ok(
      await run('npx', ['--no-install', 'waspec', 'init', '--ci', 'github'], project),
      'waspec init',
    );
    const spec = await readFile(join(project, 'specs/welcome.yaml'), 'utf8');
    const schemaPath = /\$schema=(\S+)/.exec(spec)?.[1] ?? '';
    const schema = JSON.parse(await readFile(join(project, 'specs', schemaPath), 'utf8')) as {
      title?: string;
    };
    assert.is(
      schema.title,
      'waspec message spec',
      'the $schema line of the example spec points at the installed schema',
    );

    assert.match(
      ok(await run('npx', ['--no-install', 'waspec', 'validate'], project), 'waspec validate'),
      /1 spec valid, 3 messages/,
    );
    assert.match(
      ok(await run('npx', ['--no-install', 'waspec', 'plan'], project), 'waspec plan'),
      /Plan: 3 to send/,
    );
    const demo = ok(await run('npx', ['--no-install', 'waspec', 'demo'], project), 'waspec demo');
    assert.match(demo, /Apply complete: 3 accepted/);
    assert.match(demo, /0 duplicates/);

    // The package's exports: the library and its schemas, as a user's code imports them.
    await writeFile(
      join(project, 'check.mjs'),
      "import * as waspec from 'waspec';\nimport schema from 'waspec/schemas/spec.schema.json' with { type: 'json' };\nimport pkg from 'waspec/package.json' with { type: 'json' };\nconsole.log(typeof waspec.buildPlan, schema.title, pkg.name);\n",
    );
    assert.is(
      ok(await run('node', ['check.mjs'], project), 'import waspec').trim(),
      'function waspec message spec waspec',
    );

    // Hints speak of waspec commands, not of this repository's npm scripts.
    const apply = await run('npx', ['--no-install', 'waspec', 'apply', '--yes'], project);
    assert.is(apply.code, 1);
    assert.match(apply.stderr, /waspec demo/);
    assert.not.match(apply.stdout + apply.stderr, /npm run/);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});

test('no message or hint in src/ speaks of npm scripts', async () => {
  const offenders: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if ((await readFile(path, 'utf8')).includes('npm run')) offenders.push(path);
    }
  };
  await walk(join(ROOT, 'src'));
  assert.equal(offenders, []);
});

test.run();
