import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StateError } from '../errors.js';
import { compactRecord, type CompactResult } from './compact-records.js';
import { JOURNAL_HEADER } from './journal-format.js';
import { readJournal } from './read-journal.js';

/** The new journal is written in chunks of about this many bytes. */
const CHUNK = 1 << 20;

/**
 * Rewrites the journal without personal data: the compacted records go to a new file beside it
 * as they are read (memory stays bounded in the number of records), fsynced, which then replaces
 * the journal in one rename (a crash leaves the old one or the new one, never half of each). A
 * journal with invalid lines is refused: they would be lost. With nothing to compact the new file
 * is removed and the journal stays as it was.
 */
export async function compactJournal(file: string): Promise<CompactResult> {
  const next = `${file}.compact-${process.pid}`;
  // Opened at the first write: a state with no journal (or a small one) has nothing to remove.
  let fh: FileHandle | undefined;
  const write = async (text: string) => {
    fh ??= await open(next, 'wx', 0o644);
    await fh.write(text);
  };
  const result: CompactResult = { records: 0, rewritten: 0, removed: 0 };
  let replace = false;
  try {
    let chunk = [`${JSON.stringify(JOURNAL_HEADER)}\n`];
    let bytes = 0;
    const snapshot = await readJournal(
      file,
      file,
      (record) => {
        const now = compactRecord(record);
        if (now === undefined) {
          result.removed++;
          return;
        }
        if (now !== record) result.rewritten++;
        result.records++;
        const line = `${JSON.stringify(now)}\n`;
        chunk.push(line);
        bytes += line.length;
        if (bytes < CHUNK) return;
        const text = chunk.join('');
        chunk = [];
        bytes = 0;
        return write(text);
      },
      { fold: false },
    );
    const bad = snapshot.diagnostics.find((d) => d.severity === 'error');
    if (bad)
      throw new StateError(
        `The state journal ${file}${bad.line === undefined ? '' : `:${bad.line + 1}`} has invalid lines (${bad.message}); it was not compacted.`,
        'Restore the journal from a backup or version control first; compacting would drop those lines.',
      );
    if (result.rewritten === 0 && result.removed === 0) return result;
    await write(chunk.join(''));
    await fh?.sync();
    replace = true;
  } finally {
    if (fh) {
      await fh.close();
      if (!replace) await rm(next, { force: true });
    }
  }
  await rename(next, file);
  const folder = await open(dirname(file), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
  return result;
}
