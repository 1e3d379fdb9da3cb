import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { makeWorkspace, runCli, type CliResult } from '../helpers/cli.js';
import { makeXlsx } from '../helpers/xlsx.js';

// A GitHub installation token as actions/checkout leaves it in .git/config, and as a .env holds it.
const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
const GIT_CONFIG = `[core]
\trepositoryformatversion = 0
[http "https://github.com/"]
\textraheader = AUTHORIZATION: basic ${BASIC}
[remote "origin"]
\turl = https://x-access-token:${TOKEN}@github.com/acme/specs
`;
/** A line longer than any quote of a recipient file: never printed whole. */
const LONG = '\tcomment = a line of this file far longer than what a diagnostic quotes';
const DOT_ENV = `WASPEC_TOKEN=${TOKEN}\nGITHUB_TOKEN="${TOKEN}"\nphoneNumber,name\n${TOKEN},x\n`;
const TOKEN_ROWS = `phoneNumber,reason\n${TOKEN},x\n"token=${TOKEN}",y\n`;
const TOKEN_NDJSON = `{"phoneNumber": "${TOKEN}"}\n{"${TOKEN}": 1}\ntoken=${TOKEN}\n`;

const SPEC_HEAD = 'revision: 1\nwhatsApp:\n  text: "Hi {{name}}"\nrecipients:\n';
const INLINE = '  - { phoneNumber: "+41793026727", vars: { name: Anna } }\n';

/** Every place the token may not appear: the text of a run, and the files it wrote. */
const secrets = [TOKEN, BASIC, TOKEN.slice(4, 24), BASIC.slice(8, 40)];

function assertClean(what: string, text: string): void {
  for (const secret of secrets)
    assert.not.ok(text.includes(secret), `${what} holds the token (${secret}):\n${text}`);
  // A line of output quotes at most a short part of a line of a recipient file.
  assert.not.ok(text.includes(LONG.slice(1)), `${what} quotes a whole line:\n${text}`);
}

async function workspace() {
  const tokenSheet = await makeXlsx([
    {
      name: 'Sheet1',
      rows: [
        ['phoneNumber', `token=${TOKEN}`],
        [TOKEN, 'x'],
      ],
    },
  ]);
  const ws = await makeWorkspace({
    '.git/config': GIT_CONFIG,
    '.git/optouts.csv': TOKEN_ROWS,
    '.env': DOT_ENV,
    '.private/optouts.csv': TOKEN_ROWS,
    '.private/people.xlsx': tokenSheet,
    // Every kind of recipient file pointing at the hidden files, by path and through a link.
    'specs/hidden.yaml': `name: hidden\n${SPEC_HEAD}${INLINE}  - file: ../.git/config\n    format: csv\n    phoneColumn: "[core]"\n  - file: ../.env\n    format: ndjson\n  - file: ../.git/config\n    format: json\n  - file: ../.env\n    format: xlsx\n  - file: ../.private/people.xlsx\n  - file: ../.private/optouts.csv\n  - file: linked.csv\n`,
    'waspec.config.yaml':
      'templates: .git/config\nsuppressions: [.private/optouts.csv, .git/optouts.csv]\n',
    // The same texts in ordinary files a spec and a config declare: read, but quoted in part only.
    'copies/specs/copies.yaml': `name: copies\n${SPEC_HEAD}${INLINE}  - file: ../config.csv\n    phoneColumn: "[core]"\n  - file: ../env.csv\n  - file: ../env.ndjson\n  - file: ../config.json\n  - file: ../people.xlsx\n  - file: ../tokens.ndjson\n`,
    'copies/config.csv': `${GIT_CONFIG}${LONG}\n`,
    'copies/env.csv': DOT_ENV,
    'copies/env.ndjson': `${LONG}\n${DOT_ENV}`,
    'copies/config.json': `${GIT_CONFIG}${LONG}\n`,
    'copies/people.xlsx': tokenSheet,
    'copies/tokens.ndjson': TOKEN_NDJSON,
    'copies/optouts.csv': TOKEN_ROWS,
    'copies/optouts.ndjson': TOKEN_NDJSON,
    'copies/catalogue.yaml': GIT_CONFIG,
    'copies/waspec.config.yaml':
      'templates: catalogue.yaml\nsuppressions: [optouts.csv, optouts.ndjson]\n',
  });
  await symlink(join(ws.dir, '.git/config'), join(ws.dir, 'specs/linked.csv'));
  // A spec that is a link to .git/config, and a hidden one: neither is read as a spec.
  await symlink(join(ws.dir, '.git/config'), join(ws.dir, 'specs/evil.yaml'));
  await symlink(join(ws.dir, '.env'), join(ws.dir, 'specs/.env.yaml'));
  return ws;
}

const PLANTED = new Set([
  '.git/config',
  '.git/optouts.csv',
  '.env',
  '.private/optouts.csv',
  '.private/people.xlsx',
  'specs/linked.csv',
  'specs/evil.yaml',
  'specs/.env.yaml',
  'copies/config.csv',
  'copies/env.csv',
  'copies/env.ndjson',
  'copies/config.json',
  'copies/people.xlsx',
  'copies/tokens.ndjson',
  'copies/optouts.csv',
  'copies/optouts.ndjson',
  'copies/catalogue.yaml',
]);

