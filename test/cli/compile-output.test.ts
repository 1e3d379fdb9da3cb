import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { bulkIdFor, messageIdFor } from '../../src/api/identity.js';
import type { RequestBody } from '../../src/api/types.js';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';

// 1,500 recipients: a personal text for two in three (1,000 requests), two shared texts for the rest.
const N = 1500;
const rows = Array.from(
  { length: N },
  (_, i) => `4179${String(3000000 + i)},${i % 3 !== 0 ? `P${i}` : i % 2 ? 'odd' : 'even'}`,
);
const files = {
  'specs/big.yaml':
    'name: big\nrevision: 1\nwhatsApp: { text: "code {{code}}" }\nrecipients:\n  - file: big.csv\n',
  'specs/big.csv': `phoneNumber,code\n${rows.join('\n')}\n`,
};

function check(bodies: RequestBody[]): void {
  const destinations = bodies.flatMap((b) => b.destinations);
  assert.is(destinations.length, N, 'every recipient once');
  assert.is(new Set(destinations.map((d) => d.to.phoneNumber)).size, N);
  for (const body of bodies) {
    assert.ok(body.destinations.length <= 100);
    assert.is(body.bulkId, bulkIdFor(body.destinations.map((d) => d.messageId)));
    for (const d of body.destinations)
      assert.is(d.messageId, messageIdFor('big', 1, d.to.phoneNumber));
  }
  const shared = bodies.filter((b) => b.whatsApp.text === 'code odd');
  assert.equal(
    shared.map((b) => b.destinations.length),
    [100, 100, 50],
    'shared content fills requests of 100',
  );
  assert.is(bodies.length, 1006);
}

test('compile --format ndjson: one body per line, the same bodies as the JSON output, in order', async () => {
  const { dir, cleanup } = await makeWorkspace(files);
  try {
    const ndjson = await runCli(['compile', '--format', 'ndjson'], { cwd: dir });
    assertNoStackTrace(ndjson);
    assert.is(ndjson.code, 0, ndjson.stderr);
    const lines = ndjson.stdout.trimEnd().split('\n');
    const bodies = lines.map((line) => JSON.parse(line) as RequestBody);
    check(bodies);
    const json = await runCli(['compile'], { cwd: dir });
    assert.is(json.code, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as { spec: string; requests: RequestBody[] };
    assert.is(parsed.spec, 'big');
    assert.equal(parsed.requests, bodies);
  } finally {
    await cleanup();
  }
});

test('compile --out: a spec of over 1000 requests is written as NDJSON, the same bytes as stdout', async () => {
  const { dir, cleanup } = await makeWorkspace(files);
  try {
    const result = await runCli(['compile', '--out', 'out'], { cwd: dir });
    assert.is(result.code, 0, result.stderr);
    assert.equal(await readdir(join(dir, 'out')), ['big.ndjson']);
    const written = await readFile(join(dir, 'out', 'big.ndjson'), 'utf8');
    assert.match(result.stderr, /wrote out\/big\.ndjson \(\d+ requests\)/);
    const stdout = await runCli(['compile', '--format', 'ndjson'], { cwd: dir });
    assert.is(written, stdout.stdout);
    assert.is(written.trimEnd().split('\n').length, 1006);
  } finally {
    await cleanup();
  }
});

test.run();
