import type { PlanEntry } from './types.js';

/**
 * The plan's entries as its readers see them: a plain array (tests, saved plans restored) or the
 * compact table buildPlan makes (src/plan/entry-table.ts), whose entries are built when read.
 * Read by index with `at`, never `[i]`; an entry read from a table is a copy: a change is made with
 * `setEntry`. Passes over millions of entries iterate; `filter` and `map` make arrays, for the few.
 */
export interface EntryList extends Iterable<PlanEntry> {
  readonly length: number;
  at(index: number): PlanEntry | undefined;
  filter<S extends PlanEntry>(predicate: (entry: PlanEntry, index: number) => entry is S): S[];
  filter(predicate: (entry: PlanEntry, index: number) => unknown): PlanEntry[];
  map<U>(fn: (entry: PlanEntry, index: number) => U): U[];
  some(predicate: (entry: PlanEntry, index: number) => unknown): boolean;
  every(predicate: (entry: PlanEntry, index: number) => unknown): boolean;
  find<S extends PlanEntry>(
    predicate: (entry: PlanEntry, index: number) => entry is S,
  ): S | undefined;
  find(predicate: (entry: PlanEntry, index: number) => unknown): PlanEntry | undefined;
  forEach(fn: (entry: PlanEntry, index: number) => void): void;
  slice(start?: number, end?: number): PlanEntry[];
}

/** A list whose entries can be replaced (the table, or an array). */
export interface WritableEntries extends EntryList {
  set(index: number, entry: PlanEntry): void;
}

/** Replaces the entry at `index` (an array's element, or the table's row). */
export function setEntry(entries: EntryList, index: number, entry: PlanEntry): void {
  if (Array.isArray(entries)) (entries as PlanEntry[])[index] = entry;
  else (entries as WritableEntries).set(index, entry);
}

/** The entry at `index`, which must exist. */
export function entryAt(entries: EntryList, index: number): PlanEntry {
  const entry = entries.at(index);
  if (entry === undefined) throw new RangeError(`no plan entry ${index}`);
  return entry;
}

/** The entries as an array (a copy for a table): for the few callers that need one. */
export function entryArray(entries: EntryList): PlanEntry[] {
  return Array.isArray(entries) ? (entries as PlanEntry[]) : [...entries];
}

/**
 * What a list of entries read by index gives besides: iteration and the few array methods, each
 * entry built by `at` (the table and the views over it build theirs when read).
 */
export abstract class IndexedEntries implements EntryList {
  abstract get length(): number;
  abstract at(index: number): PlanEntry | undefined;

  *[Symbol.iterator](): IterableIterator<PlanEntry> {
    for (let i = 0; i < this.length; i++) yield entryAt(this, i);
  }

  filter<S extends PlanEntry>(predicate: (entry: PlanEntry, index: number) => entry is S): S[];
  filter(predicate: (entry: PlanEntry, index: number) => unknown): PlanEntry[];
  filter(predicate: (entry: PlanEntry, index: number) => unknown): PlanEntry[] {
    const out: PlanEntry[] = [];
    this.forEach((e, i) => {
      if (predicate(e, i)) out.push(e);
    });
    return out;
  }

  map<U>(fn: (entry: PlanEntry, index: number) => U): U[] {
    const out: U[] = [];
    this.forEach((e, i) => out.push(fn(e, i)));
    return out;
  }

  some(predicate: (entry: PlanEntry, index: number) => unknown): boolean {
    return this.find(predicate) !== undefined;
  }

  every(predicate: (entry: PlanEntry, index: number) => unknown): boolean {
    return !this.some((e, i) => !predicate(e, i));
  }

  find<S extends PlanEntry>(
    predicate: (entry: PlanEntry, index: number) => entry is S,
  ): S | undefined;
  find(predicate: (entry: PlanEntry, index: number) => unknown): PlanEntry | undefined;
  find(predicate: (entry: PlanEntry, index: number) => unknown): PlanEntry | undefined {
    for (let i = 0; i < this.length; i++) {
      const entry = entryAt(this, i);
      if (predicate(entry, i)) return entry;
    }
    return undefined;
  }

  forEach(fn: (entry: PlanEntry, index: number) => void): void {
    for (let i = 0; i < this.length; i++) fn(entryAt(this, i), i);
  }

  slice(start = 0, end = this.length): PlanEntry[] {
    const from = Math.max(0, start < 0 ? start + this.length : start);
    const to = Math.min(this.length, end < 0 ? end + this.length : end);
    const out: PlanEntry[] = [];
    for (let i = from; i < to; i++) out.push(entryAt(this, i));
    return out;
  }

  /** As an array in JSON (a small plan's JSON.stringify; large ones are written entry by entry). */
  toJSON(): PlanEntry[] {
    return [...this];
  }
}

/** Some entries of a list, by index in plan order: 4 bytes each, built when read. */
export class EntryView extends IndexedEntries {
  private rows = new Uint32Array(16);
  private count = 0;

  constructor(private readonly source: EntryList) {
    super();
  }

  get length(): number {
    return this.count;
  }

  /** Adds the source's entry at `index` (indexes ascending, as a pass over the plan gives them). */
  add(index: number): void {
    if (this.count === this.rows.length) {
      const grown = new Uint32Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    this.rows[this.count++] = index;
  }

  at(index: number): PlanEntry | undefined {
    const i = index < 0 ? index + this.count : index;
    return i >= 0 && i < this.count ? this.source.at(this.rows[i] as number) : undefined;
  }
}