/** The files of the workspace other than the planted ones (plans, state, logs). */
async function writtenFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .filter((f) => !PLANTED.has(f));
}

type Run = { name: string; args: string[]; cwd?: string; env?: NodeJS.ProcessEnv };

const runs = (dir: string): Run[] => {
  const copies = join(dir, 'copies');
  const formats = (name: string, cwd: string, paths: string[]): Run[] => [
    { name: `${name} validate pretty`, cwd, args: ['validate', ...paths] },
    { name: `${name} validate json`, cwd, args: ['validate', ...paths, '--format', 'json'] },
    {
      name: `${name} validate github`,
      cwd,
      args: ['validate', ...paths],
      env: { GITHUB_ACTIONS: 'true' },
    },
    { name: `${name} plan pretty`, cwd, args: ['plan', ...paths, '--out', 'plan.json'] },
    { name: `${name} plan json`, cwd, args: ['plan', ...paths, '--format', 'json', '--mask'] },
    {
      name: `${name} plan markdown`,
      cwd,
      args: ['plan', ...paths, '--format', 'markdown', '--mask'],
      env: { GITHUB_ACTIONS: 'true' },
    },
  ];
  return [
    ...formats('hidden', dir, ['specs']),
    ...formats('copies', copies, ['specs']),
    // The config file itself, named on the command line.
    {
      name: 'config .git/config',
      cwd: dir,
      args: ['validate', 'specs/hidden.yaml', '--config', '.git/config'],
    },
    { name: 'config .env', cwd: dir, args: ['plan', 'specs/hidden.yaml', '--config', '.env'] },
  ];
};

test('no input file under .git/ or hidden is opened, and no output quotes a token of a declared one', async () => {
  const ws = await workspace();
  try {
    const results: Array<[Run, CliResult]> = [];
    for (const run of runs(ws.dir))
      results.push([run, await runCli(run.args, { cwd: run.cwd ?? ws.dir, env: run.env ?? {} })]);
    for (const [run, result] of results) {
      assertClean(`${run.name} (stdout)`, result.stdout);
      assertClean(`${run.name} (stderr)`, result.stderr);
      assert.is(result.code, 1, `${run.name}: exit ${String(result.code)}\n${result.stderr}`);
    }
    for (const file of await writtenFiles(ws.dir))
      assertClean(file, await readFile(join(ws.dir, file), 'utf8'));

    // Each hidden input is refused at the line naming it, before it is opened.
    const json = results.find(([run]) => run.name === 'hidden plan json')?.[1];
    const found = (
      JSON.parse(json?.stdout ?? '{}') as {
        diagnostics: Array<{ code: string; file: string; line?: number }>;
      }
    ).diagnostics
      .filter((d) => d.code === 'file-hidden')
      .map((d) => `${d.file}:${d.line ?? '-'}`)
      .sort();
    // A plan's diagnostics count lines from 0: the spec's lines 7, 10, 12, 14, 16, 17 and 18.
    assert.equal(found, [
      'specs/evil.yaml:-',
      'specs/hidden.yaml:11',
      'specs/hidden.yaml:13',
      'specs/hidden.yaml:15',
      'specs/hidden.yaml:16',
      'specs/hidden.yaml:17',
      'specs/hidden.yaml:6',
      'specs/hidden.yaml:9',
      'waspec.config.yaml:0',
      'waspec.config.yaml:1',
      'waspec.config.yaml:1',
    ]);
    // Declared copies are read: their problems are reported, each quoting a cut, redacted part.
    const copies = results.find(([run]) => run.name === 'copies validate pretty')?.[1];
    assert.match(
      (copies?.stdout ?? '') + (copies?.stderr ?? ''),
      /AUTHORIZATION: basic \[redacted\]/,
    );
  } finally {
    await ws.cleanup();
  }
});

test('a hidden file or folder named in allowOutside: is read', async () => {
  const ws = await makeWorkspace({
    '.data/people.csv': 'phoneNumber,name\n+41793026727,Anna\n',
    'specs/s.yaml': `name: s\n${SPEC_HEAD}  - file: ../.data/people.csv\n`,
  });
  try {
    const refused = await runCli(['validate', 'specs'], { cwd: ws.dir });
    assert.match(
      refused.stderr,
      /specs\/s.yaml:6:11 +error +recipient file \.\.\/\.data\/people.csv is hidden/,
    );
    await writeFile(
      join(ws.dir, 'waspec.config.yaml'),
      'profiles:\n  default:\n    allowOutside: [.data]\n',
    );
    const allowed = await runCli(['validate', 'specs'], { cwd: ws.dir });
    assert.is(allowed.code, 0, allowed.stdout + allowed.stderr);
  } finally {
    await ws.cleanup();
  }
});

test.run();
