import type { Readable } from 'node:stream';

/**
 * Reads an object stream in batches of what is buffered: one await per batch instead of one per
 * row keeps a million-row file from paying a promise round-trip per recipient.
 */
export async function* readBatches<T>(stream: Readable): AsyncIterable<T[]> {
  let ended = false;
  let failure: unknown;
  stream.once('end', () => (ended = true));
  stream.once('error', (error) => (failure = error));
  for (;;) {
    const batch: T[] = [];
    for (let item = stream.read() as T | null; item !== null; item = stream.read() as T | null) batch.push(item);
    if (batch.length > 0) yield batch;
    if (failure !== undefined) throw failure;
    if (ended || stream.readableEnded || stream.destroyed) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        stream.off('readable', done);
        stream.off('end', done);
        stream.off('error', done);
        stream.off('close', done);
        resolve();
      };
      stream.on('readable', done);
      stream.on('end', done);
      stream.on('error', done);
      stream.on('close', done);
    });
  }
}
