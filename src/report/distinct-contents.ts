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

/**
 * Distinct (key, content) pairs, counted as they come: a content seen under one key only (most
 * are) costs 4 bytes; only contents under several keys keep their pairs in a set.
 */
export class DistinctPairs {
  private first = new Int32Array(1024).fill(-1);
  private readonly pairs = new Set<number>();

  /** Whether the pair is new. */
  add(key: number, content: number): boolean {
    if (content >= this.first.length) {
      const grown = new Int32Array(Math.max(content + 1, this.first.length * 2)).fill(-1);
      grown.set(this.first);
      this.first = grown;
    }
    const first = this.first[content] as number;
    if (first === -1) {
      this.first[content] = key;
      return true;
    }
    if (first === key) return false;
    // Seen under another key: every pair of this content from now on is kept.
    if (first >= 0) {
      this.pairs.add(first * 2 ** 32 + content);
      this.first[content] = -2;
    }
    const pair = key * 2 ** 32 + content;
    if (this.pairs.has(pair)) return false;
    this.pairs.add(pair);
    return true;
  }
}
