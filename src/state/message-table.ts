import { randomBytes } from 'node:crypto';
import { bulkIdFor } from '../api/identity.js';
import type { ApiStatus } from '../api/types.js';
import { PagedChunks } from './paged-chunks.js';
import type { PagerOptions } from './pager.js';
import type { JournalRecord, MessageState, MessageStates, Outcome } from './types.js';

/** Where the table's pages go past those it keeps in memory (the pager's folder and resident count). */
export type MessageTableOptions = Pick<PagerOptions, 'dir' | 'resident'>;

/**
 * The state's messages in columns: a message is some 38 bytes of typed arrays instead of an object
 * of several hundred bytes (ten million of them must fit in a small machine). messageIds that are
 * UUIDs as waspec makes them are 16 bytes, content hashes 32 bytes in a table (a hash repeated
 * nearby is kept once), bulkIds 32 bytes per request (none when it is the one of its only
 * message), spec, revision, message as written, test mark and masked number one index into a table
 * of their combinations, times milliseconds in 32 bits (sentAt from its chunk's first, updatedAt
 * from sentAt). What is rare (errors, settlements, HTTP statuses, times far apart, texts that are
 * not as waspec writes them) is kept as it came in maps. Sealing trims the last chunk and fits the
 * index to the messages. `get` and `values` build a
 * MessageState equal to the one folding records into objects gave, keys in the same order.
 */

/**
 * Records per chunk: columns grow a chunk at a time (no copy of what is there), the first one
 * doubling. Small (some 38 KiB a chunk of messages): a plan in another order than the state's (a
 * list sorted anew) looks messages up at random, and each miss reads one chunk back.
 */
const CHUNK_BITS = 10;
/** Chunks kept in memory per resident page of the pager's count (pages of 65,536 records). */
const SCALE = 1 << (16 - CHUNK_BITS);
const CHUNK = 1 << CHUNK_BITS;
const LOW = CHUNK - 1;
const FIRST_CAPACITY = 64;

const OUTCOMES: readonly Outcome[] = ['in-flight', 'accepted', 'rejected', 'failed'];
const OUTCOME_BITS = 3;
/** The message has an entry in `tails`. */
const HAS_TAIL = 4;
/** The messageId is not a UUID as waspec makes them: it is in `otherIds`. */
const OTHER_ID = 8;
/** The message has an entry in `times`. */
const HAS_TIMES = 16;
/** Status column: none, or in the message's tail (more distinct statuses than the column counts). */
const NO_STATUS = 0;
const TAIL_STATUS = 255;
/** Bulk column: the bulkId is bulkIdFor([messageId]) (a request of one message). */
const OWN_BULK = 0xffffffff;
/** Delta column: updatedAt is in `times` (not as toISOString writes it, or too far from sentAt). */
const TIMES_HELD = -0x80000000;
/** sentAt column: the instant is in `farSent` (over 24 days from the chunk's base, or none). */
const SENT_HELD = -0x80000000;
/** Values kept once in the status column's table; beyond, a message keeps its own in its tail. */
const MAX_STATUSES = 254;
/** Nearby values looked up before a new table entry is made (a bound: the map is emptied when full). */
const RECENT = 4096;

/**
 * The last keys of a message that has them, in the order folding into objects gave them (an
 * outcome's status, httpStatus, error; a settlement's error and settled): the same deletes and
 * assignments are made on it. A status kept in the status column comes before these.
 */
type Tail = Partial<Pick<MessageState, 'status' | 'httpStatus' | 'error' | 'settled'>>;

/** Times that are not toISOString's text of their instant (or an updatedAt too far from sentAt). */
interface Times {
  sentAt?: string;
  updatedAt?: string;
}

/** The bytes of a chunk of `capacity` records: its base, then its columns (widest first, so each is aligned). */
function chunkBytes(capacity: number): number {
  return 8 + capacity * 38;
}

