import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeWorkspace, runCli } from '../helpers/cli.js';
import { inFlight, outcome } from '../state/records.js';

// The journal is untrusted: a failure reason with escape sequences must not reach a terminal raw.
const A = { messageId: 'm-1', spec: 'promo', phoneNumber: '41793026727', contentHash: 'h' };
const header = '{"waspec":"state","formatVersion":1}\n';
const journal = [
  inFlight('B1', '2026-01-01T00:00:00.000Z', [A]),
  outcome('B1', '2026-01-01T00:00:01.000Z', [
    { messageId: 'm-1', outcome: 'failed', error: 'boom\u001b[2J\u202Eevil\u0085' },
  ]),
];

for (const args of [
  ['state', 'list', '--format', 'json'],
  ['state', 'show', 'm-1', '--format', 'json'],
]) {
  test(`${args.slice(0, 2).join(' ')} --format json escapes invisible characters of the state`, async () => {
    const { dir, cleanup } = await makeWorkspace({
      '.waspec/journal.ndjson': header + journal.map((r) => JSON.stringify(r)).join('\n') + '\n',
    });
    try {
      const result = await runCli(args, { cwd: dir });
      assert.is(result.code, 0, result.stderr);
      assert.not.match(result.stdout, /[\u001b\u202e\u0085]/, 'no raw control or bidi character');
      assert.match(result.stdout, /\\u001b\[2J\\u202e/i);
      assert.ok(JSON.stringify(JSON.parse(result.stdout)).includes('boom'), 'still valid JSON');
    } finally {
      await cleanup();
    }
  });
}

test.run();
