import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import {
  writeDeepJson,
  writeDeepNdjson,
  writeDeepSpec,
  writeRepeatedRowsCsv,
  writeSharedStringXlsx,
  writeUnclosedQuoteCsv,
} from '../../bench/hostile-files.mjs';
import { varsHash } from '../../src/recipients/duplicates.js';
import { assertNoStackTrace, runCli, type CliResult } from '../helpers/cli.js';
import type { ValidateJson } from '../trust/validate-json.js';

// Small files whose cost must follow their size, not what their rows share (bench/hostile-files
// times them): each gives a few positioned diagnostics, never an internal error.

async function inTemp<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'waspec-hostile-'));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function validate(spec: string, format = 'json'): Promise<CliResult> {
  const r = await runCli(['validate', basename(spec), '--format', format], { cwd: dirname(spec) });
  assertNoStackTrace(r);
  return r;
}

const json = (r: CliResult) => JSON.parse(r.stdout) as ValidateJson;

test('rows that all point at one 1 MB shared string: a value too long each, five listed and a count', async () => {
  await inTemp(async (dir) => {
    const r = await validate(await writeSharedStringXlsx(dir));
    assert.is(r.code, 1);
    const long = json(r).diagnostics.filter((d) => d.code === 'value-too-long');
    assert.is(long.length, 6);
    assert.match(long[0]?.message ?? '', /'name' is longer than 4,096 characters/);
    assert.is((long[0] as { cell?: string }).cell, 'Sheet1!A2');
    assert.match(
      long[5]?.message ?? '',
      /^1,995 more recipients of shared have the problem 'value-too-long' in shared\.xlsx/,
    );
    assert.is(long[5]?.severity, 'error');
  });
});

test('a shared string under the limit is sent, and rows sharing it are duplicates or not by its text', () => {
  const text = 'y'.repeat(4000);
  // The same text from another string object, and a text differing in its last character.
  const copy = ['y'.repeat(2000), 'y'.repeat(2000)].join('');
  const other = `${'y'.repeat(3999)}z`;
  assert.is(varsHash({ a: text, b: 'x' }), varsHash({ b: 'x', a: copy }));
  assert.is.not(varsHash({ a: text }), varsHash({ a: other }));
  assert.is.not(varsHash({ a: text }), varsHash({ b: text }));
  assert.is.not(varsHash({ a: 'short' }), varsHash({ a: 'shorT' }));
});

test('100,000 identical rows: five duplicate warnings with code frames, then one count', async () => {
  await inTemp(async (dir) => {
    const spec = writeRepeatedRowsCsv(dir);
    const r = await validate(spec);
    assert.is(r.code, 0);
    const diagnostics = json(r).diagnostics;
    assert.equal(
      diagnostics.map((d) => [d.code, d.line]),
      [
        ['phone-duplicate', 3],
        ['phone-duplicate', 4],
        ['phone-duplicate', 5],
        ['phone-duplicate', 6],
        ['phone-duplicate', 7],
        ['phone-duplicate', 8],
      ],
    );
    assert.match(
      diagnostics[5]?.message ?? '',
      /^99,994 more recipients of repeated have the problem 'phone-duplicate' in repeated\.csv/,
    );
    const pretty = await validate(spec, 'pretty');
    assert.is(pretty.code, 0);
    assert.is(pretty.stderr.match(/^> \d+ \| \+41793026727,Ann$/gm)?.length, 6, pretty.stderr);
  });
});

test('a quote never closed in a big CSV: one positioned diagnostic', async () => {
  await inTemp(async (dir) => {
    const r = await validate(writeUnclosedQuoteCsv(dir));
    assert.is(r.code, 1);
    const syntax = json(r).diagnostics.filter((d) => d.code === 'csv-syntax');
    assert.equal(
      syntax.map((d) => [d.file, d.line]),
      [['unclosed.csv', 2]],
    );
  });
});

for (const [what, write, file, line] of [
  ['NDJSON', writeDeepNdjson, 'deep.ndjson', 1],
  ['JSON', writeDeepJson, 'deep.json', 1],
  ['spec', writeDeepSpec, 'deep-spec.yaml', 6],
] as const) {
  test(`${what} nested 5,000 deep: nesting-too-deep at its line`, async () => {
    await inTemp(async (dir) => {
      const r = await validate(write(dir));
      assert.is(r.code, 1, r.stderr);
      const deep = json(r).diagnostics.filter((d) => d.code === 'nesting-too-deep');
      assert.equal(
        deep.map((d) => [d.file, d.line]),
        [[file, line]],
      );
    });
  });
}

test('NDJSON nested 32 deep is read; 33 deep is refused', async () => {
  await inTemp(async (dir) => {
    // vars { name: {a: … 1} }: the name's value adds one level to the `depth` given.
    const ok = json(await validate(writeDeepNdjson(dir, { depth: 30 })));
    assert.not.ok(ok.diagnostics.some((d) => d.code === 'nesting-too-deep'));
    const deep = json(await validate(writeDeepNdjson(dir, { depth: 32 })));
    assert.ok(deep.diagnostics.some((d) => d.code === 'nesting-too-deep'));
  });
});

test.run();