/**
 * A chunk's columns: views over one ArrayBuffer (base, ids, content, bulk, shape, sentAt, delta,
 * flags, status), so a full chunk is a page the pager can write out and read back as it was.
 */
class Chunk {
  readonly buffer: ArrayBuffer;
  readonly ids: Uint32Array;
  readonly content: Uint32Array;
  readonly bulk: Uint32Array;
  readonly shape: Uint32Array;
  /** sentAt in ms from `base` (the chunk's first one: messages first journalled together are near in time). */
  readonly sentAt: Int32Array;
  readonly delta: Int32Array;
  readonly flags: Uint8Array;
  readonly status: Uint8Array;
  /** `base` in the chunk's bytes (NaN until its first sentAt that is an instant). */
  private readonly head: Float64Array;
  constructor(
    readonly capacity: number,
    buffer?: ArrayBuffer,
  ) {
    this.buffer = buffer ?? new ArrayBuffer(chunkBytes(capacity));
    let at = 0;
    const words = (n: number) => {
      const view = new Uint32Array(this.buffer, at, n);
      at += n * 4;
      return view;
    };
    this.head = new Float64Array(this.buffer, 0, 1);
    at = 8;
    this.ids = words(capacity * 4);
    this.content = words(capacity);
    this.bulk = words(capacity);
    this.shape = words(capacity);
    this.sentAt = new Int32Array(this.buffer, at, capacity);
    at += capacity * 4;
    this.delta = new Int32Array(this.buffer, at, capacity);
    at += capacity * 4;
    this.flags = new Uint8Array(this.buffer, at, capacity);
    at += capacity;
    this.status = new Uint8Array(this.buffer, at, capacity);
    if (!buffer) this.base = Number.NaN;
  }

  get base(): number {
    return this.head[0] as number;
  }

  set base(ms: number) {
    this.head[0] = ms;
  }

  /** A chunk of this capacity holding this one's first records (grown, or trimmed to those there are). */
  resized(capacity: number): Chunk {
    const next = new Chunk(capacity);
    const n = Math.min(capacity, this.capacity);
    next.base = this.base;
    next.ids.set(this.ids.subarray(0, n * 4));
    next.content.set(this.content.subarray(0, n));
    next.bulk.set(this.bulk.subarray(0, n));
    next.shape.set(this.shape.subarray(0, n));
    next.sentAt.set(this.sentAt.subarray(0, n));
    next.delta.set(this.delta.subarray(0, n));
    next.flags.set(this.flags.subarray(0, n));
    next.status.set(this.status.subarray(0, n));
    return next;
  }

  /** A chunk of twice the capacity holding this one's records. */
  grown(): Chunk {
    return this.resized(Math.min(this.capacity * 2, CHUNK));
  }
}

/** The value of a hex digit (lower case, or upper case when `upper`); -1 for anything else. */
function nibble(code: number, upper: boolean): number {
  if (code >= 48 && code <= 57) return code - 48;
  const a = upper ? 65 : 97;
  return code >= a && code <= a + 5 ? code - a + 10 : -1;
}

/** Writes the 16 bytes of a lower-case UUID (8-4-4-4-12) as four big-endian words; false if it is not one. */
/** A slot hash of a UUID's four words from `at`, seeded per table (ids a file chose cannot pile up). */
export function hashUuidWords(words: Uint32Array, at: number, seed: number): number {
  let h = seed;
  for (let k = 0; k < 4; k++) {
    h = Math.imul(h ^ (words[at + k] as number), 0x85ebca6b);
    h ^= h >>> 13;
  }
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Whether the four words of `ids` from `at` are the UUID `key`. */
export function sameUuidWords(ids: Uint32Array, at: number, key: Uint32Array): boolean {
  return (
    ids[at] === key[0] && ids[at + 1] === key[1] && ids[at + 2] === key[2] && ids[at + 3] === key[3]
  );
}

export function parseUuid(text: string, out: Uint32Array, at: number): boolean {
  if (text.length !== 36) return false;
  let word = 0;
  let digits = 0;
  for (let i = 0; i < 36; i++) {
    const code = text.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (code !== 45) return false;
      continue;
    }
    const v = nibble(code, false);
    if (v < 0) return false;
    word = (word << 4) | v;
    if (++digits % 8 === 0) {
      out[at + (digits >> 3) - 1] = word >>> 0;
      word = 0;
    }
  }
  return true;
}

