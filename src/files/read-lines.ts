import type { FileHandle } from 'node:fs/promises';

export interface Line {
  /** The line's bytes without '\n' (empty when `tooLong`); valid until the next line is asked for. */
  bytes: Buffer;
  /** false for a last line without '\n'. */
  terminated: boolean;
  /** The line was longer than the cap; its bytes were skipped, not kept. */
  tooLong: boolean;
}

const CHUNK = 1 << 16;

/**
 * Streams a file's lines in linear time: the pieces of a long line are kept in a list and joined
 * once, and a line over `maxLineBytes` is skipped to its end instead of being held in memory.
 * `onBytes` sees every byte read (for digests).
 */
export async function* readLines(
  handle: FileHandle,
  options: { maxLineBytes: number; onBytes?: (chunk: Buffer) => void },
): AsyncIterable<Line> {
  let pieces: Buffer[] = [];
  let held = 0;
  let tooLong = false;
  const take = (terminated: boolean): Line => {
    const line = {
      bytes: tooLong
        ? Buffer.alloc(0)
        : pieces.length === 1
          ? (pieces[0] as Buffer)
          : Buffer.concat(pieces, held),
      terminated,
      tooLong,
    };
    pieces = [];
    held = 0;
    tooLong = false;
    return line;
  };
  const keep = (part: Buffer) => {
    if (tooLong || part.length === 0) return;
    if (held + part.length > options.maxLineBytes) {
      tooLong = true;
      pieces = [];
      held = 0;
      return;
    }
    // A copy: the read buffer is reused for the next chunk.
    pieces.push(Buffer.from(part));
    held += part.length;
  };
  const buffer = Buffer.alloc(CHUNK);
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(0, bytesRead);
    options.onBytes?.(chunk);
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      if (held === 0 && !tooLong && nl - start <= options.maxLineBytes) {
        // The common case, a line inside one chunk: no copy.
        yield { bytes: chunk.subarray(start, nl), terminated: true, tooLong: false };
      } else {
        keep(chunk.subarray(start, nl));
        yield take(true);
      }
      start = nl + 1;
    }
    keep(chunk.subarray(start));
  }
  if (held > 0 || tooLong) yield take(false);
}
