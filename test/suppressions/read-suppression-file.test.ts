import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_NDJSON_LINE_BYTES } from '../../src/recipients/read-json.js';
import { fileSuppressionSource } from '../../src/suppressions/file-suppressions.js';
import { MAX_SUPPRESSION_FILE_BYTES } from '../../src/suppressions/read-suppression-file.js';
import { makeWorkspace } from '../helpers/cli.js';

const [A, B] = ['41793026727', '41780000001'];

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
      'a.csv':
        'reason,phoneNumber,date\nreplied STOP,+41 79 302 67 27,2026-01-02\n,0044 7910 000000,\n',
      'b.ndjson':
        '{"phoneNumber":"41793026727","reason":"later"}\n\n{"phoneNumber":"+49 151 12345678","date":"2026-02-03"}\n',
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

test('invalid numbers are errors (ten, then a count) and suppress nothing; reasons kept as written, bounded', async () => {
  const bad = Array.from({ length: 13 }, (_, i) => `12${i}`).join(',x\n');
  const list = await read(
    {
      'a.csv': `phoneNumber,reason\n${bad},x\n41793026727,"STOP\u001b[2J\u202e"\n41780000001,${'x'.repeat(300)}\n079 302 67 28,national\n`,
    },
    ['a.csv'],
  );
  assert.equal(list.diagnostics.map((d) => [d.code, d.severity, d.line]).slice(0, 2), [
    ['suppression-invalid', 'error', 1],
    ['suppression-invalid', 'error', 2],
  ]);
  assert.match(
    list.diagnostics[0]?.message ?? '',
    /120 is not a valid international number: it would suppress no one/,
  );
  assert.is(list.diagnostics.length, 11);
  assert.match(list.diagnostics[10]?.message ?? '', '4 more numbers are not valid');
  assert.is(list.diagnostics[10]?.severity, 'error');
  assert.equal([...list.numbers.keys()].sort(), ['41780000001', '41793026727']);
  assert.is(list.numbers.get('41793026727')?.reason, 'STOP\u001b[2J\u202e');
  assert.is(list.numbers.get('41780000001')?.reason?.length, 201);
});

test("national numbers are read with the config's defaultCountry, exactly as recipients", async () => {
  const { dir, cleanup } = await makeWorkspace({
    'a.csv': 'phoneNumber\n079 302 67 27\n+44 7910 000000\n0044 7910 000001\n078 123 45 6\n',
  });
  try {
    const list = await fileSuppressionSource([join(dir, 'a.csv')], { defaultCountry: 'ch' }).read();
    assert.equal([...list.numbers.keys()], ['41793026727', '447910000000', '447910000001']);
    assert.equal(
      list.diagnostics.map((d) => [d.severity, d.line, d.message.replace(/^.*a\.csv: /, '')]),
      [
        [
          'error',
          4,
          '078 123 45 6 is not a valid international number nor a national number of CH: it would suppress no one',
        ],
      ],
    );
  } finally {
    await cleanup();
  }
});

test('a missing file, a folder, a FIFO or an unknown format is a diagnostic, never a crash or a hang', async () => {
  const { dir, cleanup } = await makeWorkspace({ 'dir/x.csv/keep': '', 'a.txt': '41793026727\n' });
  try {
    execFileSync('mkfifo', [join(dir, 'fifo.csv')]);
    const list = await fileSuppressionSource(
      ['missing.csv', 'dir/x.csv', 'fifo.csv', 'a.txt'].map((n) => join(dir, n)),
    ).read();
    assert.equal(
      list.diagnostics.map((d) => [d.code, d.severity]),
      [
        ['suppressions-file-not-found', 'error'],
        ['file-not-regular', 'error'],
        ['file-not-regular', 'error'],
        ['recipients-format', 'error'],
      ],
    );
    assert.match(list.diagnostics[2]?.message ?? '', /is a FIFO/);
    assert.is(list.numbers.size, 0);
  } finally {
    await cleanup();
  }
});

test('inside the workspace only (symbolic links resolved), unless allowed; problems point at the config line naming the file', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'work/in.csv': `phoneNumber\n${A}\n`,
    'outside/out.csv': `phoneNumber\n${B}\n`,
  });
  try {
    await symlink(join(dir, 'outside/out.csv'), join(dir, 'work/link.csv'));
    const work = join(dir, 'work');
    const files = ['in.csv', 'link.csv', '../outside/out.csv'].map((n) => join(work, n));
    const sites = { [files[1] ?? '']: { file: 'waspec.config.yaml', line: 0, column: 20 } };
    const confined = await fileSuppressionSource(files, { roots: [work], sites }).read();
    assert.equal(
      confined.diagnostics.map((d) => [d.code, d.line, d.column]),
      [
        ['file-outside-workspace', 0, 20],
        ['file-outside-workspace', undefined, undefined],
      ],
    );
    assert.is(confined.diagnostics[0]?.file, 'waspec.config.yaml');
    assert.match(confined.diagnostics[0]?.hint ?? '', /--allow-outside/);
    assert.equal([...confined.numbers.keys()], [A]);
    const allowed = await fileSuppressionSource(files, {
      roots: [work, join(dir, 'outside')],
    }).read();
    assert.equal(allowed.diagnostics, []);
    assert.equal([...allowed.numbers.keys()], [A, B]);
  } finally {
    await cleanup();
  }
});

test('a file over 128 MiB is refused unread; an NDJSON line over 1 MiB is skipped, the rest read; a BOM is no problem', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'b.ndjson': `\uFEFF{"phoneNumber":"${A}"}\n{"phoneNumber":"${'1'.repeat(MAX_NDJSON_LINE_BYTES)}"}\n{"phoneNumber":"${B}"}\n`,
  });
  try {
    await truncate(join(dir, 'huge.csv'), MAX_SUPPRESSION_FILE_BYTES + 1).catch(async () => {
      await writeFile(join(dir, 'huge.csv'), '');
      await truncate(join(dir, 'huge.csv'), MAX_SUPPRESSION_FILE_BYTES + 1);
    });
    const list = await fileSuppressionSource([join(dir, 'huge.csv'), join(dir, 'b.ndjson')]).read();
    assert.equal(
      list.diagnostics.map((d) => [d.code, d.line]),
      [
        ['file-too-large', undefined],
        ['json-syntax', 1],
      ],
    );
    assert.match(list.diagnostics[0]?.message ?? '', /at most 128 MiB/);
    assert.equal([...list.numbers.keys()], [A, B]);
  } finally {
    await cleanup();
  }
});

test.run();