/** Each byte's two hex digits: a word is four look-ups (ids are written for every entry a plan reads). */
const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(word: number): string {
  return (
    (BYTE_HEX[word >>> 24] as string) +
    (BYTE_HEX[(word >>> 16) & 255] as string) +
    (BYTE_HEX[(word >>> 8) & 255] as string) +
    (BYTE_HEX[word & 255] as string)
  );
}

export function uuidOfWords(ids: Uint32Array, at: number): string {
  const a = hex8(ids[at] ?? 0);
  const b = hex8(ids[at + 1] ?? 0);
  const c = hex8(ids[at + 2] ?? 0);
  const d = hex8(ids[at + 3] ?? 0);
  return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
}

/**
 * Strings of 64 hex digits (content hashes, bulkIds) as 32 bytes each, appended in chunks; other
 * strings as they came. An entry is looked up among recent ones before a new one is made.
 */
class HexTable {
  /**
   * Chunks of 1,024 entries (32 KiB), past the resident ones in the page file; the last one
   * growing (doubling up to a full one, then a page).
   */
  private readonly chunks: PagedChunks<Buffer<ArrayBuffer>>;
  private capacity = 0;
  size = 0;
  private readonly other = new Map<number, string>();
  private recent: Map<string, number> | undefined = new Map();

  constructor(
    private readonly upper: boolean,
    options: PagerOptions,
  ) {
    this.chunks = new PagedChunks(CHUNK * 32, (buffer) => Buffer.from(buffer), {
      ...options,
      scale: SCALE,
    });
  }

  get spilled(): boolean {
    return this.chunks.spilled;
  }

  /** The index of `text`: a recent entry of it, or a new one. */
  intern(text: string): number {
    const known = this.recent?.get(text);
    // A negative note is a request of one message (MessageTable.open), not an entry.
    if (known !== undefined && known >= 0) return known;
    const index = this.add(text);
    this.remember(text, index);
    return index;
  }

  remember(text: string, index: number): void {
    if (!this.recent) return;
    if (this.recent.size >= RECENT) this.recent.clear();
    this.recent.set(text, index);
  }

  /** A recent index noted for `text`, if any. */
  recall(text: string): number | undefined {
    return this.recent?.get(text);
  }

  private add(text: string): number {
    const index = this.size++;
    if (index >= this.capacity) this.grow();
    // A new entry is always in the last chunk: pages are never written after they are pushed.
    const chunk = this.chunks.last as Buffer;
    const at = (index & LOW) * 32;
    if (text.length !== 64) {
      this.other.set(index, text);
      return index;
    }
    for (let i = 0; i < 32; i++) {
      const hi = nibble(text.charCodeAt(2 * i), this.upper);
      const lo = nibble(text.charCodeAt(2 * i + 1), this.upper);
      if (hi < 0 || lo < 0) {
        this.other.set(index, text);
        return index;
      }
      chunk[at + i] = (hi << 4) | lo;
    }
    return index;
  }

  private grow(): void {
    const tail = this.chunks.last;
    const tailCapacity = tail ? tail.length / 32 : 0;
    if (tail && tailCapacity < CHUNK) {
      const next = Buffer.alloc(Math.min(tailCapacity * 2, CHUNK) * 32);
      tail.copy(next);
      this.chunks.replaceLast(next);
      this.capacity += next.length / 32 - tailCapacity;
    } else {
      const size = tail ? CHUNK : FIRST_CAPACITY;
      this.chunks.add(Buffer.alloc(size * 32));
      this.capacity += size;
    }
  }

  /** The last entry read, and its text: messages of one request share one string. */
  private lastIndex = -1;
  private lastText = '';

