import { closeSync, mkdirSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { StateError } from '../errors.js';

/**
 * A file of bytes only this process reads back (the plan's contents, pages of the plan's and the
 * state's tables), in the state's folder or the OS temp dir.
 */
export interface SpillFile {
  readonly fd: number;
  readonly path: string;
}

/** Spill files still named by this process: removed at exit where the system kept their names. */
const named = new Set<string>();
let exitHook = false;
// The fd of a file whose owner the program let go of (watch plans again and again) is closed.
const unreached = new FinalizationRegistry<{ fd: number }>((file) => {
  try {
    closeSync(file.fd);
  } catch {
    // Closed already.
  }
});

/** A new spill file in `dir` (created if missing; default the OS temp dir), closed once `owner` is unreachable. */
export function openSpillFile(owner: object, dir: string | undefined, prefix: string): SpillFile {
  const folder = dir ?? tmpdir();
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${prefix}-${process.pid}-${randomBytes(6).toString('hex')}.spill`);
  // Only this process reads it: removed from the folder at once (the open file stays readable),
  // so no exit, error or signal leaves it behind; where the system refuses, at exit.
  const fd = openSync(path, 'wx+', 0o600);
  try {
    unlinkSync(path);
  } catch {
    named.add(path);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => {
        for (const p of named) {
          try {
            unlinkSync(p);
          } catch {
            // Gone already.
          }
        }
      });
    }
  }
  unreached.register(owner, { fd });
  return { fd, path };
}

/** Writes all of `bytes` at `position`. */
export function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length)
    done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

/** Reads `bytes.length` bytes at `position`; a file that ends first is a bug, not the user's. */
export function readAll(fd: number, bytes: Uint8Array, position: number, what: string): void {
  let done = 0;
  while (done < bytes.length) {
    const n = readSync(fd, bytes, done, bytes.length - done, position + done);
    if (n === 0) throw new Error(`the ${what} spill file ended early`);
    done += n;
  }
}

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'over the disk quota',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'a read-only file system',
  ENOTDIR: 'not a folder',
  EEXIST: 'not a folder',
  EIO: 'an input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
};

/**
 * A failed write of a spill file as a StateError naming the folder: a full disk or a read-only
 * folder is the user's to fix, not a bug. The plan stops before anything is sent or recorded.
 * `subject` is what was being written ("The plan's contents").
 */
export function spillError(error: unknown, dir: string | undefined, subject: string): unknown {
  const code = error instanceof Error && 'code' in error ? String(error.code) : undefined;
  if (code === undefined || !/^E[A-Z]+$/.test(code)) return error;
  const folder = resolve(dir ?? tmpdir());
  const reason = REASONS[code] ?? 'it failed';
  return new StateError(
    `${subject} cannot be written to a spill file in ${folder} (${code}: ${reason}).`,
    dir === undefined
      ? 'A plan of many messages keeps what it cannot hold in memory there: free space in it, or set TMPDIR to a writable folder with room.'
      : 'A plan of many messages keeps what it cannot hold in memory in the state folder: free space there, or point the state elsewhere (--state or stateDir).',
  );
}
