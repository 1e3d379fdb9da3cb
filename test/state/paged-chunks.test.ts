import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PagedChunks } from '../../src/state/paged-chunks.js';
import { withTmpDir } from './tmp-dir.js';

const BYTES = 1024;

function chunkOf(n: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(BYTES).fill(n + 1);
}

test('chunks: the growing one beside the pager, the full ones read back as they were', async () => {
  await withTmpDir(async (dir) => {
    const chunks = new PagedChunks(BYTES, (b) => new Uint8Array(b), { dir, resident: 2 });
    assert.is(chunks.length, 0);
    assert.is(chunks.last, undefined);
    for (let n = 0; n < 6; n++) assert.is(chunks.add(chunkOf(n))[0], n + 1);
    assert.is(chunks.length, 6);
    assert.ok(chunks.spilled, 'full chunks past 2 went to the page file');
    // The growing one is never paged: it can still be replaced by a grown or trimmed copy.
    assert.is(chunks.get(5), chunks.last);
    const grown = chunkOf(9);
    chunks.replaceLast(grown);
    assert.is(chunks.get(5), grown);
    for (const n of [0, 4, 4, 1, 3, 2, 0]) assert.is(chunks.get(n)[BYTES - 1], n + 1, `chunk ${n}`);
  });
});

test('a full chunk written to after it was read back keeps the change once evicted', async () => {
  await withTmpDir(async (dir) => {
    const chunks = new PagedChunks(BYTES, (b) => new Uint8Array(b), { dir, resident: 2 });
    for (let n = 0; n < 5; n++) chunks.add(chunkOf(n));
    chunks.write(0)[7] = 200;
    chunks.write(4)[7] = 201;
    // Reads of the others evict chunk 0; it comes back with its change.
    for (const n of [1, 2, 3, 1]) chunks.get(n);
    assert.is(chunks.get(0)[7], 200);
    assert.is(chunks.get(0)[8], 1);
    assert.is(chunks.get(4)[7], 201);
  });
});

test.run();