  get(index: number): string {
    if (index === this.lastIndex) return this.lastText;
    const other = this.other.get(index);
    if (other !== undefined) return other;
    const at = (index & LOW) * 32;
    const chunk = this.chunks.get(index >>> CHUNK_BITS);
    const text = chunk.toString('hex', at, at + 32);
    this.lastIndex = index;
    this.lastText = this.upper ? text.toUpperCase() : text;
    return this.lastText;
  }

  /** Lets go of what only adding needs: the recent entries, the last chunk's room for more. */
  seal(): void {
    this.recent = undefined;
    const tail = this.chunks.last;
    if (!tail) return;
    const used = this.size - (this.chunks.length - 1) * CHUNK;
    if (used * 32 >= tail.length) return;
    const trimmed = Buffer.alloc(used * 32);
    tail.copy(trimmed, 0, 0, used * 32);
    this.chunks.replaceLast(trimmed);
    this.capacity -= tail.length / 32 - used;
  }
}

interface Shape {
  spec: string;
  revision: number;
  writtenHash: string | undefined;
  test: boolean;
  maskedPhoneNumber: string;
}

type InFlight = Extract<JournalRecord, { type: 'in-flight' }>;
type InFlightMessage = InFlight['messages'][number];
type OutcomeRecord = Extract<JournalRecord, { type: 'outcome' }>;
type SettleRecord = Extract<JournalRecord, { type: 'settle' }>;

/** An ISO time as a number when toISOString writes that number as exactly this text; NaN otherwise. */
export function instantOf(at: string): number {
  const ms = Date.parse(at);
  return Number.isNaN(ms) || new Date(ms).toISOString() !== at ? Number.NaN : ms;
}

/** toISOString of a time, the last one kept: rows next to each other often share their time. */
export function isoWriter(): (ms: number) => string {
  let lastMs = Number.NaN;
  let lastIso = '';
  return (ms) => {
    if (ms !== lastMs) {
      lastMs = ms;
      lastIso = new Date(ms).toISOString();
    }
    return lastIso;
  };
}

/**
 * The state's messages by messageId, built by folding journal records (fold-journal.ts) and
 * read-only once sealed. Iterates in the order messages were first journalled, as a Map would.
 */
export class MessageTable implements MessageStates {
  /**
   * Chunks of 1,024 messages (some 38 KiB), past the resident ones in the page file; the last one
   * growing (doubling up to a full one, then a page).
   */
  private readonly chunks: PagedChunks<Chunk>;
  private capacity = 0;
  private count = 0;
  /** Open addressing on the messageId's words: index + 1 of each UUID message, 0 for a free slot. */
  private slots = new Int32Array(1024);
  /**
   * Each slot's messageId hash: a probe compares it before reading the id from the message's
   * chunk, and growing the index places the slots again without reading any chunk.
   */
  private slotHashes = new Uint32Array(1024);
  private readonly seed = randomBytes(4).readUInt32LE(0);
  private readonly otherIds = new Map<string, number>();
  private readonly idOfOther = new Map<number, string>();
  private readonly tails = new Map<number, Tail>();
  private readonly times = new Map<number, Times>();
  /** sentAt instants (ms, NaN for a text that is none) that do not fit the sentAt column. */
  private readonly farSent = new Map<number, number>();
  private readonly hashes: HexTable;
  private readonly bulks: HexTable;
  private readonly shapes: Shape[] = [];
  private shapeKeys: Map<string, number> | undefined = new Map();
  private readonly statuses: ApiStatus[] = [];
  private statusKeys: Map<string, number> | undefined = new Map();
  private readonly key = new Uint32Array(4);
  /** An instant written as text (messages of one record share their times). */
  private readonly iso = isoWriter();
  private lastAt = '';
  private lastAtMs = Number.NaN;

