/**
 * A Map that forgets its least recently touched entries beyond `limit`. Eviction walks an array of
 * touches instead of the Map's own iterator: after many deletes, a Map iterator crawls over
 * deleted slots, which made large compiles quadratic.
 */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, { value: V; touch: number }>();
  private readonly touches: Array<{ key: K; touch: number }> = [];
  private head = 0;
  private clock = 0;

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Sets (or refreshes) an entry; returns the entries evicted to stay within the limit. */
  set(key: K, value: V): Array<[K, V]> {
    const touch = ++this.clock;
    this.entries.set(key, { value, touch });
    this.touches.push({ key, touch });
    const evicted: Array<[K, V]> = [];
    while (this.entries.size > this.limit && this.head < this.touches.length) {
      const oldest = this.touches[this.head++];
      const entry = oldest && this.entries.get(oldest.key);
      if (oldest && entry && entry.touch === oldest.touch) {
        this.entries.delete(oldest.key);
        evicted.push([oldest.key, entry.value]);
      }
    }
    if (this.head > 4096 && this.head * 2 > this.touches.length) {
      this.touches.splice(0, this.head);
      this.head = 0;
    }
    return evicted;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Remaining values, least recently touched first. */
  values(): V[] {
    return [...this.entries.values()].sort((a, b) => a.touch - b.touch).map((e) => e.value);
  }
}
