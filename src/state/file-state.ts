import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { appendJournal } from './append-journal.js';
import { takeLock } from './file-lock.js';
import { readJournal } from './read-journal.js';
import type { JournalRecord, StateBackend } from './types.js';

export const JOURNAL_FILE = 'journal.ndjson';
export const LOCK_FILE = 'lock.json';

/**
 * The local state: an append-only journal and a lock file in `dir` (default .waspec/).
 * The PostgreSQL backend (pg-state.ts) implements the same interface.
 */
export function openFileStateStore(dir: string): StateBackend {
  const journal = join(dir, JOURNAL_FILE);
  // Appends run one after another: an append that overlapped another would take its
  // half-written line for a torn tail and cut it off.
  let tail: Promise<unknown> = Promise.resolve();
  return {
    location: dir,
    read: () => readJournal(journal, journal),
    readRecords: async () => {
      const records: JournalRecord[] = [];
      await readJournal(journal, journal, (record) => records.push(record));
      return records;
    },
    close: async () => undefined,
    append: (records) => {
      if (records.length === 0) return Promise.resolve();
      const done = tail.then(async () => {
        await mkdir(dir, { recursive: true });
        await appendJournal(journal, records);
      });
      tail = done.catch(() => undefined);
      return done;
    },
    lock: async (options) => {
      await mkdir(dir, { recursive: true });
      return takeLock(join(dir, LOCK_FILE), options);
    },
  };
}
