import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { StateError } from '../errors.js';
import { describeKind } from '../files/open-regular-file.js';
import { isHeaderStart, JOURNAL_HEADER, parseJournalLine } from './journal-format.js';
import type { JournalRecord } from './types.js';

const TAIL_CHUNK = 64 * 1024;
const HEAD_BYTES = 4096;
// Never through a symbolic link, never blocking on a FIFO.
const APPEND_FLAGS =
  constants.O_RDWR |
  constants.O_APPEND |
  constants.O_CREAT |
  constants.O_NOFOLLOW |
  constants.O_NONBLOCK;
const STATE_HINT =
  'Point --state (or stateDir) at a folder of its own; waspec writes only to regular files it created.';

async function openForAppend(file: string): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    fh = await open(file, APPEND_FLAGS, 0o644);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (code === 'ELOOP')
      throw new StateError(
        `The state journal ${file} is a symbolic link; the state's files must be regular files.`,
        STATE_HINT,
      );
    if (code === 'EISDIR')
      throw new StateError(
        `The state journal ${file} is a directory; the state's files must be regular files.`,
        STATE_HINT,
      );
    throw new StateError(
      `The state journal ${file} cannot be opened for writing (${code || String(error)}).`,
    );
  }
  const stats = await fh.stat();
  const foreign = !stats.isFile()
    ? describeKind(stats)
    : stats.nlink > 1
      ? `has ${stats.nlink - 1} other hard link(s), so writing it would change another file`
      : process.getuid && stats.uid !== process.getuid()
        ? `belongs to another user (uid ${stats.uid})`
        : undefined;
  if (foreign) {
    await fh.close();
    throw new StateError(
      `The state journal ${file} ${foreign}; the state's files must be regular files of its own.`,
      STATE_HINT,
    );
  }
  return fh;
}

/** The journal opened for appending, its torn tail (if any) cut off and a new one given its header. */
async function openChecked(file: string): Promise<FileHandle> {
  const fh = await openForAppend(file);
  try {
    const { size } = await fh.stat();
    const keep = size === 0 ? 0 : await soundLength(fh, size, file);
    if (keep < size) await fh.truncate(keep);
    if (keep === 0) await fh.write(`${JSON.stringify(JOURNAL_HEADER)}\n`);
    return fh;
  } catch (error) {
    await fh.close();
    throw error;
  }
}

async function writeSynced(fh: FileHandle, records: readonly JournalRecord[]): Promise<void> {
  let lines = '';
  for (const record of records) lines += `${JSON.stringify(record)}\n`;
  await fh.write(lines);
  await fh.sync();
}

export interface JournalAppender {
  /**
   * Appends records as lines, durable (fsynced) when it resolves. A header line starts a new
   * journal; an incomplete last line left by a crash is cut off first, so it never ends up in the
   * middle. A file that is not a journal (its first line is no journal line) is never written to.
   */
  append(records: readonly JournalRecord[]): Promise<void>;
  /** Whether the journal is open now (kept between appends). */
  readonly open: boolean;
  /**
   * Keep the journal open between appends (on) or not (off: it is closed). Only while the state's
   * lock is held: no other process writes the journal or replaces it meanwhile.
   */
  keepOpen(on: boolean): Promise<void>;
  /** Closes the journal if it is kept open (it is replaced, e.g. compacted); the next append opens it again. */
  reopen(): Promise<void>;
}

/**
 * The appends to one journal: each one write and one fsync while the file is kept open
 * (an apply's thousands of commits under its lock) instead of opening, checking its tail and
 * closing it each time. An append that fails closes it: the next one checks the tail again.
 */
export function journalAppender(file: string): JournalAppender {
  // Open between appends; an append takes it while it writes and puts it back if it may keep it.
  let kept: FileHandle | undefined;
  let keep = false;
  // Bumped by every close: an append under way then does not put back a file replaced meanwhile.
  let opened = 0;
  const close = async () => {
    opened++;
    const fh = kept;
    kept = undefined;
    await fh?.close();
  };
  return {
    get open() {
      return kept !== undefined;
    },
    async append(records) {
      const at = opened;
      const fh = kept ?? (await openChecked(file));
      kept = undefined;
      let ok = false;
      try {
        await writeSynced(fh, records);
        ok = true;
      } finally {
        if (ok && keep && at === opened && kept === undefined) kept = fh;
        else await fh.close();
      }
    },
    async keepOpen(on) {
      keep = on;
      if (!on) await close();
    },
    reopen: close,
  };
}

/**
 * Length of the journal without an incomplete (unterminated) last line. A file whose first line is
 * not a journal line (header or record) is not a journal: refused, never cut.
 */
async function soundLength(fh: FileHandle, size: number, file: string): Promise<number> {
  const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
  await fh.read(head, 0, head.length, 0);
  const firstEnd = head.indexOf(0x0a);
  if (firstEnd === -1) {
    // One unterminated line: a first write cut short, or not a journal at all.
    if (size <= HEAD_BYTES && isHeaderStart(head)) return 0;
    throw notAJournal(file);
  }
  if (parseJournalLine(head.toString('utf8', 0, firstEnd), file).kind === 'invalid')
    throw notAJournal(file);
  const last = Buffer.alloc(1);
  await fh.read(last, 0, 1, size - 1);
  if (last[0] === 0x0a) return size;
  return lastLineStart(fh, size);
}

function notAJournal(file: string): StateError {
  return new StateError(
    `${file} is not a waspec state journal (its first line is not a journal line); waspec will not write to it.`,
    STATE_HINT,
  );
}

/** Offset just after the last '\n' before `end` (0 if none). */
async function lastLineStart(fh: FileHandle, end: number): Promise<number> {
  let pos = end;
  while (pos > 0) {
    const from = Math.max(0, pos - TAIL_CHUNK);
    const chunk = Buffer.alloc(pos - from);
    await fh.read(chunk, 0, chunk.length, from);
    const nl = chunk.lastIndexOf(0x0a);
    if (nl !== -1) return from + nl + 1;
    pos = from;
  }
  return 0;
}
