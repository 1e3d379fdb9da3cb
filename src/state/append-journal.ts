import { open, type FileHandle } from 'node:fs/promises';
import { JOURNAL_HEADER, parseJournalLine } from './journal-format.js';
import type { JournalRecord } from './types.js';

const TAIL_CHUNK = 64 * 1024;

/**
 * Appends records as lines and fsyncs before resolving. A header line starts a new journal;
 * a torn tail left by a crash is cut off first, so it never ends up in the middle.
 */
export async function appendJournal(file: string, records: readonly JournalRecord[]): Promise<void> {
  const fh = await open(file, 'a+');
  try {
    const { size } = await fh.stat();
    const keep = size === 0 ? 0 : await soundLength(fh, size, file);
    if (keep < size) await fh.truncate(keep);
    const lines = records.map((r) => `${JSON.stringify(r)}\n`);
    if (keep === 0) lines.unshift(`${JSON.stringify(JOURNAL_HEADER)}\n`);
    await fh.write(lines.join(''));
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Length of the journal without a torn last line (unterminated or unparsable). */
async function soundLength(fh: FileHandle, size: number, file: string): Promise<number> {
  const last = Buffer.alloc(1);
  await fh.read(last, 0, 1, size - 1);
  const end = last[0] === 0x0a ? size - 1 : size;
  const start = await lastLineStart(fh, end);
  if (last[0] !== 0x0a) return start;
  const line = Buffer.alloc(end - start);
  await fh.read(line, 0, line.length, start);
  const text = line.toString('utf8');
  if (text.trim() === '') return size;
  return parseJournalLine(text, file) === undefined ? start : size;
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
