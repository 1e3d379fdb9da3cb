import { openSpillFile, readAll, spillError, writeAll, type SpillFile } from './spill-file.js';

/**
 * Fixed-size pages of a table's columns, of which only the most recently used stay in memory: the
 * others are written to a spill file and read back when asked for. Tables of ten million messages
 * then keep in memory what their look-ups need (an index) and a few pages, while their readers,
 * which go mostly in order, read each page once per pass.
 */

export interface PagerOptions {
  /** The folder of the page file (created if missing); default the OS temp dir. */
  dir?: string;
  /** Full pages kept in memory (default: WASPEC_RESIDENT_PAGES, else RESIDENT_PAGES; at least 2). */
  resident?: number;
  /** What the pages hold, for a failed write's message ("The plan's entries"). */
  subject?: string;
  /**
   * Pages kept per unit of `resident` (default 1): a table of small pages (read at random, each
   * miss reads little) keeps as many bytes in memory as one of pages of 65,536 records.
   */
  scale?: number;
}

/** Pages kept in memory per table when nothing says otherwise (of 65,536 records: 262,144 records). */
export const RESIDENT_PAGES = 4;

/** The resident count the environment asks for (tests and benchmarks spill small tables with it). */
export function residentPages(given: number | undefined): number {
  const asked = given ?? Number.parseInt(process.env.WASPEC_RESIDENT_PAGES ?? '', 10);
  return Number.isInteger(asked) ? Math.max(2, asked) : RESIDENT_PAGES;
}

export class Pager<P extends { readonly buffer: ArrayBuffer }> {
  /** Each page held, or undefined while it is only in the file. */
  private readonly pages: Array<P | undefined> = [];
  /** Pages in memory, least recently used first (a Map keeps insertion order), and whether each
   * differs from the file (or was never written). */
  private readonly lru = new Map<number, boolean>();
  private readonly resident: number;
  private readonly dir: string | undefined;
  private readonly subject: string;
  private file: SpillFile | undefined;
  private wrote = false;
  /** The page most recently used (moved to the end of `lru` already). */
  private lastUsed = -1;

  constructor(
    private readonly pageBytes: number,
    private readonly revive: (buffer: ArrayBuffer) => P,
    options: PagerOptions = {},
  ) {
    this.resident = residentPages(options.resident) * Math.max(1, Math.floor(options.scale ?? 1));
    this.dir = options.dir;
    this.subject = options.subject ?? 'The table';
  }

  /** Pages held, in memory or in the file. */
  get length(): number {
    return this.pages.length;
  }

  /** Whether any page went to the file. */
  get spilled(): boolean {
    return this.wrote;
  }

  /** Appends a full page (dirty until written), returns its number. */
  push(page: P): number {
    const offset = (page as { byteOffset?: number }).byteOffset ?? 0;
    if (page.buffer.byteLength !== this.pageBytes || offset !== 0)
      throw new Error(`a page of ${page.buffer.byteLength} bytes, not ${this.pageBytes}`);
    const n = this.pages.push(page) - 1;
    this.lru.set(n, true);
    this.lastUsed = n;
    this.evict();
    return n;
  }

  /** Page `n`, read back if it was written out; now the most recently used. */
  get(n: number): P {
    const held = this.pages[n];
    if (held !== undefined) {
      const dirty = this.lru.get(n) as boolean;
      // Most recently used last: moved only when it is not already (most reads stay on one page).
      if (this.lastUsed !== n) {
        this.lru.delete(n);
        this.lru.set(n, dirty);
        this.lastUsed = n;
      }
      return held;
    }
    if (n < 0 || n >= this.pages.length || !Number.isInteger(n))
      throw new RangeError(`no page ${n} of ${this.pages.length}`);
    const buffer = new ArrayBuffer(this.pageBytes);
    readAll((this.file as SpillFile).fd, new Uint8Array(buffer), n * this.pageBytes, 'table');
    const page = this.revive(buffer);
    this.pages[n] = page;
    this.lru.set(n, false);
    this.lastUsed = n;
    this.evict();
    return page;
  }

  /** Page `n` changed after it was read: it is written back when it leaves memory. */
  dirty(n: number): void {
    if (this.pages[n] === undefined) throw new Error(`page ${n} is not in memory`);
    this.lru.set(n, true);
  }

  /** Writes out the least recently used pages past the resident count. */
  private evict(): void {
    while (this.lru.size > this.resident) {
      const [n, dirty] = this.lru.entries().next().value as [number, boolean];
      if (dirty) this.write(n, this.pages[n] as P);
      this.lru.delete(n);
      this.pages[n] = undefined;
      if (this.lastUsed === n) this.lastUsed = -1;
    }
  }

  private write(n: number, page: P): void {
    try {
      this.file ??= openSpillFile(this, this.dir, 'pages');
      writeAll(this.file.fd, new Uint8Array(page.buffer), n * this.pageBytes);
    } catch (error) {
      throw spillError(error, this.dir, this.subject);
    }
    this.wrote = true;
  }
}
