import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertNoStackTrace,
  collect,
  makeWorkspace,
  startCli,
  type CliResult,
} from '../helpers/cli.js';

const SECRET = 'SEKRET123xyz';

/** Runs the CLI, killing it after a while: a hang fails the test instead of stalling the suite. */
async function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const child = startCli(args, { cwd, env });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const result = await collect(child);
  clearTimeout(timer);
  assert.is(result.signal, null, `${args.join(' ')} hung:\n${result.stdout}${result.stderr}`);
  return result;
}

const spec = (name: string, file: string, format: string) =>
  `name: ${name}\nrevision: 1\nwhatsApp: { text: "Hi {{name}}" }\nrecipients:\n  - { file: "${file}", format: ${format} }\n`;

interface Printed {
  code: string;
  severity: string;
  file?: string;
  line?: number;
  column?: number;
}

function diagnosticsOf(result: CliResult): Printed[] {
  return (JSON.parse(result.stdout) as { diagnostics: Printed[] }).diagnostics;
}

function expectOne(result: CliResult, code: string, file: string): void {
  assert.is(result.code, 1, result.stdout + result.stderr);
  assertNoStackTrace(result);
  const found = diagnosticsOf(result).filter((d) => d.severity !== 'warning');
  assert.equal(
    found.map((d) => [d.code, d.file, d.line, d.column]),
    [[code, file, 5, 13]],
  );
}

test('a recipient file outside the workspace (/proc/self/environ, ../x, a symlink out) is refused and nothing of it printed', async () => {
  const outside = await mkdtemp(join(tmpdir(), 'waspec-outside-'));
  const { dir, cleanup } = await makeWorkspace({
    'specs/env.yaml': spec('env', '/proc/self/environ', 'csv'),
    'specs/up.yaml': spec('up', `${outside}/list.csv`, 'csv'),
    'specs/link.yaml': spec('link', 'link.csv', 'csv'),
  });
  try {
    await writeFile(join(outside, 'list.csv'), `phoneNumber,name\n41793026727,${SECRET}\n`);
    await symlink('/etc/passwd', join(dir, 'specs/link.csv'));
    for (const name of ['env', 'up', 'link']) {
      const result = await run(['validate', `specs/${name}.yaml`, '--format', 'json'], dir, {
        WASPEC_APP_SECRET: SECRET,
      });
      expectOne(result, 'file-outside-workspace', `specs/${name}.yaml`);
      const pretty = await run(['plan', `specs/${name}.yaml`], dir, { WASPEC_APP_SECRET: SECRET });
      assert.is(pretty.code, 1);
      assert.not.ok((pretty.stdout + pretty.stderr).includes(SECRET), pretty.stderr);
      assert.not.match(pretty.stderr, /root:/);
    }
    // Named explicitly, the outside folder is allowed.
    const allowed = await run(
      ['validate', 'specs/up.yaml', '--allow-outside', outside, '--format', 'json'],
      dir,
    );
    assert.is(allowed.code, 0, allowed.stdout + allowed.stderr);
    const config = await run(['validate', 'specs/up.yaml', '--format', 'json'], dir);
    assert.is(config.code, 1);
    await writeFile(
      join(dir, 'waspec.config.yaml'),
      `profiles:\n  default: { allowOutside: ["${outside}"] }\n`,
    );
    const viaConfig = await run(['validate', 'specs/up.yaml', '--format', 'json'], dir);
    assert.is(viaConfig.code, 0, viaConfig.stdout + viaConfig.stderr);
  } finally {
    await cleanup();
    await rm(outside, { recursive: true, force: true });
  }
});

test('FIFOs, directories and devices as spec or recipient files: a diagnostic, never a hang', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'specs/fifo.yaml': spec('fifo', 'people.csv', 'csv'),
    'specs/folder.yaml': spec('folder', 'folder', 'json'),
    'specs/zero.yaml': spec('zero', '/dev/zero', 'ndjson'),
    'specs/folder/x.json': '[]',
    'dropins/ok.yaml': spec('ok', 'ok.csv', 'csv'),
    'dropins/ok.csv': 'phoneNumber,name\n41793026727,Anna\n',
  });
  try {
    execFileSync('mkfifo', [join(dir, 'specs/people.csv'), join(dir, 'dropins/a.yaml')]);
    expectOne(
      await run(['validate', 'specs/fifo.yaml', '--format', 'json'], dir),
      'file-not-regular',
      'specs/fifo.yaml',
    );
    expectOne(
      await run(['validate', 'specs/folder.yaml', '--format', 'json'], dir),
      'file-not-regular',
      'specs/folder.yaml',
    );
    expectOne(
      await run(
        ['validate', 'specs/zero.yaml', '--allow-outside', '/dev', '--format', 'json'],
        dir,
      ),
      'file-not-regular',
      'specs/zero.yaml',
    );
    // A FIFO named a.yaml in a spec folder.
    const folder = await run(['validate', 'dropins', '--format', 'json'], dir);
    assert.is(folder.code, 1);
    assert.equal(
      diagnosticsOf(folder).map((d) => [d.code, d.file]),
      [['file-not-regular', 'dropins/a.yaml']],
    );
  } finally {
    await cleanup();
  }
});

