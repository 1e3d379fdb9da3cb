import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StateError } from '../errors.js';
import { compactRecords, type CompactResult } from './compact-records.js';
import { JOURNAL_HEADER } from './journal-format.js';
import { readJournal } from './read-journal.js';
import type { JournalRecord } from './types.js';

/**
 * Rewrites the journal without personal data: the compacted records go to a new file beside it,
 * fsynced, which then replaces the journal in one rename (a crash leaves the old one or the new
 * one, never half of each). A journal with invalid lines is refused: they would be lost.
 */
export async function compactJournal(file: string): Promise<CompactResult> {
  const records: JournalRecord[] = [];
  const snapshot = await readJournal(file, file, (record) => records.push(record));
  const bad = snapshot.diagnostics.find((d) => d.severity === 'error');
  if (bad)
    throw new StateError(
      `The state journal ${file}${bad.line === undefined ? '' : `:${bad.line + 1}`} has invalid lines (${bad.message}); it was not compacted.`,
      'Restore the journal from a backup or version control first; compacting would drop those lines.',
    );
  const { kept, result } = compactRecords(records);
  if (result.rewritten === 0 && result.removed === 0) return result;
  const next = `${file}.compact-${process.pid}`;
  const fh = await open(next, 'wx', 0o644);
  try {
    await fh.write([JOURNAL_HEADER, ...kept].map((r) => `${JSON.stringify(r)}\n`).join(''));
    await fh.sync();
  } catch (error) {
    await fh.close();
    await rm(next, { force: true });
    throw error;
  }
  await fh.close();
  await rename(next, file);
  const folder = await open(dirname(file), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
  return result;
}
