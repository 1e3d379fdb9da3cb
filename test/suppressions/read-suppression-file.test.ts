import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { fileSuppressionSource } from '../../src/suppressions/file-suppressions.js';
import { makeWorkspace } from '../helpers/cli.js';

async function read(files: Record<string, string>, names: string[]) {
  const { dir, cleanup } = await makeWorkspace(files);
  try {
    return await fileSuppressionSource(names.map((n) => join(dir, n))).read();
  } finally {
    await cleanup();
  }
}

test('CSV and NDJSON: numbers normalised like recipients, reason and date kept, the first listing wins', async () => {
  const list = await read(
    {
      'a.csv': 'reason,phoneNumber,date\nreplied STOP,+41 79 302 67 27,2026-01-02\n,0044 7910 000000,\n',
      'b.ndjson': '{"phoneNumber":"41793026727","reason":"later"}\n\n{"phoneNumber":"+49 151 12345678","date":"2026-02-03"}\n',
    },
    ['a.csv', 'b.ndjson'],
  );
  assert.equal(Object.fromEntries([...list.numbers].map(([n, s]) => [n, [s.reason, s.date]])), {
    '41793026727': ['replied STOP', '2026-01-02'],
    '447910000000': [undefined, undefined],
    '4915112345678': [undefined, '2026-02-03'],
  });
  assert.equal(list.diagnostics, []);
});

test('invalid numbers are warnings (ten, then a count) and still suppressed as digits; reasons kept as written, bounded', async () => {
  const bad = Array.from({ length: 13 }, (_, i) => `12${i}`).join(',x\n');
  const list = await read({ 'a.csv': `phoneNumber,reason\n${bad},x\n41793026727,"STOP\u001b[2J\u202e"\n41780000001,${'x'.repeat(300)}\n` }, ['a.csv']);
  assert.equal(list.diagnostics.map((d) => [d.code, d.severity, d.line]).slice(0, 2), [['suppression-invalid', 'warning', 1], ['suppression-invalid', 'warning', 2]]);
  assert.is(list.diagnostics.length, 11);
  assert.match(list.diagnostics[10]?.message ?? '', '3 more numbers are not valid');
  assert.ok(list.numbers.has('120') && list.numbers.has('1212'));
  assert.is(list.numbers.get('41793026727')?.reason, 'STOP\u001b[2J\u202e');
  assert.is(list.numbers.get('41780000001')?.reason?.length, 201);
});

test('a missing file, a folder or an unknown format is a diagnostic, never a crash', async () => {
  const list = await read({ 'dir/x.csv/keep': '', 'a.txt': '41793026727\n' }, ['missing.csv', 'dir/x.csv', 'a.txt']);
  assert.equal(list.diagnostics.map((d) => [d.code, d.severity]), [
    ['suppressions-file-not-found', 'error'],
    ['suppressions-file-not-found', 'error'],
    ['recipients-format', 'error'],
  ]);
  assert.is(list.numbers.size, 0);
});

test.run();
