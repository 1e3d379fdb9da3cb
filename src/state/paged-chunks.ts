import { Pager, type PagerOptions } from './pager.js';

/**
 * A table's chunks: the full ones in a pager (made when the first is pushed), the one still
 * growing (`last`, chunk number `length - 1`) beside it, and the page last given kept at hand, so
 * that reads staying on one page do not ask the pager. A chunk given is valid until the next call
 * (the page at hand is the pager's most recently used, which it never evicts first).
 */
export class PagedChunks<P extends { readonly buffer: ArrayBuffer }> {
  private pager: Pager<P> | undefined;
  /** Full chunks, in the pager: the growing one is chunk number `full`. */
  private full = 0;
  private growing: P | undefined;
  private cached = -1;
  private cachedPage: P | undefined;

  constructor(
    private readonly bytes: number,
    private readonly revive: (buffer: ArrayBuffer) => P,
    private readonly options: PagerOptions,
  ) {}

  /** How many chunks (the full ones and the growing one). */
  get length(): number {
    return this.growing === undefined ? 0 : this.full + 1;
  }

  /** Whether any chunk went to the page file. */
  get spilled(): boolean {
    return this.pager?.spilled ?? false;
  }

  /** The chunk still growing (undefined before the first `add`). */
  get last(): P | undefined {
    return this.growing;
  }

  /** Puts a copy of the growing chunk holding its records (grown, or trimmed) in its place. */
  replaceLast(chunk: P): void {
    this.growing = chunk;
  }

  /** Starts a new growing chunk; the one before (full) goes to the pager, the page at hand. */
  add(chunk: P): P {
    if (this.growing !== undefined) {
      this.pager ??= new Pager(this.bytes, this.revive, this.options);
      this.cached = this.pager.push(this.growing);
      this.cachedPage = this.growing;
      this.full++;
    }
    this.growing = chunk;
    return chunk;
  }

  /** Chunk `n`, read back if it was written out. */
  get(n: number): P {
    if (n === this.cached) return this.cachedPage as P;
    if (n === this.full) return this.growing as P;
    const page = (this.pager as Pager<P>).get(n);
    this.cached = n;
    this.cachedPage = page;
    return page;
  }

  /** Chunk `n`, to change: a page is marked so, or the change would be lost when it is evicted. */
  write(n: number): P {
    const chunk = this.get(n);
    if (n !== this.full) (this.pager as Pager<P>).dirty(n);
    return chunk;
  }
}
