import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openRegularFile } from '../../src/files/open-regular-file.js';
import { registerInputFile } from '../../src/files/input-files.js';
import { readFrameLines, FRAME_SCAN_BYTES } from '../../src/files/read-frame-lines.js';
import { makeWorkspace } from '../helpers/cli.js';

async function refusalOf(file: string, noFollow = false): Promise<string> {
  const opened = await openRegularFile(file, { noFollow });
  if ('handle' in opened) {
    await opened.handle.close();
    return 'opened';
  }
  return `${opened.refusal.reason}: ${opened.refusal.message}`;
}

test('FIFOs, devices, directories, /proc files and (with noFollow) symlinks are refused without blocking', async () => {
  const { dir, cleanup } = await makeWorkspace({ 'a.txt': 'hello\n', 'folder/x': '' });
  try {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    await symlink(join(dir, 'a.txt'), join(dir, 'link'));
    assert.is(await refusalOf(join(dir, 'a.txt')), 'opened');
    assert.is(await refusalOf(join(dir, 'fifo')), 'not-a-file: is a FIFO (named pipe)');
    assert.is(await refusalOf('/dev/zero'), 'not-a-file: is a device');
    assert.is(await refusalOf(join(dir, 'folder')), 'not-a-file: is a directory');
    assert.is(
      await refusalOf('/proc/self/environ'),
      'not-a-file: is a system file, not a regular file',
    );
    assert.is(await refusalOf(join(dir, 'missing')), 'missing: does not exist');
    assert.is(await refusalOf(join(dir, 'link')), 'opened');
    assert.is(await refusalOf(join(dir, 'link'), true), 'symlink: is a symbolic link');
  } finally {
    await cleanup();
  }
});

test('code frames show only lines of files named as input, hide secret-like lines, and stop at the scan cap', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'people.csv':
      'phoneNumber,name\n41793026727,Anna\nWASPEC_APP_SECRET=SEKRET123xyz\nappSecret: abc\n447910000000,Bob\n',
    'other.csv': 'phoneNumber,name\n41793026727,Anna\n',
  });
  try {
    const people = join(dir, 'people.csv');
    assert.is(
      readFrameLines(join(dir, 'other.csv'), 0, 2),
      undefined,
      'a file never named as input',
    );
    registerInputFile(people);
    const lines = readFrameLines(people, 1, 4) ?? [];
    assert.equal(lines, [
      '41793026727,Anna',
      '(not shown: looks like a secret)',
      '(not shown: looks like a secret)',
      '447910000000,Bob',
    ]);
    assert.not.ok(JSON.stringify(lines).includes('SEKRET'));
    // A line far past the cap gets no frame (the reader does not scan the whole file).
    const big = join(dir, 'big.csv');
    await writeFile(
      big,
      'phoneNumber\n' + '41793026727\n'.repeat(Math.ceil((FRAME_SCAN_BYTES * 2) / 12)),
    );
    registerInputFile(big);
    assert.equal(readFrameLines(big, 0, 1), ['phoneNumber', '41793026727']);
    assert.is(readFrameLines(big, 700_000, 700_001), undefined);
    // A long line is cut.
    await writeFile(join(dir, 'long.csv'), `${'x'.repeat(100_000)}\n`);
    registerInputFile(join(dir, 'long.csv'));
    assert.is(readFrameLines(join(dir, 'long.csv'), 0, 0)?.[0]?.length, 200);
  } finally {
    await cleanup();
  }
});

test('a FIFO or /proc file named as input still gets no frame and does not block', async () => {
  const { dir, cleanup } = await makeWorkspace({});
  try {
    execFileSync('mkfifo', [join(dir, 'fifo.csv')]);
    registerInputFile(join(dir, 'fifo.csv'));
    registerInputFile('/proc/self/environ');
    assert.is(readFrameLines(join(dir, 'fifo.csv'), 0, 1), undefined);
    assert.is(readFrameLines('/proc/self/environ', 0, 1), undefined);
  } finally {
    await cleanup();
  }
});

test.run();