  constructor(options: MessageTableOptions = {}) {
    this.chunks = new PagedChunks(chunkBytes(CHUNK), (buffer) => new Chunk(CHUNK, buffer), {
      ...options,
      subject: "The state's messages",
      scale: SCALE,
    });
    this.hashes = new HexTable(false, { ...options, subject: "The state's content hashes" });
    this.bulks = new HexTable(true, { ...options, subject: "The state's bulkIds" });
  }

  get size(): number {
    return this.count;
  }

  /** Whether any of the table's pages went to the page file (it held more than it keeps in memory). */
  get spilled(): boolean {
    return this.chunks.spilled || this.hashes.spilled || this.bulks.spilled;
  }

  /** The chunk of message `index`, to change: a page is marked so, or the change would be lost. */
  private changing(index: number): Chunk {
    return this.chunks.write(index >>> CHUNK_BITS);
  }

  has(messageId: string): boolean {
    return this.indexOf(messageId) >= 0;
  }

  get(messageId: string): MessageState | undefined {
    const index = this.indexOf(messageId);
    return index < 0 ? undefined : this.stateAt(index);
  }

  *values(): IterableIterator<MessageState> {
    for (let i = 0; i < this.count; i++) yield this.stateAt(i);
  }

  *keys(): IterableIterator<string> {
    for (let i = 0; i < this.count; i++) yield this.idAt(i);
  }

  private idAt(index: number): string {
    const chunk = this.chunks.get(index >>> CHUNK_BITS);
    const i = index & LOW;
    return (chunk.flags[i] as number) & OTHER_ID
      ? (this.idOfOther.get(index) as string)
      : uuidOfWords(chunk.ids, i * 4);
  }

  /** Lets go of the tables only folding needs; the table is read-only from now on. */
  seal(): this {
    this.shapeKeys = undefined;
    this.statusKeys = undefined;
    this.hashes.seal();
    this.bulks.seal();
    // The last chunk's room for more goes (up to 65,535 messages' columns).
    const tail = this.chunks.last;
    const used = this.count - (this.chunks.length - 1) * CHUNK;
    if (tail && used < tail.capacity) {
      this.chunks.replaceLast(tail.resized(used));
      this.capacity -= tail.capacity - used;
    }
    // The index at most 3/4 full, as while adding at its fullest (not twice that after a doubling).
    const fit = Math.max(1024, Math.ceil(((this.count - this.otherIds.size) * 4) / 3) + 1);
    if (fit < this.slots.length) this.rehash(fit);
    return this;
  }

  // Folding (fold-journal.ts keeps the rules; these store their result).

  /** An in-flight record: each message (re)opened, its first sentAt kept. */
  open(record: InFlight): void {
    const at = this.instant(record.at);
    let bulk: number | undefined;
    const own = record.messages.length === 1;
    for (const m of record.messages) {
      let index = this.indexOf(m.messageId);
      const fresh = index < 0;
      if (fresh) {
        index = this.append(m.messageId);
        this.setSentAt(index, record.at, at);
      }
      const chunk = this.changing(index);
      const i = index & LOW;
      // A new object in place of the message's: no status, error nor settlement any more.
      this.setTail(index, chunk, i, undefined);
      chunk.status[i] = NO_STATUS;
      chunk.content[i] = this.hashes.intern(m.contentHash);
      chunk.shape[i] = this.shapeOf(m);
      if (own && bulkIdFor([m.messageId]) === record.bulkId) {
        chunk.bulk[i] = OWN_BULK;
        this.bulks.remember(record.bulkId, -1 - index);
      } else {
        bulk ??= this.bulks.intern(record.bulkId);
        chunk.bulk[i] = bulk;
      }
      this.setOutcome(chunk, i, 0);
      this.setUpdated(index, chunk, i, record.at, at);
    }
  }

