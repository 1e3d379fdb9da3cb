import type { EntryList } from '../plan/entry-list.js';
import { isEntryTable } from '../plan/entry-table.js';
import { contentHashOf, type PlanEntry } from '../plan/types.js';

/** A number per distinct content hash of the entries (-1 for none): the table's own, else counted here. */
export function contentIds(entries: EntryList): (entry: PlanEntry, index: number) => number {
  if (isEntryTable(entries)) return (_entry, index) => entries.contentIdAt(index);
  const ids = new Map<string, number>();
  return (entry) => {
    const hash = contentHashOf(entry);
    if (hash === undefined) return -1;
    let id = ids.get(hash);
    if (id === undefined) ids.set(hash, (id = ids.size));
    return id;
  };
}

/** How many content numbers `contentIds` gives, when the list knows (a table does): sizes DistinctPairs. */
export function contentIdCount(entries: EntryList): number | undefined {
  return isEntryTable(entries) ? entries.contents : undefined;
}

/** A key stored as key + 1 in a Uint16Array while every key is at most this (0: unseen). */
const SMALL_KEY = 0xfffd;
/** The stored value of a content seen under several keys. */
const MANY_SMALL = 0xffff;
const MANY = -1;

/**
 * Distinct (key, content) pairs, counted as they come: a content seen under one key only (most
 * are) costs 2 bytes while the keys are small (specs, groups), else 4; only contents under several
 * keys keep their pairs in a set. `contents` (how many there are, when known) sizes the column
 * once: at ten million, growing by doubling kept both sizes at once, for each of the formats' three.
 */
export class DistinctPairs {
  private first: Uint16Array | Int32Array;
  private readonly pairs = new Set<number>();

  constructor(contents = 1024) {
    this.first = new Uint16Array(Math.max(1, contents));
  }

  /** Whether the pair is new. */
  add(key: number, content: number): boolean {
    if (content >= this.first.length) this.grow(content + 1);
    if (key > SMALL_KEY && this.first instanceof Uint16Array) this.widen();
    const first = this.first;
    const many = first instanceof Uint16Array ? MANY_SMALL : MANY;
    const held = first[content] as number;
    if (held === 0) {
      first[content] = key + 1;
      return true;
    }
    if (held === key + 1) return false;
    // Seen under another key: every pair of this content from now on is kept.
    if (held !== many) {
      this.pairs.add((held - 1) * 2 ** 32 + content);
      first[content] = many;
    }
    const pair = key * 2 ** 32 + content;
    if (this.pairs.has(pair)) return false;
    this.pairs.add(pair);
    return true;
  }

  private grow(least: number): void {
    const size = Math.max(least, this.first.length * 2);
    const grown = this.first instanceof Uint16Array ? new Uint16Array(size) : new Int32Array(size);
    grown.set(this.first);
    this.first = grown;
  }

  /** A key past SMALL_KEY: the column in 4 bytes a content from now on. */
  private widen(): void {
    const wide = new Int32Array(this.first.length);
    this.first.forEach((v, i) => {
      wide[i] = v === MANY_SMALL ? MANY : v;
    });
    this.first = wide;
  }
}
