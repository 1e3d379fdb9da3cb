import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readLines } from '../../src/files/read-lines.js';
import { makeWorkspace } from '../helpers/cli.js';

async function linesOf(
  text: string | Buffer,
  maxLineBytes: number,
): Promise<Array<[string, boolean, boolean]>> {
  const { dir, cleanup } = await makeWorkspace({});
  try {
    await writeFile(join(dir, 'f'), text);
    const handle = await open(join(dir, 'f'));
    const out: Array<[string, boolean, boolean]> = [];
    for await (const line of readLines(handle, { maxLineBytes }))
      out.push([line.bytes.toString('utf8'), line.terminated, line.tooLong]);
    await handle.close();
    return out;
  } finally {
    await cleanup();
  }
}

test('lines across chunk borders, an unterminated tail, and a line over the cap skipped to its end', async () => {
  const long = 'y'.repeat(200_000);
  assert.equal(await linesOf(`a\n${long}\nb\n${'z'.repeat(70_000)}`, 100_000), [
    ['a', true, false],
    ['', true, true],
    ['b', true, false],
    ['z'.repeat(70_000), false, false],
  ]);
  assert.equal(await linesOf(`${long}\n`, 300_000), [[long, true, false]]);
  assert.equal(await linesOf('', 10), []);
});

test('an 8 MB line is read whole once (pieces joined once, not concatenated per chunk)', async () => {
  const line = 'x'.repeat(8 * 1024 * 1024);
  const lines = await linesOf(`${line}\nend\n`, 16 * 1024 * 1024);
  assert.is(lines.length, 2);
  assert.is(lines[0]?.[0].length, line.length);
});

test.run();
