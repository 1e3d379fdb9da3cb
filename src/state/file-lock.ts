import { hostname, userInfo } from 'node:os';
import { unlink, writeFile } from 'node:fs/promises';
import { LockHeldError, StateError } from '../errors.js';
import { openRegularFile } from '../files/open-regular-file.js';
import type { LockInfo, StateLock } from './types.js';

const FORCE_HINT = 'If that process is gone (killed, crashed), run again with --force-unlock.';

/** Takes lock.json exclusively; `force` takes over only a lock whose process is gone. */
export async function takeLock(
  file: string,
  options: { force?: boolean } = {},
): Promise<StateLock> {
  const info: LockInfo = {
    owner: currentUser(),
    host: hostname(),
    pid: process.pid,
    since: new Date().toISOString(),
  };
  try {
    await writeFile(file, `${JSON.stringify(info)}\n`, { flag: 'wx' });
  } catch (error) {
    if (!isCode(error, 'EEXIST')) throw error;
    const holder = await readLockInfo(file);
    if (!options.force)
      throw new LockHeldError(`The state is locked by ${describe(holder)}.`, FORCE_HINT);
    const why = whyNotTakeOver(holder);
    if (why)
      throw new LockHeldError(
        `The state is locked by ${describe(holder)}; --force-unlock refused: ${why}.`,
      );
    await unlink(file).catch((e: unknown) => {
      if (!isCode(e, 'ENOENT')) throw e;
    });
    // Exclusive again: if another process took it in between, it wins.
    return takeLock(file, {});
  }
  return { info, release: () => releaseLock(file, info) };
}

async function releaseLock(file: string, info: LockInfo): Promise<void> {
  const holder = await readLockInfo(file);
  if (
    holder &&
    holder.pid === info.pid &&
    holder.host === info.host &&
    holder.since === info.since
  ) {
    await unlink(file).catch((e: unknown) => {
      if (!isCode(e, 'ENOENT')) throw e;
    });
  }
}

const MAX_LOCK_BYTES = 4096;

/**
 * undefined when the file is missing or unreadable (e.g. a crash while writing it). A symlink,
 * FIFO, directory or device in its place is a StateError: it is never followed, read or removed.
 */
export async function readLockInfo(file: string): Promise<LockInfo | undefined> {
  const opened = await openRegularFile(file, { noFollow: true });
  if ('refusal' in opened) {
    if (opened.refusal.reason === 'missing' || opened.refusal.reason === 'unreadable')
      return undefined;
    throw new StateError(
      `The state lock ${file} ${opened.refusal.message}; the state's files must be regular files.`,
      'Remove it by hand (waspec does not touch it) and run again.',
    );
  }
  try {
    if (opened.size > MAX_LOCK_BYTES) return undefined;
    const value: unknown = JSON.parse(await opened.handle.readFile('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { owner, host, pid, since } = value as Partial<Record<keyof LockInfo, unknown>>;
    if (
      typeof owner !== 'string' ||
      typeof host !== 'string' ||
      typeof pid !== 'number' ||
      typeof since !== 'string'
    ) {
      return undefined;
    }
    return { owner, host, pid, since };
  } catch {
    return undefined;
  } finally {
    await opened.handle.close();
  }
}

function whyNotTakeOver(holder: LockInfo | undefined): string | undefined {
  if (!holder) return undefined; // an unreadable lock file: its writer crashed mid-write
  if (holder.host !== hostname()) {
    return `it was taken on another host (${holder.host}), where waspec cannot check the process; remove lock.json by hand once you are sure it is gone`;
  }
  try {
    process.kill(holder.pid, 0);
    return `process ${holder.pid} is still running`;
  } catch (error) {
    if (isCode(error, 'ESRCH')) return undefined;
    return `process ${holder.pid} exists (${error instanceof Error ? error.message : String(error)})`;
  }
}

function describe(holder: LockInfo | undefined): string {
  if (!holder) return 'another process (lock.json is unreadable)';
  return `${holder.owner} on ${holder.host} (pid ${holder.pid}) since ${holder.since}`;
}

export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
