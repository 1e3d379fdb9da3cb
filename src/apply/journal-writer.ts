import type { JournalRecord, StateStore } from '../state/types.js';

/**
 * Appends to the store one at a time (overlapping appends to one file could see each other's
 * half-written line as a torn tail and cut it), and commits records that arrive meanwhile
 * together: one fsync for several requests. Each call resolves once its records are durable.
 */
export function createJournalWriter(store: StateStore): (records: JournalRecord[]) => Promise<void> {
  let pending: { records: JournalRecord[]; waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> } | undefined;
  let writing = false;

  const drain = async () => {
    writing = true;
    while (pending) {
      const batch = pending;
      pending = undefined;
      try {
        await store.append(batch.records);
        for (const w of batch.waiters) w.resolve();
      } catch (error) {
        for (const w of batch.waiters) w.reject(error);
      }
    }
    writing = false;
  };

  return (records) =>
    new Promise<void>((resolve, reject) => {
      pending ??= { records: [], waiters: [] };
      pending.records.push(...records);
      pending.waiters.push({ resolve, reject });
      if (!writing) void drain();
    });
}
