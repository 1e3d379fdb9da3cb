import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { appendJournal } from './append-journal.js';
import { takeLock } from './file-lock.js';
import { readJournal } from './read-journal.js';
import type { StateStore } from './types.js';

export const JOURNAL_FILE = 'journal.ndjson';
export const LOCK_FILE = 'lock.json';

/**
 * The local state: an append-only journal and a lock file in `dir` (default .waspec/).
 * StateStore stays small (read, append, lock) so a Postgres backend can implement it later:
 * a table of records plus an advisory lock.
 */
export function openFileStateStore(dir: string): StateStore {
  const journal = join(dir, JOURNAL_FILE);
  // Appends run one after another: an append that overlapped another would take its
  // half-written line for a torn tail and cut it off.
  let tail: Promise<unknown> = Promise.resolve();
  return {
    location: dir,
    read: () => readJournal(journal, journal),
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
