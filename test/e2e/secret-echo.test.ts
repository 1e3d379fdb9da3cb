// Secrets: an API answer echoing the token in any encoding keeps it nowhere; a state URL holding a
// password (in any part) is refused from flags and the config.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertNoStackTrace, makeWorkspace, runCli, type CliResult } from '../helpers/cli.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';
import {
  adminQuery,
  schemaOf,
  stateBackends,
  testEachBackend,
  type FreshState,
} from '../helpers/state-backends.js';

const each = testEachBackend(test, await stateBackends());

// Characters percent-encoding and JSON escaping change.
const TOKEN = 'T0k/en+static=9ab44d2e~Zq"x';

/** Texts that give the token away: as is, percent-encoded, JSON-escaped, and base64 at each alignment. */
function leaks(text: string): string[] {
  const found: string[] = [];
  const needles = [
    TOKEN,
    encodeURIComponent(TOKEN),
    JSON.stringify(TOKEN).slice(1, -1),
    ...['', 'B', 'Be'].flatMap((prefix) => {
      const encoded = Buffer.from(`${prefix}${TOKEN}`).toString('base64');
      const core = encoded.slice(prefix.length === 0 ? 0 : 4, -4);
      return [core, core.replace(/\+/g, '-').replace(/\//g, '_')];
    }),
  ];
  for (const needle of needles) if (text.includes(needle)) found.push(needle);
  return found;
}

async function stateText(state: FreshState, dir: string): Promise<string> {
  if (state.backend === 'file') return readFile(join(dir, '.waspec/journal.ndjson'), 'utf8');
  const schema = schemaOf(state);
  const rows = await adminQuery<{ text: string }>(
    `SELECT record::text AS text FROM "${schema}".journal`,
  );
  return rows.rows.map((r) => r.text).join('\n');
}

each(
  'an API answer echoing the token raw, base64- and percent-encoded keeps it out of the state, output and markdown plan',
  async (backend) => {
    // Answers 400 (the messages fail: their reason is kept and shown) quoting the request's header every way.
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const header = req.headers.authorization ?? '';
        res.statusCode = 400;
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            error: `denied: ${Buffer.from(header).toString('base64')} / ${encodeURIComponent(header)} / ${Buffer.from(header.slice(7)).toString('base64url')} / ${header}`,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { dir, cleanup } = await makeWorkspace(textSpec('echo', swissNumbers(2), 'Hi {{name}}'));
    const state = await backend.fresh(dir);
    try {
      const env = { ...state.env, WASPEC_BASE_URL: url, WASPEC_APP_KEY: 'k', WASPEC_TOKEN: TOKEN };
      const results: CliResult[] = [];
      const run = async (args: string[]) => {
        const r = await runCli(args, { cwd: dir, env });
        results.push(r);
        return r;
      };
      const applied = await run(['apply', '--yes']);
      assert.is(applied.code, 3, applied.stderr);
      assert.match(applied.stdout, /\[redacted\]/);
      const markdown = await run(['plan', '--format', 'markdown', '--no-mask']);
      assert.match(markdown.stdout, /HTTP 400: denied: \S*(\[|&#91;)redacted/);
      await run(['plan', '--format', 'json']);
      await run(['state', 'list', '--no-mask']);
      for (const r of results) {
        assertNoStackTrace(r);
        assert.equal(leaks(r.stdout + r.stderr), [], r.stdout + r.stderr);
      }
      const kept = await stateText(state, dir);
      assert.match(kept, /\[redacted\]/, 'the answer was recorded');
      assert.equal(leaks(kept), [], kept);
      const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((d) =>
        d.isFile(),
      );
      for (const f of files)
        assert.equal(leaks(await readFile(join(f.parentPath, f.name), 'utf8')), [], f.name);
    } finally {
      server.close();
      server.closeAllConnections();
      await state.cleanup();
      await cleanup();
    }
  },
);

const PASSWORD = 'Pg-pa55word-e41c07';

test('a state URL with a password in its query (password, sslpassword) is refused on the command line and in the config', async () => {
  const { dir, cleanup } = await makeWorkspace(textSpec('pw', swissNumbers(1)));
  try {
    const env = { WASPEC_STATE_URL: '', WASPEC_STATE_DIR: '' };
    for (const query of [`password=${PASSWORD}`, `sslmode=require&SSLPassword=${PASSWORD}`]) {
      const url = `postgres://waspec@127.0.0.1:1/db?${query}`;
      for (const args of [
        ['plan', '--state', url],
        ['state', 'list', '--state', url],
        ['state', 'migrate', '--to', url],
      ]) {
        const r = await runCli(args, { cwd: dir, env });
        assert.is(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, /must not hold a password \(the parameter (password|sslpassword)\)/);
        assert.match(r.stderr, /PGPASSWORD, a ~\/\.pgpass file, or the whole URL in WASPEC_STATE_/);
        assert.not.ok(r.stderr.includes(PASSWORD) || r.stdout.includes(PASSWORD));
        assertNoStackTrace(r);
      }
      const config = `profiles:\n  default:\n    state: ${url}\n`;
      const { dir: withConfig, cleanup: done } = await makeWorkspace({
        ...textSpec('pw', swissNumbers(1)),
        'waspec.config.yaml': config,
      });
      try {
        const r = await runCli(['plan'], { cwd: withConfig, env });
        assert.is(r.code, 1, r.stderr);
        assert.match(
          r.stderr,
          /waspec\.config\.yaml:3:\d+.*the state URL holds a password \(the parameter (password|sslpassword)\)/,
        );
        assert.not.ok(r.stderr.includes(PASSWORD) || r.stdout.includes(PASSWORD));
      } finally {
        await done();
      }
    }
    // Named files are not secrets: passfile and sslmode stay allowed (the connection then fails).
    const r = await runCli(
      ['plan', '--state', 'postgres://waspec@127.0.0.1:1/db?passfile=/tmp/x&connect_timeout=1'],
      { cwd: dir, env },
    );
    assert.not.match(r.stderr, /must not hold a password/);
  } finally {
    await cleanup();
  }
});

test.run();
