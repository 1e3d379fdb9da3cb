import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

/** Entries listed at most: an XLSX workbook has a few dozen. */
export const MAX_ZIP_ENTRIES = 10_000;
/**
 * Expansion (uncompressed / compressed) beyond which a large entry is taken for a zip bomb.
 * Spreadsheet XML compresses about 5 to 30 times; deflate cannot exceed about 1032.
 */
export const MAX_ZIP_RATIO = 200;
/** Entries smaller than this are exempt from the ratio (a tiny part may compress very well). */
const RATIO_FLOOR = 1 << 20;

/** A problem with the archive itself, in words that complete "<file> …". */
export class ZipProblem extends Error {}

export interface ZipArchive {
  /** Whether the archive has an entry of this name (without a leading '/', case-insensitive as in OOXML). */
  has(name: string): boolean;
  /**
   * The entry's bytes as a stream, refused before any inflating when its declared size is over
   * `maxBytes` or its expansion ratio marks a zip bomb; yauzl also stops a stream that inflates
   * past its declared size.
   */
  open(name: string, maxBytes: number): Promise<Readable>;
}

const key = (name: string) => name.replace(/^\/+/, '').toLowerCase();

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 10 << 20 ? 1 : 0)} MiB`;

/**
 * Reads a zip's central directory from an open file. The caller closes the handle, after the
 * streams it opened: yauzl's own close() would close the file descriptor under the FileHandle.
 */
export async function openZip(handle: FileHandle): Promise<ZipArchive> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromFdPromise(handle.fd, {
      lazyEntries: true,
      autoClose: false,
      validateEntrySizes: true,
      strictFileNames: false,
    });
  } catch (error) {
    throw new ZipProblem(`is not a zip archive (${(error as Error).message})`);
  }
  const entries = new Map<string, yauzl.Entry>();
  try {
    for await (const entry of zip.eachEntry()) {
      if (entries.size >= MAX_ZIP_ENTRIES)
        throw new ZipProblem(`holds more than ${MAX_ZIP_ENTRIES} entries`);
      entries.set(key(entry.fileName), entry);
    }
  } catch (error) {
    throw error instanceof ZipProblem
      ? error
      : new ZipProblem(`is a damaged zip archive (${(error as Error).message})`);
  }
  return {
    has: (name) => entries.has(key(name)),
    async open(name, maxBytes) {
      const entry = entries.get(key(name));
      if (!entry) throw new ZipProblem(`has no part ${name}`);
      if (entry.isEncrypted()) throw new ZipProblem(`is encrypted (${name})`);
      if (entry.uncompressedSize > maxBytes)
        throw new ZipProblem(
          `has a part (${name}) of ${mib(entry.uncompressedSize)}, over the ${mib(maxBytes)} waspec reads`,
        );
      if (
        entry.uncompressedSize > RATIO_FLOOR &&
        entry.uncompressedSize > Math.max(entry.compressedSize, 1) * MAX_ZIP_RATIO
      ) {
        throw new ZipProblem(
          `has a part (${name}) that expands ${Math.round(entry.uncompressedSize / Math.max(entry.compressedSize, 1))} times (a zip bomb?)`,
        );
      }
      try {
        return await zip.openReadStreamPromise(entry);
      } catch (error) {
        throw new ZipProblem(
          `has a part (${name}) that cannot be read (${(error as Error).message})`,
        );
      }
    },
  };
}
