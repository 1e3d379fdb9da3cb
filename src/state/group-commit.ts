import type { JournalRecord } from './types.js';

/**
 * Runs `runBatch` over one batch at a time: the items that arrive while a batch runs make up the
 * next one. Each call resolves once its batch has run (so: is durable, for a commit).
 */
export function createBatcher<I>(
  runBatch: (items: I[]) => Promise<void>,
): (item: I) => Promise<void> {
  let pending:
    | { items: I[]; waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> }
    | undefined;
  let running = false;

  const drain = async () => {
    running = true;
    while (pending) {
      const batch = pending;
      pending = undefined;
      try {
        await runBatch(batch.items);
        for (const w of batch.waiters) w.resolve();
      } catch (error) {
        for (const w of batch.waiters) w.reject(error);
      }
    }
    running = false;
  };

  return (item) =>
    new Promise<void>((resolve, reject) => {
      pending ??= { items: [], waiters: [] };
      pending.items.push(item);
      pending.waiters.push({ resolve, reject });
      if (!running) void drain();
    });
}

type Write = (records: JournalRecord[]) => Promise<void>;

/**
 * Runs `write` one call at a time (two overlapping appends to one file could take each other's
 * half-written line for a torn tail) and commits the records that arrive meanwhile together:
 * one fsync or transaction for several requests.
 */
export function groupCommits(write: Write): Write {
  const commit = createBatcher<JournalRecord[]>((batches) => write(batches.flat()));
  return (records) => (records.length === 0 ? Promise.resolve() : commit(records));
}
