import type { MessageContent } from '../api/types.js';
import {
  openSpillFile,
  readAll,
  spillError,
  writeAll,
  type SpillFile,
} from '../state/spill-file.js';

/**
 * The plan's distinct rendered contents by hash. A personalised message has one per recipient
 * (some 200 bytes of heap each as objects): past the first IN_MEMORY ones they go to a spill file,
 * and the heap keeps only typed arrays (some 15 bytes a content: place in the file, hash prefix,
 * sendAt, hash table slots).
 */
export interface ContentStore {
  readonly size: number;
  has(hash: string): boolean;
  get(hash: string): MessageContent | undefined;
  /** The content's sendAt, without reading it all (pace, quiet hours). */
  sendAtOf(hash: string): string | undefined;
  /** Keeps the content under its hash unless one is kept already. */
  add(hash: string, content: MessageContent): void;
  /** Every hash, first added first. */
  keys(): IterableIterator<string>;
  /** Every hash and content, first added first (spilled ones read from the file in order). */
  entries(): IterableIterator<[string, MessageContent]>;
  /** Whether some contents are in the spill file (iterating all then reads it). */
  readonly spilled: boolean;
}

/** Contents kept as objects before the rest spill: every format and test plan stays in memory. */
export const IN_MEMORY = 10_000;

/** Numbers of hashes another table keeps (the plan's entries): numbers below 2^31 are dense. */
export interface HashNumbers {
  /** The hash's number, added if new. */
  number(hash: string): number;
  /** The hash's number, or -1 when it has none. */
  numberOf(hash: string): number;
}

export interface ContentStoreOptions {
  /** Contents kept as objects (default IN_MEMORY). */
  inMemory?: number;
  /** The folder of the spill file (created if missing); default the OS temp dir. */
  dir?: string;
  /**
   * Spilled contents are found by these numbers (4 bytes a content) instead of a look-up of the
   * store's own (hash prefixes and slots, some 11 bytes a content).
   */
  numbers?: HashNumbers;
}

// Records in the spill file start on 8-byte boundaries: a Uint32 then places them in 32 GiB.
const ALIGN = 8;
const PAGE = 1 << 16;
const FLUSH_AT = 1 << 20;
const RECENT = 64;

