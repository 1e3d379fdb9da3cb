import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { access, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openFileStateStore } from '../../src/state/file-state.js';
import { LockHeldError, StateError } from '../../src/errors.js';
import { withTmpDir } from './tmp-dir.js';
import { stateBackends, withState } from '../helpers/state-backends.js';

async function refusal(promise: Promise<unknown>): Promise<LockHeldError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, LockHeldError);
    return error as LockHeldError;
  }
  throw new Error('the lock was not refused');
}

function deadPid(): number {
  // A child that has exited: its pid is no longer a running process.
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

test('a second lock is refused, naming owner, host, pid and since; release frees it', () =>
  withTmpDir(async (dir) => {
    const store = openFileStateStore(dir);
    const first = await store.lock();
    const error = await refusal(store.lock());
    assert.match(error.message, first.info.owner);
    assert.match(error.message, hostname());
    assert.match(error.message, `pid ${process.pid}`);
    assert.match(error.message, first.info.since);
    assert.match(error.hint ?? '', /--force-unlock/);
    await first.release();
    const again = await store.lock();
    await again.release();
    const left = await access(join(dir, 'lock.json')).then(
      () => true,
      () => false,
    );
    assert.is(left, false, 'release removes lock.json');
  }));

test('--force-unlock takes over the lock of a dead process', () =>
  withTmpDir(async (dir) => {
    const pid = deadPid();
    await writeFile(
      join(dir, 'lock.json'),
      JSON.stringify({ owner: 'ci', host: hostname(), pid, since: '2026-01-01T00:00:00.000Z' }),
    );
    const store = openFileStateStore(dir);
    await refusal(store.lock());
    const lock = await store.lock({ force: true });
    assert.is(lock.info.pid, process.pid);
    await lock.release();
  }));

test('--force-unlock of a live process or another host is refused and says why', () =>
  withTmpDir(async (dir) => {
    const store = openFileStateStore(dir);
    await writeFile(
      join(dir, 'lock.json'),
      JSON.stringify({ owner: 'ci', host: hostname(), pid: process.pid, since: 'then' }),
    );
    assert.match((await refusal(store.lock({ force: true }))).message, /still running/);
    await writeFile(
      join(dir, 'lock.json'),
      JSON.stringify({ owner: 'ci', host: 'elsewhere.example', pid: 1, since: 'then' }),
    );
    assert.match(
      (await refusal(store.lock({ force: true }))).message,
      /another host \(elsewhere\.example\)/,
    );
  }));

test('release does not remove a lock that is no longer ours', () =>
  withTmpDir(async (dir) => {
    const store = openFileStateStore(dir);
    const lock = await store.lock();
    await writeFile(
      join(dir, 'lock.json'),
      JSON.stringify({ owner: 'x', host: 'other', pid: 1, since: 'later' }),
    );
    await lock.release();
    await access(join(dir, 'lock.json'));
  }));

test('a lock.json that is a FIFO, a symlink or a directory is refused at once, never read, followed or removed', () =>
  withTmpDir(async (dir) => {
    await writeFile(join(dir, 'victim.txt'), 'precious');
    const cases: Array<[string, () => Promise<void>, RegExp]> = [
      ['fifo', async () => void spawnSync('mkfifo', [join(dir, 'fifo', 'lock.json')]), /FIFO/],
      ['link', () => symlink('../victim.txt', join(dir, 'link', 'lock.json')), /symbolic link/],
      ['folder', () => mkdir(join(dir, 'folder', 'lock.json')), /directory/],
    ];
    for (const [name, make, pattern] of cases) {
      await mkdir(join(dir, name));
      await make();
      for (const force of [false, true]) {
        const error = await openFileStateStore(join(dir, name))
          .lock({ force })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        assert.instance(error, StateError, `${name}: ${String(error)}`);
        assert.match((error as Error).message, pattern);
      }
      await access(join(dir, name, 'lock.json'));
    }
    assert.is(await readFile(join(dir, 'victim.txt'), 'utf8'), 'precious');
  }));

for (const backend of await stateBackends()) {
  test(`[${backend.name}] a second apply's lock is refused naming owner, host, pid and since; release frees it`, () =>
    withState(backend, async (state) => {
      const first = await state.store.lock();
      const other = state.reopen();
      const error = await refusal(other.lock());
      for (const part of [first.info.owner, hostname(), `pid ${process.pid}`, first.info.since])
        assert.ok(error.message.includes(part), `${part} in: ${error.message}`);
      await first.release();
      const again = await other.lock();
      await refusal(state.store.lock());
      await again.release();
    }));
}

test.run();
