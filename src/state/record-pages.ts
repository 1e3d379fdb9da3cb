import type { JournalRecord } from './types.js';

/** A reader that hands over records a page at a time and waits for each page to be taken. */
export type PageReader = (onPage: (page: JournalRecord[]) => Promise<void>) => Promise<unknown>;

/** Thrown into a reader whose consumer stopped early: its reading ends (a transaction rolls back). */
class Stop extends Error {}
const STOP = new Stop('the consumer stopped');

/**
 * A page reader as an async iterator: the reader waits while the consumer works on a page, so
 * only a page is held at a time. A consumer that stops early ends the reader before it returns.
 */
export async function* recordPages(read: PageReader): AsyncGenerator<JournalRecord[]> {
  let pending: { page: JournalRecord[]; resume: (stop: boolean) => void } | undefined;
  let notify: (() => void) | undefined;
  let done = false;
  let failure: { error: unknown } | undefined;
  const finished = read(async (page) => {
    const stop = await new Promise<boolean>((resume) => {
      pending = { page, resume };
      notify?.();
    });
    if (stop) throw STOP;
  }).then(
    () => undefined,
    (error: unknown) => {
      if (error !== STOP) failure = { error };
    },
  );
  void finished.then(() => {
    done = true;
    notify?.();
  });
  let taken: ((stop: boolean) => void) | undefined;
  try {
    for (;;) {
      if (!pending && !done) await new Promise<void>((wake) => (notify = wake));
      notify = undefined;
      if (pending) {
        const { page, resume } = pending;
        pending = undefined;
        taken = resume;
        yield page;
        taken = undefined;
        resume(false);
        continue;
      }
      if (failure) throw failure.error;
      return;
    }
  } finally {
    if (taken) {
      taken(true);
      await finished;
    }
  }
}

/** Records of a journal read one by one, handed over in pages of about this many. */
export const FILE_PAGE = 1000;

/** Every record of the pages, oldest first, one at a time. */
export async function* eachRecord(
  pages: AsyncIterable<JournalRecord[]>,
): AsyncGenerator<JournalRecord> {
  for await (const page of pages) yield* page;
}
