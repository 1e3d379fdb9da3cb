import { constants, fstatSync, openSync, closeSync, realpathSync, type Stats } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';

/** Why a path was not opened; `message` completes "<file> …". */
export interface FileRefusal {
  reason: 'missing' | 'not-a-file' | 'symlink' | 'unreadable';
  message: string;
}

export type Opened = { handle: FileHandle; size: number } | { refusal: FileRefusal };

// /proc and /sys files claim to be regular files of size 0 and are generated when read.
const PSEUDO = /^\/(proc|sys|dev)(\/|$)/;

/** What a non-regular file is, in words. */
export function describeKind(stats: Stats): string {
  if (stats.isDirectory()) return 'is a directory';
  if (stats.isFIFO()) return 'is a FIFO (named pipe)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device';
  if (stats.isSocket()) return 'is a socket';
  if (stats.isSymbolicLink()) return 'is a symbolic link';
  return 'is not a regular file';
}

function refusalOf(error: unknown): FileRefusal {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return { reason: 'missing', message: 'does not exist' };
  if (code === 'ELOOP') return { reason: 'symlink', message: 'is a symbolic link' };
  if (code === 'EISDIR') return { reason: 'not-a-file', message: 'is a directory' };
  return { reason: 'unreadable', message: `cannot be read (${code || 'error'})` };
}

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
const flagsFor = (noFollow: boolean) =>
  constants.O_RDONLY | constants.O_NONBLOCK | (noFollow ? constants.O_NOFOLLOW : 0);

/**
 * Opens a regular file for reading without ever blocking: FIFOs, devices, directories and
 * /proc or /sys files are refused. `noFollow` refuses a symbolic link as the last component.
 */
export async function openRegularFile(
  absolute: string,
  options: { noFollow?: boolean } = {},
): Promise<Opened> {
  let handle: FileHandle;
  try {
    handle = await open(absolute, flagsFor(options.noFollow ?? false));
  } catch (error) {
    return { refusal: refusalOf(error) };
  }
  try {
    const stats = await handle.stat();
    const real = await realpath(absolute).catch(() => absolute);
    if (!stats.isFile() || PSEUDO.test(real)) {
      await handle.close();
      return {
        refusal: {
          reason: 'not-a-file',
          message: stats.isFile() ? 'is a system file, not a regular file' : describeKind(stats),
        },
      };
    }
    return { handle, size: stats.size };
  } catch (error) {
    await handle.close();
    return { refusal: refusalOf(error) };
  }
}

/** Synchronous twin for code frames: a file descriptor of a regular file, or undefined. */
export function openRegularFileSync(absolute: string): number | undefined {
  let fd: number;
  try {
    fd = openSync(absolute, flagsFor(false));
  } catch {
    return undefined;
  }
  try {
    if (fstatSync(fd).isFile() && !PSEUDO.test(realpathSync(absolute))) return fd;
  } catch {
    // fall through: not readable
  }
  closeSync(fd);
  return undefined;
}
