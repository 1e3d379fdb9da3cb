import type { FileHandle } from 'node:fs/promises';

/**
 * Reads at most `max + 1` bytes: a result longer than `max` means the file is over the limit,
 * even if it grew after its size was checked (it is never read whole).
 */
export async function readAtMost(handle: FileHandle, max: number): Promise<Buffer> {
  const bytes = Buffer.alloc(max + 1);
  let length = 0;
  for (;;) {
    const { bytesRead } = await handle.read(bytes, length, bytes.length - length, null);
    length += bytesRead;
    if (bytesRead === 0 || length >= bytes.length) break;
  }
  return bytes.subarray(0, length);
}