test('--config /dev/zero, a FIFO or a folder: one error naming the file, exit 1', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'specs/x.yaml': spec('x', 'x.csv', 'csv'),
    'specs/x.csv': 'phoneNumber,name\n41793026727,A\n',
  });
  try {
    execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
    for (const config of ['/dev/zero', 'fifo.yaml', 'specs']) {
      const result = await run(['plan', '--config', config], dir);
      assert.is(result.code, 1, config);
      assertNoStackTrace(result);
      assert.match(result.stderr, /\[file-not-regular\]/);
      assert.match(result.stderr, /^error: the config file .* has a problem$/m);
    }
  } finally {
    await cleanup();
  }
});

test('a --state that is a file, a journal that is a folder, a lock.json FIFO or folder: one error line, exit 1, no hang', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'specs/x.yaml': spec('x', 'x.csv', 'csv'),
    'specs/x.csv': 'phoneNumber,name\n41793026727,A\n',
    'state-file': 'x',
    'journal-dir/journal.ndjson/x': '',
    'lock-dir/lock.json/x': '',
  });
  try {
    await mkdir(join(dir, 'fifo-lock'));
    execFileSync('mkfifo', [join(dir, 'fifo-lock/lock.json')]);
    const env = {
      WASPEC_BASE_URL: 'http://127.0.0.1:9',
      WASPEC_APP_KEY: 'k',
      WASPEC_TOKEN: 't0ken-unused',
    };
    const cases: Array<[string[], RegExp]> = [
      [
        ['plan', '--state', 'state-file'],
        /^error: The state directory state-file is not a directory\.$/m,
      ],
      [['plan', '--state', 'journal-dir'], /^error: The state journal .* is a directory; /m],
      [
        ['apply', '--yes', '--state', 'fifo-lock'],
        /^error: The state lock .* is a FIFO \(named pipe\); /m,
      ],
      [
        ['apply', '--yes', '--force-unlock', '--state', 'lock-dir'],
        /^error: The state lock .* is a directory; /m,
      ],
    ];
    for (const [args, pattern] of cases) {
      const result = await run(args, dir, env);
      assert.is(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
      assertNoStackTrace(result);
      assert.match(result.stderr, pattern);
    }
  } finally {
    await cleanup();
  }
});

test('JSON and NDJSON recipient files with a UTF-8 BOM are read; an NDJSON line over 1 MiB is a diagnostic', async () => {
  const row = '{"phoneNumber":"41793026727","vars":{"name":"Anna"}}';
  const { dir, cleanup } = await makeWorkspace({
    'specs/json.yaml': spec('json', 'bom.json', 'json'),
    'specs/ndjson.yaml': spec('ndjson', 'bom.ndjson', 'ndjson'),
    'specs/long.yaml': spec('long', 'long.ndjson', 'ndjson'),
    'specs/bom.json': `\uFEFF[${row}]`,
    'specs/bom.ndjson': `\uFEFF${row}\n`,
    'specs/long.ndjson': `${row}\n{"phoneNumber":"${'1'.repeat(2 * 1024 * 1024)}"}\n`,
  });
  try {
    for (const name of ['json', 'ndjson']) {
      const result = await run(['validate', `specs/${name}.yaml`, '--format', 'json'], dir);
      assert.is(result.code, 0, result.stdout);
      assert.is((JSON.parse(result.stdout) as { recipients: number }).recipients, 1);
    }
    const long = await run(['validate', 'specs/long.yaml', '--format', 'json'], dir);
    assert.is(long.code, 1);
    assert.equal(
      diagnosticsOf(long).map((d) => [d.code, d.file, d.line]),
      [['json-syntax', 'specs/long.ndjson', 2]],
    );
  } finally {
    await cleanup();
  }
});

test.run();