  /** An outcome record: each message it names that the state knows closed; the last one wins. */
  close(record: OutcomeRecord): void {
    const at = this.instant(record.at);
    let bulk: number | undefined;
    for (const r of record.results) {
      const index = this.indexOf(r.messageId);
      // An outcome without its in-flight record cannot be attributed to a spec: skip it.
      if (index < 0) continue;
      const chunk = this.changing(index);
      const i = index & LOW;
      const noted = this.bulks.recall(record.bulkId);
      if (noted === -1 - index) chunk.bulk[i] = OWN_BULK;
      else {
        bulk ??= noted !== undefined && noted >= 0 ? noted : this.bulks.intern(record.bulkId);
        chunk.bulk[i] = bulk;
      }
      this.setOutcome(chunk, i, OUTCOMES.indexOf(r.outcome));
      // Folding deletes settled, status, httpStatus and error, then sets those the result has.
      const tail: Tail = {};
      const status = r.status === undefined ? NO_STATUS : this.statusIndex(r.status);
      chunk.status[i] = status;
      if (status === TAIL_STATUS) tail.status = r.status;
      if (r.httpStatus !== undefined) tail.httpStatus = r.httpStatus;
      if (r.error !== undefined) tail.error = r.error;
      this.setTail(index, chunk, i, tail);
      this.setUpdated(index, chunk, i, record.at, at);
    }
  }

  /** A settle record: each message it names ends accepted, or failed when it was not sent. */
  settle(record: SettleRecord): void {
    const at = this.instant(record.at);
    for (const messageId of record.messageIds) {
      const index = this.indexOf(messageId);
      if (index < 0) continue;
      const chunk = this.changing(index);
      const i = index & LOW;
      // As folding into an object: status, httpStatus and error deleted; a settlement before keeps its place.
      const tail: Tail = { ...this.tailOf(index, chunk, i) };
      delete tail.status;
      delete tail.httpStatus;
      delete tail.error;
      chunk.status[i] = NO_STATUS;
      this.setOutcome(chunk, i, record.as === 'accepted' ? 1 : 3);
      if (record.as === 'not-sent')
        tail.error = `settled as not sent by ${record.by}: ${record.reason}`;
      tail.settled = { as: record.as, by: record.by, at: record.at, reason: record.reason };
      this.setTail(index, chunk, i, tail);
      this.setUpdated(index, chunk, i, record.at, at);
    }
  }

  // Reading.

  /** The message's place in `values()`, or -1. */
  indexOf(messageId: string): number {
    const key = this.key;
    if (!parseUuid(messageId, key, 0)) return this.otherIds.get(messageId) ?? -1;
    const { slots, slotHashes } = this;
    const hash = this.hash(key, 0);
    for (let slot = this.firstSlot(hash); ; slot = this.nextSlot(slot)) {
      const held = slots[slot] as number;
      if (held === 0) return -1;
      if (slotHashes[slot] !== hash) continue;
      const index = held - 1;
      const ids = this.chunks.get(index >>> CHUNK_BITS).ids;
      if (sameUuidWords(ids, (index & LOW) * 4, key)) return index;
    }
  }

  /** The message at a place of `values()` (0 to size - 1). */
  at(index: number): MessageState {
    if (!(index >= 0 && index < this.count)) throw new RangeError(`no state message ${index}`);
    return this.stateAt(index);
  }

