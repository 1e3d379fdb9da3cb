import { mkdir, stat } from 'node:fs/promises';
import { StateError } from '../errors.js';
import { join } from 'node:path';
import { journalAppender } from './append-journal.js';
import { takeLock } from './file-lock.js';
import { groupCommits } from './group-commit.js';
import { readJournal, readJournalContents } from './read-journal.js';
import { compactJournal } from './compact-journal.js';
import { FILE_PAGE, recordPages } from './record-pages.js';
import type { JournalRecord, StateBackend } from './types.js';

export const JOURNAL_FILE = 'journal.ndjson';
export const LOCK_FILE = 'lock.json';

/** The state directory, created when missing; a file (or anything but a folder) in its place is a StateError. */
async function stateDir(dir: string, create: boolean): Promise<void> {
  const info = await stat(dir).catch((error: unknown) => {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'ENOENT') return undefined;
    throw new StateError(`The state directory ${dir} cannot be used (${String(code ?? error)}).`);
  });
  if (info && !info.isDirectory()) {
    throw new StateError(
      `The state directory ${dir} is not a directory.`,
      'Give --state (or stateDir) a folder; waspec keeps journal.ndjson and lock.json in it.',
    );
  }
  if (!info && create) {
    await mkdir(dir, { recursive: true }).catch((error: unknown) => {
      throw new StateError(
        `The state directory ${dir} cannot be created (${error instanceof Error && 'code' in error ? String(error.code) : String(error)}).`,
      );
    });
  }
}

/**
 * The local state: an append-only journal and a lock file in `dir` (default .waspec/).
 * The PostgreSQL backend (pg-state.ts) implements the same interface.
 */
export function openFileStateStore(dir: string): StateBackend {
  const journal = join(dir, JOURNAL_FILE);
  // While this store holds the lock, the journal stays open between appends.
  const appender = journalAppender(journal);
  return {
    location: dir,
    tempDir: dir,
    read: async () => {
      await stateDir(dir, false);
      // The messages' pages past those kept in memory go to the state's folder, as a plan's contents.
      return readJournal(journal, journal, undefined, { pages: { dir } });
    },
    recordPages: () =>
      recordPages(async (onPage) => {
        await stateDir(dir, false);
        let page: JournalRecord[] = [];
        await readJournal(
          journal,
          journal,
          (record) => {
            page.push(record);
            if (page.length < FILE_PAGE) return;
            const full = page;
            page = [];
            return onPage(full);
          },
          { fold: false },
        );
        if (page.length > 0) await onPage(page);
      }),
    readContents: async (hashes) => {
      await stateDir(dir, false);
      return readJournalContents(journal, journal, hashes);
    },
    close: async () => undefined,
    compact: async () => {
      await stateDir(dir, false);
      await appender.reopen(); // compaction replaces the file
      return compactJournal(journal);
    },
    append: groupCommits(async (records) => {
      if (!appender.open) await stateDir(dir, true);
      await appender.append(records);
    }),
    lock: async (options) => {
      await stateDir(dir, true);
      const lock = await takeLock(join(dir, LOCK_FILE), options);
      await appender.keepOpen(true);
      return {
        info: lock.info,
        release: async () => {
          try {
            await appender.keepOpen(false);
          } finally {
            await lock.release();
          }
        },
      };
    },
  };
}
