import type { JournalRecord } from './types.js';

type Write = (records: JournalRecord[]) => Promise<void>;

/**
 * Runs `write` one call at a time (two overlapping appends to one file could take each other's
 * half-written line for a torn tail) and commits the records that arrive meanwhile together:
 * one fsync or transaction for several requests. Each call resolves once its records are durable.
 */
export function groupCommits(write: Write): Write {
  let pending: { records: JournalRecord[]; waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> } | undefined;
  let writing = false;

  const drain = async () => {
    writing = true;
    while (pending) {
      const batch = pending;
      pending = undefined;
      try {
        await write(batch.records);
        for (const w of batch.waiters) w.resolve();
      } catch (error) {
        for (const w of batch.waiters) w.reject(error);
      }
    }
    writing = false;
  };

  return (records) => {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      pending ??= { records: [], waiters: [] };
      pending.records.push(...records);
      pending.waiters.push({ resolve, reject });
      if (!writing) void drain();
    });
  };
}