  private stateAt(index: number): MessageState {
    const chunk = this.chunks.get(index >>> CHUNK_BITS);
    const i = index & LOW;
    const flags = chunk.flags[i] as number;
    const shape = this.shapes[chunk.shape[i] as number] as Shape;
    const times = flags & HAS_TIMES ? this.times.get(index) : undefined;
    const sentMs = this.sentMs(index, chunk, i);
    const delta = chunk.delta[i] as number;
    const bulk = chunk.bulk[i] as number;
    const messageId = this.idAt(index);
    const contentHash = this.hashes.get(chunk.content[i] as number);
    const bulkId = bulk === OWN_BULK ? bulkIdFor([messageId]) : this.bulks.get(bulk);
    const sentAt = times?.sentAt ?? this.iso(sentMs);
    const updatedAt = delta === TIMES_HELD ? (times?.updatedAt ?? '') : this.iso(sentMs + delta);
    const outcome = OUTCOMES[flags & OUTCOME_BITS] as Outcome;
    // Every key in one literal, in the order folding gave them (writtenHash only when there is one).
    const state: MessageState =
      shape.writtenHash === undefined
        ? {
            messageId,
            spec: shape.spec,
            revision: shape.revision,
            maskedPhoneNumber: shape.maskedPhoneNumber,
            contentHash,
            bulkId,
            sentAt,
            updatedAt,
            outcome,
          }
        : {
            messageId,
            spec: shape.spec,
            revision: shape.revision,
            maskedPhoneNumber: shape.maskedPhoneNumber,
            contentHash,
            writtenHash: shape.writtenHash,
            bulkId,
            sentAt,
            updatedAt,
            outcome,
          };
    if (shape.test) state.test = true;
    const status = chunk.status[i] as number;
    if (status !== NO_STATUS && status !== TAIL_STATUS) state.status = this.statuses[status - 1];
    if (flags & HAS_TAIL) Object.assign(state, this.tails.get(index));
    return state;
  }

  // Storing.

  private hash(words: Uint32Array, at: number): number {
    return hashUuidWords(words, at, this.seed);
  }

  /** A new message at the end (its id stored and indexed); its other columns are set by the caller. */
  private append(messageId: string): number {
    const index = this.count++;
    if (index >= this.capacity) this.grow();
    // A new message is always in the last chunk, which is not a page yet.
    const chunk = this.chunks.last as Chunk;
    const i = index & LOW;
    if (parseUuid(messageId, chunk.ids, i * 4)) {
      if ((this.count - this.otherIds.size) * 4 > this.slots.length * 3) this.rehash();
      this.place(index, this.hash(chunk.ids, i * 4));
    } else {
      chunk.flags[i] = OTHER_ID;
      this.otherIds.set(messageId, index);
      this.idOfOther.set(index, messageId);
    }
    return index;
  }

  /** A hash's first slot: its place in [0, slots) by its high bits (any number of slots). */
  private firstSlot(hash: number): number {
    return Math.floor((hash / 0x100000000) * this.slots.length);
  }

  private nextSlot(slot: number): number {
    return slot + 1 === this.slots.length ? 0 : slot + 1;
  }

  private place(index: number, hash: number): void {
    let slot = this.firstSlot(hash);
    while (this.slots[slot] !== 0) slot = this.nextSlot(slot);
    this.slots[slot] = index + 1;
    this.slotHashes[slot] = hash;
  }

  /** `size` slots (twice as many as they were while adding), every slot placed again by its hash. */
  private rehash(size = this.slots.length * 2): void {
    const { slots, slotHashes } = this;
    this.slots = new Int32Array(size);
    this.slotHashes = new Uint32Array(size);
    for (let slot = 0; slot < slots.length; slot++) {
      const held = slots[slot] as number;
      if (held !== 0) this.place(held - 1, slotHashes[slot] as number);
    }
  }

  private grow(): void {
    const tail = this.chunks.last;
    if (tail && tail.capacity < CHUNK) {
      const next = tail.grown();
      this.chunks.replaceLast(next);
      this.capacity += next.capacity - tail.capacity;
    } else {
      // The full last chunk, if any, becomes a page.
      const chunk = this.chunks.add(new Chunk(tail ? CHUNK : FIRST_CAPACITY));
      this.capacity += chunk.capacity;
    }
  }

  private instant(at: string): number {
    if (at !== this.lastAt) {
      this.lastAt = at;
      this.lastAtMs = instantOf(at);
    }
    return this.lastAtMs;
  }

  private setOutcome(chunk: Chunk, i: number, outcome: number): void {
    chunk.flags[i] = ((chunk.flags[i] as number) & ~OUTCOME_BITS) | outcome;
  }