/** A 32-bit hash of the key: the first 8 hex digits of a sha256, else FNV-1a of the string. */
function hash32(key: string): number {
  if (key.length === 64) {
    const n = Number.parseInt(key.slice(0, 8), 16);
    if (Number.isInteger(n)) return n >>> 0;
  }
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A growable column of numbers in pages (no copy as it grows). */
class Column {
  private readonly pages: Array<Uint32Array | Uint8Array> = [];
  constructor(private readonly Page: typeof Uint32Array | typeof Uint8Array) {}
  /** 0 past what was set. */
  get(i: number): number {
    return this.pages[i >>> 16]?.[i & (PAGE - 1)] ?? 0;
  }
  set(i: number, value: number): void {
    const page = i >>> 16;
    while (this.pages.length <= page) this.pages.push(new this.Page(PAGE));
    (this.pages[page] as Uint32Array)[i & (PAGE - 1)] = value;
  }
}

/** sendAt indexes in a Uint8: past the last, the content is read for it. */
const OTHER_SEND_AT = 255;

class SpillingStore implements ContentStore {
  private readonly memory = new Map<string, MessageContent>();
  private readonly inMemory: number;
  private readonly dir: string | undefined;
  private file: SpillFile | undefined;
  /** Spilled contents: count, where each starts (in ALIGN units), its hash32, its sendAt's index. */
  private count = 0;
  private readonly starts = new Column(Uint32Array);
  private readonly prefixes = new Column(Uint32Array);
  private readonly sendAts = new Column(Uint8Array);
  private readonly sendAtValues: Array<string | undefined> = [undefined];
  /** Open addressing: ordinal + 1 per slot, 0 empty. */
  private slots = new Uint32Array(1024);
  private written = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Spilled contents read lately: a content many messages share is read once. */
  private readonly recent = new Map<string, MessageContent>();
  /** With shared numbers: ordinal + 1 by number (0 none), and by number for those from 2^31. */
  private readonly numbers: HashNumbers | undefined;
  private readonly ordinals = new Column(Uint32Array);
  private readonly otherOrdinals = new Map<number, number>();

  constructor(options: ContentStoreOptions) {
    this.inMemory = options.inMemory ?? IN_MEMORY;
    this.dir = options.dir;
    this.numbers = options.numbers;
  }

  get size(): number {
    return this.memory.size + this.count;
  }

  get spilled(): boolean {
    return this.count > 0;
  }

  has(hash: string): boolean {
    return this.memory.has(hash) || this.recent.has(hash) || this.find(hash) >= 0;
  }

  get(hash: string): MessageContent | undefined {
    const kept = this.memory.get(hash) ?? this.recent.get(hash);
    if (kept !== undefined) return kept;
    const ordinal = this.find(hash);
    if (ordinal < 0) return undefined;
    const record = this.read(ordinal);
    const content = JSON.parse(
      record.toString('utf8', 4 + record.readUInt32LE(0)),
    ) as MessageContent;
    if (this.recent.size >= RECENT) this.recent.clear();
    this.recent.set(hash, content);
    return content;
  }

  sendAtOf(hash: string): string | undefined {
    const kept = this.memory.get(hash) ?? this.recent.get(hash);
    if (kept !== undefined) return kept.sendAt;
    const ordinal = this.find(hash);
    if (ordinal < 0) return undefined;
    const index = this.sendAts.get(ordinal);
    return index === OTHER_SEND_AT ? this.get(hash)?.sendAt : this.sendAtValues[index];
  }

  add(hash: string, content: MessageContent): void {
    if (this.memory.size < this.inMemory && this.count === 0) {
      if (!this.memory.has(hash)) this.memory.set(hash, content);
      return;
    }
    if (this.has(hash)) return;
    const key = Buffer.from(hash);
    const json = Buffer.from(JSON.stringify(content));
    const length = 4 + key.length + json.length;
    const padded = Math.ceil(length / ALIGN) * ALIGN;
    // Padded with spaces, which JSON.parse passes over.
    const record = Buffer.alloc(padded, 0x20);
    record.writeUInt32LE(key.length, 0);
    key.copy(record, 4);
    json.copy(record, 4 + key.length);
    const ordinal = this.count++;
    this.starts.set(ordinal, (this.written + this.pendingBytes) / ALIGN);
    this.sendAts.set(ordinal, this.sendAtIndex(content.sendAt));
    this.pending.push(record);
    this.pendingBytes += padded;
    if (this.pendingBytes >= FLUSH_AT) this.flush();
    if (this.numbers) {
      const number = this.numbers.number(hash);
      if (number < 0x80000000) this.ordinals.set(number, ordinal + 1);
      else this.otherOrdinals.set(number, ordinal);
      return;
    }
    this.prefixes.set(ordinal, hash32(hash));
    if (this.count * 4 > this.slots.length * 3) this.grow();
    this.place(ordinal);
  }

  *keys(): IterableIterator<string> {
    yield* this.memory.keys();
    for (let i = 0; i < this.count; i++) {
      const record = this.read(i);
      yield record.toString('utf8', 4, 4 + record.readUInt32LE(0));
    }
  }

  *entries(): IterableIterator<[string, MessageContent]> {
    yield* this.memory.entries();
    for (let i = 0; i < this.count; i++) {
      const record = this.read(i);
      const end = 4 + record.readUInt32LE(0);
      yield [record.toString('utf8', 4, end), JSON.parse(record.toString('utf8', end))];
    }
  }

  private sendAtIndex(sendAt: string | undefined): number {
    const index = this.sendAtValues.indexOf(sendAt);
    if (index >= 0) return index;
    if (this.sendAtValues.length >= OTHER_SEND_AT) return OTHER_SEND_AT;
    return this.sendAtValues.push(sendAt) - 1;
  }

  /** The ordinal of the spilled content of this hash (checked against the whole hash), or -1. */
  private find(hash: string): number {
    if (this.count === 0) return -1;
    if (this.numbers) {
      const number = this.numbers.numberOf(hash);
      if (number < 0) return -1;
      if (number >= 0x80000000) return this.otherOrdinals.get(number) ?? -1;
      return this.ordinals.get(number) - 1;
    }
    const prefix = hash32(hash);
    const mask = this.slots.length - 1;
    for (let at = prefix & mask; ; at = (at + 1) & mask) {
      const slot = this.slots[at] as number;
      if (slot === 0) return -1;
      const ordinal = slot - 1;
      if (this.prefixes.get(ordinal) === prefix && this.keyOf(ordinal) === hash) return ordinal;
    }
  }

  private place(ordinal: number): void {
    const mask = this.slots.length - 1;
    let at = this.prefixes.get(ordinal) & mask;
    while (this.slots[at] !== 0) at = (at + 1) & mask;
    this.slots[at] = ordinal + 1;
  }

  private grow(): void {
    this.slots = new Uint32Array(this.slots.length * 2);
    for (let i = 0; i < this.count - 1; i++) this.place(i);
  }

  private keyOf(ordinal: number): string {
    const head = this.readAt(ordinal, 4 + 128);
    const length = head.readUInt32LE(0);
    if (4 + length > head.length) return this.read(ordinal).toString('utf8', 4, 4 + length);
    return head.toString('utf8', 4, 4 + length);
  }

  /** The record of a spilled content (its padding too). */
  private read(ordinal: number): Buffer {
    return this.readAt(ordinal, this.end(ordinal) - this.starts.get(ordinal) * ALIGN);
  }

  private end(ordinal: number): number {
    return ordinal + 1 < this.count
      ? this.starts.get(ordinal + 1) * ALIGN
      : this.written + this.pendingBytes;
  }

  private readAt(ordinal: number, most: number): Buffer {
    this.flush();
    const start = this.starts.get(ordinal) * ALIGN;
    const length = Math.min(most, this.end(ordinal) - start);
    const buffer = Buffer.allocUnsafe(length);
    readAll(this.open().fd, buffer, start, 'contents');
    return buffer;
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const chunk = Buffer.concat(this.pending, this.pendingBytes);
    try {
      writeAll(this.open().fd, chunk, this.written);
    } catch (error) {
      throw spillError(error, this.dir, "The plan's contents");
    }
    this.written += chunk.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private open(): SpillFile {
    try {
      this.file ??= openSpillFile(this, this.dir, 'contents');
    } catch (error) {
      throw spillError(error, this.dir, "The plan's contents");
    }
    return this.file;
  }
}

export function createContentStore(options: ContentStoreOptions = {}): ContentStore {
  return new SpillingStore(options);
}

const stores = new WeakMap<object, ContentStore>();

/**
 * The store as the plan's `contents` record: reads, `Object.hasOwn`, `in`, `Object.keys` and
 * JSON.stringify behave as on a plain object of the same contents, in the same order.
 */
export function contentsRecord(store: ContentStore): Record<string, MessageContent> {
  const target: Record<string, MessageContent> = {};
  const proxy = new Proxy(target, {
    get: (t, key, receiver) => {
      if (typeof key === 'string') {
        const content = store.get(key);
        if (content !== undefined) return content;
      }
      return Reflect.get(t, key, receiver) as unknown;
    },
    has: (t, key) => (typeof key === 'string' && store.has(key)) || Reflect.has(t, key),
    set: (_t, key, value) => {
      if (typeof key !== 'string') return false;
      store.add(key, value as MessageContent);
      return true;
    },
    deleteProperty: () => false,
    defineProperty: () => false,
    ownKeys: () => [...store.keys()],
    getOwnPropertyDescriptor: (_t, key) => {
      if (typeof key !== 'string') return undefined;
      const value = store.get(key);
      return value === undefined
        ? undefined
        : { value, writable: true, enumerable: true, configurable: true };
    },
  });
  stores.set(proxy, store);
  return proxy;
}

/** The store behind a plan's contents, when they are one (a plan made now; a saved plan's are plain). */
export function contentStoreOf(contents: object): ContentStore | undefined {
  return stores.get(contents);
}

/** Whether the plan's contents have this hash (of a store: without reading the content). */
export function hasContent(contents: Readonly<Record<string, MessageContent>>, hash: string) {
  const store = contentStoreOf(contents);
  return store ? store.has(hash) : Object.hasOwn(contents, hash);
}

/** The sendAt of the content of this hash (of a store: without reading the content). */
export function sendAtOf(
  contents: Readonly<Record<string, MessageContent>>,
  hash: string,
): string | undefined {
  const store = contentStoreOf(contents);
  return store ? store.sendAtOf(hash) : contents[hash]?.sendAt;
}

/** How many contents (of a store: without listing them). */
export function contentCount(contents: Readonly<Record<string, MessageContent>>): number {
  return contentStoreOf(contents)?.size ?? Object.keys(contents).length;
}

/** Every content, first added first (of a store: read in order, never all at once). */
export function contentValues(
  contents: Readonly<Record<string, MessageContent>>,
): Iterable<MessageContent> {
  const store = contentStoreOf(contents);
  if (!store) return Object.values(contents);
  return (function* () {
    for (const [, content] of store.entries()) yield content;
  })();
}
