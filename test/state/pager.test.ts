import { readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StateError } from '../../src/errors.js';
import { Pager, residentPages, RESIDENT_PAGES } from '../../src/state/pager.js';
import { withTmpDir } from './tmp-dir.js';

const BYTES = 4096;

/** A page of two columns over one buffer, as the tables build theirs. */
class Page {
  readonly head: Uint32Array;
  readonly tail: Uint8Array;
  constructor(readonly buffer: ArrayBuffer) {
    this.head = new Uint32Array(buffer, 0, 512);
    this.tail = new Uint8Array(buffer, 2048, 2048);
  }
}

function pageOf(n: number): Page {
  const page = new Page(new ArrayBuffer(BYTES));
  page.head.fill(n * 7 + 1);
  page.tail.fill(n & 0xff);
  return page;
}

/** Open files of this process that are page files in `dir`. */
function spillFds(dir: string): string[] {
  return readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((link) => link.startsWith(`${dir}/pages-`) && /\.spill/.test(link));
}

test('pages past the resident count go to the file and come back as they were', async () => {
  await withTmpDir(async (dir) => {
    const pager = new Pager(BYTES, (b) => new Page(b), { dir, resident: 3 });
    for (let n = 0; n < 10; n++) assert.is(pager.push(pageOf(n)), n);
    assert.is(pager.length, 10);
    assert.ok(pager.spilled);
    // Removed from the folder at once: nothing is left behind by a kill.
    assert.equal(readdirSync(dir), []);
    for (const n of [0, 9, 4, 4, 1, 8, 2, 7, 3, 6, 5, 0]) {
      const page = pager.get(n);
      assert.is(page.head[511], n * 7 + 1, `page ${n}`);
      assert.is(page.tail[0], n & 0xff);
    }
  });
});

test('a page changed after it was read back is written again when it leaves memory', async () => {
  await withTmpDir(async (dir) => {
    const pager = new Pager(BYTES, (b) => new Page(b), { dir, resident: 2 });
    for (let n = 0; n < 6; n++) pager.push(pageOf(n));
    const first = pager.get(0);
    first.head[3] = 12345;
    pager.dirty(0);
    const second = pager.get(1);
    second.head[3] = 999; // not marked: a read-only reader's page is not written back
    for (let n = 2; n < 6; n++) pager.get(n);
    assert.is(pager.get(0).head[3], 12345);
    assert.is(pager.get(1).head[3], 1 * 7 + 1);
  });
});

test('the two pages used last stay in memory: a page read is not evicted by the next read', async () => {
  const pager = new Pager(BYTES, (b) => new Page(b), { resident: 2 });
  for (let n = 0; n < 5; n++) pager.push(pageOf(n));
  const a = pager.get(0);
  const b = pager.get(2);
  assert.is(pager.get(0), a);
  assert.is(pager.get(2), b);
});

test('a small table never opens a file; a big one opens one, already unlinked', async () => {
  await withTmpDir(async (dir) => {
    const small = new Pager(BYTES, (b) => new Page(b), { dir, resident: 8 });
    for (let n = 0; n < 8; n++) small.push(pageOf(n));
    assert.not.ok(small.spilled);
    assert.equal(spillFds(dir), []);
    small.push(pageOf(8));
    assert.ok(small.spilled);
    const [link] = spillFds(dir);
    assert.match(link ?? '', / \(deleted\)$/);
  });
});

test('a page of the wrong size, or a view into a bigger buffer, is refused', () => {
  const pager = new Pager(BYTES, (b) => new Uint8Array(b), { resident: 2 });
  assert.throws(() => pager.push(new Uint8Array(100)), /100 bytes, not 4096/);
  assert.throws(() => pager.push(new Uint8Array(new ArrayBuffer(BYTES * 2), 0, BYTES)), /bytes/);
  assert.throws(() => pager.get(0), /no page 0 of 0/);
});

test('the resident count: given, else WASPEC_RESIDENT_PAGES, else the default; never below 2', () => {
  const before = process.env.WASPEC_RESIDENT_PAGES;
  try {
    delete process.env.WASPEC_RESIDENT_PAGES;
    assert.is(residentPages(undefined), RESIDENT_PAGES);
    assert.is(residentPages(5), 5);
    assert.is(residentPages(0), 2);
    process.env.WASPEC_RESIDENT_PAGES = '3';
    assert.is(residentPages(undefined), 3);
    process.env.WASPEC_RESIDENT_PAGES = 'lots';
    assert.is(residentPages(undefined), RESIDENT_PAGES);
  } finally {
    if (before === undefined) delete process.env.WASPEC_RESIDENT_PAGES;
    else process.env.WASPEC_RESIDENT_PAGES = before;
  }
});

test('a folder the page file cannot be made in is a state error naming it, with a hint', async () => {
  await withTmpDir(async (dir) => {
    // A file where the folder should be: refused even to root.
    const notFolder = join(dir, 'state');
    writeFileSync(notFolder, 'x');
    const pager = new Pager(BYTES, (b) => new Page(b), {
      dir: notFolder,
      resident: 2,
      subject: "The plan's entries",
    });
    pager.push(pageOf(0));
    pager.push(pageOf(1));
    try {
      pager.push(pageOf(2));
      assert.unreachable('the page was written');
    } catch (error) {
      assert.instance(error, StateError);
      assert.is(
        (error as StateError).message,
        `The plan's entries cannot be written to a spill file in ${notFolder} (EEXIST: not a folder).`,
      );
      assert.match((error as StateError).hint ?? '', /point the state elsewhere/);
    }
  });
});

test.run();