  private setSentAt(index: number, at: string, ms: number): void {
    const chunk = this.changing(index);
    const i = index & LOW;
    if (Number.isNaN(chunk.base) && !Number.isNaN(ms)) chunk.base = ms;
    const offset = ms - chunk.base;
    if (offset > SENT_HELD && offset <= 0x7fffffff) chunk.sentAt[i] = offset;
    else {
      chunk.sentAt[i] = SENT_HELD;
      this.farSent.set(index, ms);
    }
    if (Number.isNaN(ms)) this.timesOf(index, chunk, i).sentAt = at;
  }

  private sentMs(index: number, chunk: Chunk, i: number): number {
    const offset = chunk.sentAt[i] as number;
    return offset === SENT_HELD ? (this.farSent.get(index) as number) : chunk.base + offset;
  }

  private setUpdated(index: number, chunk: Chunk, i: number, at: string, ms: number): void {
    const delta = ms - this.sentMs(index, chunk, i);
    if (!Number.isNaN(delta) && delta > TIMES_HELD && delta <= 0x7fffffff) {
      chunk.delta[i] = delta;
      const times = (chunk.flags[i] as number) & HAS_TIMES ? this.times.get(index) : undefined;
      if (times?.updatedAt === undefined) return;
      delete times.updatedAt;
      if (times.sentAt === undefined) {
        this.times.delete(index);
        chunk.flags[i] = (chunk.flags[i] as number) & ~HAS_TIMES;
      }
    } else {
      chunk.delta[i] = TIMES_HELD;
      this.timesOf(index, chunk, i).updatedAt = at;
    }
  }

  private timesOf(index: number, chunk: Chunk, i: number): Times {
    const known = (chunk.flags[i] as number) & HAS_TIMES ? this.times.get(index) : undefined;
    if (known) return known;
    const times: Times = {};
    this.times.set(index, times);
    chunk.flags[i] = (chunk.flags[i] as number) | HAS_TIMES;
    return times;
  }

  private tailOf(index: number, chunk: Chunk, i: number): Tail | undefined {
    return (chunk.flags[i] as number) & HAS_TAIL ? this.tails.get(index) : undefined;
  }

  /** The message's tail replaced (none when empty). */
  private setTail(index: number, chunk: Chunk, i: number, tail: Tail | undefined): void {
    const flags = chunk.flags[i] as number;
    if (tail === undefined || Object.keys(tail).length === 0) {
      if (flags & HAS_TAIL) {
        this.tails.delete(index);
        chunk.flags[i] = flags & ~HAS_TAIL;
      }
      return;
    }
    this.tails.set(index, tail);
    chunk.flags[i] = flags | HAS_TAIL;
  }

  private shapeOf(m: InFlightMessage): number {
    const { spec, revision, writtenHash, maskedPhoneNumber } = m;
    const test = m.test === true;
    // Each variable part but the last is length-prefixed: different shapes never share a key.
    const key = `${revision}|${test ? 1 : 0}|${writtenHash === undefined ? '-' : `${writtenHash.length}:${writtenHash}`}|${maskedPhoneNumber.length}:${maskedPhoneNumber}|${spec}`;
    const keys = (this.shapeKeys ??= new Map<string, number>());
    const known = keys.get(key);
    if (known !== undefined) return known;
    const index = this.shapes.length;
    this.shapes.push({ spec, revision, writtenHash, test, maskedPhoneNumber });
    keys.set(key, index);
    return index;
  }

  private lastStatus: ApiStatus | undefined;
  private lastStatusIndex = NO_STATUS;

  private statusIndex(status: ApiStatus): number {
    if (status === this.lastStatus) return this.lastStatusIndex;
    const keys = (this.statusKeys ??= new Map<string, number>());
    const key = JSON.stringify(status);
    let index = keys.get(key);
    if (index === undefined) {
      if (this.statuses.length >= MAX_STATUSES) return TAIL_STATUS;
      this.statuses.push(status);
      index = this.statuses.length;
      keys.set(key, index);
    }
    this.lastStatus = status;
    this.lastStatusIndex = index;
    return index;
  }
}
