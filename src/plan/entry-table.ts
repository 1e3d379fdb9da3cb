import { randomBytes } from 'node:crypto';
import { PagedChunks } from '../state/paged-chunks.js';
import type { PagerOptions } from '../state/pager.js';
import {
  hashUuidWords,
  instantOf,
  isoWriter,
  parseUuid,
  sameUuidWords,
  uuidOfWords,
} from '../state/message-table.js';
import type { MessageState, MessageStates } from '../state/types.js';
import type { HashNumbers } from './content-store.js';
import { IndexedEntries, type EntryList, type WritableEntries } from './entry-list.js';
import {
  PLAN_ACTIONS,
  type HeldEntry,
  type PlanAction,
  type PlanEntry,
  type PreviousRecord,
  type Shift,
  type Stage,
} from './types.js';

/**
 * The plan's entries in columns: some 41 bytes a message (action and marks, spec and revision,
 * messageId as 16 bytes, number as a double, content, variable row, held/moved) and 32 per
 * distinct content hash, where an object per entry with its strings takes some 280. An entry is
 * built when read; its `previous` is the state's record of its messageId, looked up then. Values
 * that do not fit a column (an id that is not a UUID, a masked number, an object of variables)
 * are kept as they came in maps. What the policy adds (held, moved) is kept once per value, the
 * time its texts end with in a paged column of its own (`Extra`; 8 bytes a row once one is written).
 *
 * Full chunks of 65,536 entries (and of 65,536 content hashes) live in pagers: past a few pages
 * in memory, the least recently used goes to a page file and is read back when asked for. Every
 * pass over the plan reads them in order; the look-ups while the table is built (messageIds,
 * content hashes) keep a 32-bit hash beside each index, so a probe reads a page only when the
 * hashes match, and growing re-places them from those hashes without reading a page.
 */

const BITS = 16;
const CHUNK = 1 << BITS;
const LOW = CHUNK - 1;

/** Kind byte: the action's index in PLAN_ACTIONS (4 bits), then these marks. */
const ACTION_MASK = 0x0f;
const SEED = 0x10;
const STAGE_SHIFT = 5;
const STAGE_MASK = 0x60;
const PREVIOUS = 0x80;
const STAGES: ReadonlyArray<Stage | undefined> = [undefined, 'seed', 'canary', 'rest'];
const ACTION_CODES = new Map<PlanAction, number>(PLAN_ACTIONS.map((a, i) => [a, i]));

/** An entry's hold. */
type HoldOf = HeldEntry['hold'];

/** Look-ups `absent` confirms at once, in row order. */
const ABSENT_BATCH = 1 << 20;

/** Content column: no content (an orphan). */
const NO_CONTENT = 0xffffffff;
/** Vars column: none; an object kept in `objectVars`. */
const NO_VARS = -1;
const OBJECT_VARS = -2;

/** A number as compile writes it (digits, no leading zero; `+` kept as the sign of the column). */
const NUMBER = /^\+?[1-9][0-9]{0,14}$/;

/** Bytes of a chunk: its columns over one buffer (what a page of the pager holds). */
const CHUNK_BYTES = CHUNK * 41;

class Chunk {
  readonly phone: Float64Array;
  readonly ids: Uint32Array;
  readonly key: Uint32Array;
  readonly content: Uint32Array;
  readonly vars: Int32Array;
  readonly extra: Uint32Array;
  readonly kind: Uint8Array;

  constructor(readonly buffer: ArrayBuffer = new ArrayBuffer(CHUNK_BYTES)) {
    this.phone = new Float64Array(buffer, 0, CHUNK);
    this.ids = new Uint32Array(buffer, CHUNK * 8, CHUNK * 4);
    this.key = new Uint32Array(buffer, CHUNK * 24, CHUNK);
    this.content = new Uint32Array(buffer, CHUNK * 28, CHUNK);
    this.vars = new Int32Array(buffer, CHUNK * 32, CHUNK);
    this.extra = new Uint32Array(buffer, CHUNK * 36, CHUNK);
    this.kind = new Uint8Array(buffer, CHUNK * 40, CHUNK);
  }
}

/**
 * What the policy added to an entry: held (and why), moved to another sendAt. Kept once per value.
 * A text that ends with a time as toISOString writes it (the messaging limit's `…; can go from
 * TIME`, the sendAt it moves a message to) is kept without it, the time in the row's `times`: the
 * limit holds each message until its own time, and a million times are then one text, not a million.
 */
interface Extra {
  hold?: { was: 'send' | 'retry'; reason: string };
  shift?: Shift;
  /** Which of its texts end with the row's time (TIMED_*), kept without it. */
  timed: number;
}

const TIMED_HOLD = 1;
const TIMED_REASON = 2;
const TIMED_SEND_AT = 4;
/** Characters of a time as toISOString writes it (`2026-03-02T10:00:00.000Z`, years 0 to 9999). */
const ISO_LENGTH = 24;

/** A hold and a shift with the texts `timed` names changed (their time cut off, or put back). */
function changeTimed(
  { shift, hold }: { shift?: Shift | undefined; hold?: HoldOf | undefined },
  timed: number,
  change: (text: string) => string,
): Pick<Extra, 'shift' | 'hold'> {
  const texts: Pick<Extra, 'shift' | 'hold'> = {};
  const at = (text: string, bit: number) => (timed & bit ? change(text) : text);
  if (shift)
    texts.shift = {
      ...shift,
      sendAt: at(shift.sendAt, TIMED_SEND_AT),
      reason: at(shift.reason, TIMED_REASON),
    };
  if (hold) texts.hold = { ...hold, reason: at(hold.reason, TIMED_HOLD) };
  return texts;
}

/** Distinct content hashes: 64 lower-case hex digits as 32 bytes, others as they came. */
class Hashes {
  private readonly chunks: PagedChunks<Buffer<ArrayBuffer>>;
  private count = 0;
  private readonly others: string[] = [];
  private readonly otherIndex = new Map<string, number>();
  /**
   * Open addressing over all 32 bytes: per slot the hash's mix and index + 1 (0 empty), so that
   * a probe reads a chunk only when the mixes match; let go of once built.
   */
  private slots: Uint32Array | undefined = new Uint32Array(2 << 10);
  private readonly scratch = Buffer.alloc(32);
  private lastText: string | undefined;
  private lastIndex = 0;

  constructor(options: PagerOptions) {
    this.chunks = new PagedChunks(CHUNK * 32, (buffer) => Buffer.from(buffer), {
      subject: "The plan's content hashes",
      ...options,
    });
  }

  get spilled(): boolean {
    return this.chunks.spilled;
  }

  /** How many distinct hashes (of 64 hex digits, and others). */
  get size(): number {
    return this.count + this.others.length;
  }

  /** A dense number of the hash index (0 to size - 1). */
  dense(index: number): number {
    return index >= 0x80000000 ? this.count + (index - 0x80000000) : index;
  }

  /** The index of the hash, or -1 when it has none. */
  indexOf(text: string): number {
    return this.find(text, false);
  }

  /** The index of the hash, added if new. Others are numbered from 2^31. */
  index(text: string): number {
    if (text === this.lastText) return this.lastIndex;
    const index = this.find(text, true);
    this.lastText = text;
    this.lastIndex = index;
    return index;
  }

  text(index: number): string {
    if (index >= 0x80000000) return this.others[index - 0x80000000] as string;
    const chunk = this.chunks.get(index >>> BITS);
    const at = (index & LOW) * 32;
    return chunk.toString('hex', at, at + 32);
  }

  private find(text: string, add: boolean): number {
    if (text.length !== 64 || !/^[0-9a-f]{64}$/.test(text)) {
      let other = this.otherIndex.get(text);
      if (other === undefined && add) {
        other = this.others.push(text) - 1;
        this.otherIndex.set(text, other);
      }
      return other === undefined ? -1 : other + 0x80000000;
    }
    const bytes = this.scratch;
    bytes.write(text, 'hex');
    // Rebuilt when a hash is looked up after the table was built (an entry replaced).
    const slots = this.slots ?? this.rebuild();
    const mask = (slots.length >>> 1) - 1;
    const h = mix(bytes, 0);
    let at = h & mask;
    for (;;) {
      const slot = slots[2 * at + 1] as number;
      if (slot === 0) break;
      if (slots[2 * at] === h) {
        const i = slot - 1;
        const chunk = this.chunks.get(i >>> BITS);
        const start = (i & LOW) * 32;
        if (chunk.compare(bytes, 0, 32, start, start + 32) === 0) return i;
      }
      at = (at + 1) & mask;
    }
    if (!add) return -1;
    const i = this.count++;
    if ((i & LOW) === 0) this.chunks.add(Buffer.from(new ArrayBuffer(CHUNK * 32)));
    bytes.copy(this.chunks.write(i >>> BITS), (i & LOW) * 32);
    slots[2 * at] = h;
    slots[2 * at + 1] = i + 1;
    if (this.count * 4 > (slots.length >>> 1) * 3) this.grow(slots);
    return i;
  }

  /** Set when another table looks hashes up through this one: `seal` then keeps the look-up. */
  shared = false;

  /** Lets go of the look-up (some 8 bytes a hash) once the table is built. */
  seal(): void {
    this.lastText = undefined;
    if (!this.shared) this.slots = undefined;
  }

  /** Twice the slots, placed again by the mixes they keep (no chunk is read). */
  private grow(old: Uint32Array): void {
    const slots = new Uint32Array(old.length * 2);
    const mask = (slots.length >>> 1) - 1;
    for (let k = 0; k < old.length; k += 2) {
      const slot = old[k + 1] as number;
      if (slot === 0) continue;
      const h = old[k] as number;
      let at = h & mask;
      while (slots[2 * at + 1] !== 0) at = (at + 1) & mask;
      slots[2 * at] = h;
      slots[2 * at + 1] = slot;
    }
    this.slots = slots;
  }

  /** The look-up again after `seal` (an entry's content replaced): the chunks read in order. */
  private rebuild(): Uint32Array {
    let size = 1 << 10;
    while (this.count * 4 > size * 3) size *= 2;
    const slots = new Uint32Array(size * 2);
    const mask = size - 1;
    for (let i = 0; i < this.count; i++) {
      const h = mix(this.chunks.get(i >>> BITS), (i & LOW) * 32);
      let at = h & mask;
      while (slots[2 * at + 1] !== 0) at = (at + 1) & mask;
      slots[2 * at] = h;
      slots[2 * at + 1] = i + 1;
    }
    this.slots = slots;
    return slots;
  }
}

/** The state's record of a message as the plan shows it; `contentHash` the entry's when equal (one string). */
export function previousOf(state: MessageState, contentHash?: string): PreviousRecord {
  const previous: PreviousRecord = {
    contentHash: state.contentHash === contentHash ? contentHash : state.contentHash,
    outcome: state.outcome,
    bulkId: state.bulkId,
    sentAt: state.sentAt,
  };
  if (state.writtenHash !== undefined) previous.writtenHash = state.writtenHash;
  if (state.test) previous.test = true;
  if (state.status) previous.statusName = state.status.name;
  if (state.error !== undefined) previous.error = state.error;
  else if (state.httpStatus !== undefined) previous.error = `HTTP ${state.httpStatus}`;
  return previous;
}

export class EntryTable extends IndexedEntries implements WritableEntries {
  private readonly chunks: PagedChunks<Chunk>;
  private count = 0;
  private readonly hashes: Hashes;
  /** (spec, revision) pairs, and their index by `spec\0revision`. */
  private readonly keys: Array<[string, number]> = [];
  private readonly keyIndex = new Map<string, number>();
  private readonly extras: Extra[] = [{ timed: 0 }];
  private readonly extraIndex = new Map<string, number>();
  /** Per row, the time its extra's texts end with (ms): made when the first is written, paged. */
  private times: PagedChunks<Float64Array<ArrayBuffer>> | undefined;
  /** The last text found to end with a time, and that time (the policy gives one text to many). */
  private lastTimed: string | undefined;
  private lastTimedAt = Number.NaN;
  /** A time as toISOString writes it (rows next to each other often share one). */
  private readonly isoOf = isoWriter();
  private readonly otherIds = new Map<number, string>();
  private readonly otherPhones = new Map<number, string>();
  private readonly objectVars = new Map<number, Readonly<Record<string, string>>>();
  /** Physical rows read first, ascending (seeds before every other entry); the rest keep their order. */
  private front: number[] = [];
  /**
   * messageId look-up while the table is built: per slot the id's hash and physical row + 1 (0
   * empty). Made on the first `has` or `absent`, from the rows in order (not while compile streams
   * in, when the duplicate check of the numbers holds as much), and dropped by `seal`.
   */
  private slots: Uint32Array | undefined;
  private sealed = false;

  /**
   * `states`: where an entry's `previous` is read from (the state the plan was made against).
   * `pages`: where full chunks spill and how many stay in memory.
   */
  constructor(
    private readonly states: Pick<MessageStates, 'get'>,
    private readonly pages: PagerOptions = {},
  ) {
    super();
    this.chunks = new PagedChunks(CHUNK_BYTES, (buffer) => new Chunk(buffer), {
      subject: "The plan's entries",
      ...pages,
    });
    this.hashes = new Hashes(pages);
  }

  /** Whether any page of the table went to a page file. */
  get spilled(): boolean {
    return this.chunks.spilled || this.hashes.spilled || (this.times?.spilled ?? false);
  }

  get length(): number {
    return this.count;
  }

  /** Appends a compiled message's entry without building it (classify's path). */
  append(
    action: PlanAction,
    messageId: string,
    spec: string,
    revision: number,
    phoneNumber: string,
    contentHash: string | undefined,
    vars: number | undefined,
    hasPrevious: boolean,
    seed: boolean,
  ): void {
    const row = this.count++;
    const c = (row & LOW) === 0 ? this.chunks.add(new Chunk()) : this.chunks.write(row >>> BITS);
    const j = row & LOW;
    c.kind[j] = (ACTION_CODES.get(action) ?? 0) | (seed ? SEED : 0) | (hasPrevious ? PREVIOUS : 0);
    c.key[j] = this.keyOf(spec, revision);
    this.writeId(c, j, row, messageId);
    this.writePhone(c, j, row, phoneNumber);
    c.content[j] = contentHash === undefined ? NO_CONTENT : this.hashes.index(contentHash);
    c.vars[j] = vars ?? NO_VARS;
    c.extra[j] = 0;
    this.index(row, c, j);
  }

  /** Appends an entry as it is (its `previous` must be the state's record of its messageId). */
  push(entry: PlanEntry): void {
    this.append(
      entry.action,
      entry.messageId,
      entry.spec,
      entry.revision,
      entry.phoneNumber,
      entry.action === 'orphan' ? undefined : entry.contentHash,
      undefined,
      entry.previous !== undefined,
      false,
    );
    this.write(this.count - 1, entry);
  }

  /** Whether an entry has this messageId (while the table is built). */
  has(messageId: string): boolean {
    const slots = this.lookUp();
    const probe = this.probe;
    const otherProbe = parseUuid(messageId, probe, 0) ? undefined : messageId;
    const mask = (slots.length >>> 1) - 1;
    const h = this.slotOf(probe, otherProbe);
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const slot = slots[2 * at + 1] as number;
      if (slot === 0) return false;
      if (slots[2 * at] === h && this.sameId(slot - 1, probe, otherProbe)) return true;
    }
  }

  /**
   * Of `items` (their messageIds), those no entry has, with their number in the iteration (while
   * the table is built). An id whose hash matches an entry's is confirmed against that entry's
   * page later, a batch at a time in row order: the pages are read in order, whatever the order
   * of the ids (the state's messages need not be in the plan's). `items` is iterated again, in
   * the same order, only for ids whose hash matched but not their bytes (rare).
   */
  *absent<T>(items: () => Iterable<T>, idOf: (item: T) => string): Generator<[number, T]> {
    const slots = this.lookUp();
    const mask = (slots.length >>> 1) - 1;
    const probe = this.probe;
    // Per candidate: the row whose hash matched, the id's words and the item's number.
    const rows = new Uint32Array(ABSENT_BATCH);
    const words = new Uint32Array(ABSENT_BATCH * 4);
    const numbers = new Float64Array(ABSENT_BATCH);
    let count = 0;
    const unconfirmed: number[] = [];
    const confirm = () => {
      // In row order: row × 2^20 + candidate (fewer than 2^20 of them).
      const order = new Float64Array(count);
      for (let k = 0; k < count; k++) order[k] = (rows[k] as number) * ABSENT_BATCH + k;
      order.sort();
      const found = new Uint8Array(count);
      for (let o = 0; o < count; o++) {
        const key = order[o] as number;
        const k = key % ABSENT_BATCH;
        const row = (key - k) / ABSENT_BATCH;
        const c = this.chunks.get(row >>> BITS);
        probe.set(words.subarray(k * 4, k * 4 + 4));
        if (sameUuidWords(c.ids, (row & LOW) * 4, probe)) found[k] = 1;
      }
      // An item's candidates are next to each other: absent when none of them was its id.
      for (let k = 0; k < count;) {
        const item = numbers[k] as number;
        let any = false;
        for (; k < count && numbers[k] === item; k++) any ||= found[k] === 1;
        if (!any) unconfirmed.push(item);
      }
      count = 0;
    };
    let number = -1;
    for (const item of items()) {
      number++;
      const id = idOf(item);
      const other = parseUuid(id, probe, 0) ? undefined : id;
      const h = this.slotOf(probe, other);
      let candidates = 0;
      let present = false;
      for (let at = h & mask; ; at = (at + 1) & mask) {
        const slot = slots[2 * at + 1] as number;
        if (slot === 0) break;
        if (slots[2 * at] !== h) continue;
        const row = slot - 1;
        const stored = this.otherIds.size > 0 ? this.otherIds.get(row) : undefined;
        if (other !== undefined || stored !== undefined) {
          // Not a UUID on one side: compared without the page.
          if (stored === other) present = true;
          continue;
        }
        if (count + candidates === ABSENT_BATCH) {
          // More entries of its hash than a batch holds (never seen): compared at once.
          if (this.sameId(row, probe, undefined)) present = true;
          continue;
        }
        rows[count + candidates] = row;
        words.set(probe, (count + candidates) * 4);
        numbers[count + candidates] = number;
        candidates++;
      }
      if (present) continue;
      if (candidates === 0) yield [number, item];
      else {
        count += candidates;
        if (count > ABSENT_BATCH - 64) confirm();
      }
    }
    confirm();
    if (unconfirmed.length === 0) return;
    let next = 0;
    let n = -1;
    for (const item of items()) {
      n++;
      if (n !== unconfirmed[next]) continue;
      yield [n, item];
      if (++next === unconfirmed.length) return;
    }
  }

  /** Ends building: the messageId and content hash look-ups are let go of. */
  seal(): void {
    this.slots = undefined;
    this.sealed = true;
    this.hashes.seal();
  }

  /** Reads the seeds' test messages before all other entries, each group in its order. */
  moveSeedsFirst(): void {
    const rows: number[] = [];
    for (let n = 0; n < this.chunks.length; n++) {
      const kinds = this.chunks.get(n).kind;
      const end = Math.min(CHUNK, this.count - n * CHUNK);
      for (let j = 0; j < end; j++) if ((kinds[j] as number) & SEED) rows.push(n * CHUNK + j);
    }
    this.front = rows.length === this.count ? [] : rows;
  }

  at(index: number): PlanEntry | undefined {
    const i = index < 0 ? index + this.count : index;
    if (!(i >= 0 && i < this.count)) return undefined;
    return this.build(this.physical(i));
  }

  set(index: number, entry: PlanEntry): void {
    if (!(index >= 0 && index < this.count)) throw new RangeError(`no plan entry ${index}`);
    const row = this.physical(index);
    const c = this.chunks.write(row >>> BITS);
    const j = row & LOW;
    c.kind[j] =
      (ACTION_CODES.get(entry.action) ?? 0) | (entry.previous !== undefined ? PREVIOUS : 0);
    c.key[j] = this.keyOf(entry.spec, entry.revision);
    this.otherIds.delete(row);
    this.writeId(c, j, row, entry.messageId);
    this.otherPhones.delete(row);
    this.writePhone(c, j, row, entry.phoneNumber);
    const content = c.content[j] as number;
    // The policy keeps an entry's content: its hash is not looked up (the look-up is let go of).
    c.content[j] =
      entry.action === 'orphan'
        ? NO_CONTENT
        : content !== NO_CONTENT && this.hashes.text(content) === entry.contentHash
          ? content
          : this.hashes.index(entry.contentHash);
    this.write(row, entry);
  }

  /**
   * The content hashes' numbers, for the plan's contents to look them up by instead of a look-up
   * of their own (ten million distinct contents: some 64 MiB less). Kept past `seal`.
   */
  get contentNumbers(): HashNumbers {
    const hashes = this.hashes;
    hashes.shared = true;
    return { number: (hash) => hashes.index(hash), numberOf: (hash) => hashes.indexOf(hash) };
  }

  /**
   * How many distinct holds and moves (reasons, sendAts) the entries keep, each once: what grows
   * with the policy's distinct texts, not with the times they end with.
   */
  get extrasKept(): number {
    return this.extras.length - 1;
  }

  /** How many distinct content hashes the entries have. */
  get contents(): number {
    return this.hashes.size;
  }

  /**
   * A number from 0 to `contents` - 1 of the entry's content hash (-1 for none), without building
   * the entry: counting distinct contents needs no set of strings.
   */
  contentIdAt(index: number): number {
    const row = this.physical(index);
    const content = this.chunks.get(row >>> BITS).content[row & LOW] as number;
    return content === NO_CONTENT ? -1 : this.hashes.dense(content);
  }

  // --- rows ---

  private readonly probe = new Uint32Array(4);
  /** Slots of the messageId look-up are seeded per table: ids a recipient file chose cannot pile up. */
  private readonly seed = randomBytes(4).readUInt32LE(0);

  /** The physical row of logical index i: the front rows first, then the others in order. */
  private physical(i: number): number {
    const front = this.front;
    const n = front.length;
    if (n === 0) return i;
    if (i < n) return front[i] as number;
    const target = i - n;
    // The target-th row (0-based) not in front: p - (front rows ≤ p) = target.
    let p = target;
    for (;;) {
      const next = target + countAtMost(front, p);
      if (next === p) break;
      p = next;
    }
    return p;
  }

  private build(row: number): PlanEntry {
    const c = this.chunks.get(row >>> BITS);
    const j = row & LOW;
    const kind = c.kind[j] as number;
    const action = PLAN_ACTIONS[kind & ACTION_MASK] as PlanAction;
    const messageId =
      (this.otherIds.size > 0 ? this.otherIds.get(row) : undefined) ?? uuidOfWords(c.ids, j * 4);
    const [spec, revision] = this.keys[c.key[j] as number] as [string, number];
    const digits = c.phone[j] as number;
    const phoneNumber = Number.isNaN(digits)
      ? (this.otherPhones.get(row) as string)
      : digits < 0
        ? `+${-digits}`
        : `${digits}`;
    // Fields in the order classify and the policy gave them (JSON outputs are compared byte for byte).
    const entry: Record<string, unknown> = { action, messageId, spec, revision, phoneNumber };
    const content = c.content[j] as number;
    const contentHash = content === NO_CONTENT ? undefined : this.hashes.text(content);
    if (contentHash !== undefined) entry.contentHash = contentHash;
    const vars = c.vars[j] as number;
    if (vars >= 0) entry.vars = vars;
    else if (vars === OBJECT_VARS) entry.vars = this.objectVars.get(row);
    if (kind & PREVIOUS) {
      const state = this.states.get(messageId);
      if (!state) throw new Error(`plan entry ${messageId}: the state has no record of it`);
      entry.previous = previousOf(state, contentHash);
    }
    if (kind & SEED) entry.seed = true;
    const extra = c.extra[j] as number;
    if (extra !== 0) {
      const kept = this.extras[extra] as Extra;
      const time = kept.timed === 0 ? '' : this.timeOf(row);
      const { shift, hold } = changeTimed(kept, kept.timed, (text) => text + time);
      if (shift) entry.shift = shift;
      if (hold) entry.hold = hold;
    }
    const stage = STAGES[(kind & STAGE_MASK) >> STAGE_SHIFT];
    if (stage !== undefined) entry.stage = stage;
    return entry as unknown as PlanEntry;
  }

  /** The fields beyond the identity: vars, seed, stage, shift, hold. */
  private write(row: number, entry: PlanEntry): void {
    const c = this.chunks.write(row >>> BITS);
    const j = row & LOW;
    this.objectVars.delete(row);
    if (entry.action === 'orphan' || entry.vars === undefined) c.vars[j] = NO_VARS;
    else if (typeof entry.vars === 'number') c.vars[j] = entry.vars;
    else {
      c.vars[j] = OBJECT_VARS;
      this.objectVars.set(row, entry.vars);
    }
    let kind = (c.kind[j] as number) & (ACTION_MASK | PREVIOUS);
    if (entry.action !== 'orphan' && entry.seed) kind |= SEED;
    const stage = 'stage' in entry ? entry.stage : undefined;
    if (stage !== undefined) kind |= STAGES.indexOf(stage) << STAGE_SHIFT;
    c.kind[j] = kind;
    const shift = 'shift' in entry ? entry.shift : undefined;
    const hold = 'hold' in entry ? entry.hold : undefined;
    c.extra[j] = shift || hold ? this.extraOf(row, shift, hold) : 0;
  }

  private keyOf(spec: string, revision: number): number {
    const name = `${spec}\u0000${revision}`;
    let key = this.keyIndex.get(name);
    if (key === undefined) {
      key = this.keys.push([spec, revision]) - 1;
      this.keyIndex.set(name, key);
    }
    return key;
  }

  /** The number of the row's hold and shift, kept once; the time their texts end with in `times`. */
  private extraOf(row: number, shift: Shift | undefined, hold: HoldOf | undefined): number {
    // The time is the hold's reason's (the last rule that held it), else the shift's.
    let at = hold ? this.endTime(hold.reason) : Number.NaN;
    if (Number.isNaN(at) && shift) at = this.endTime(shift.reason);
    let timed = 0;
    if (!Number.isNaN(at)) {
      const time = this.isoOf(at);
      if (hold?.reason.endsWith(time)) timed |= TIMED_HOLD;
      if (shift?.reason.endsWith(time)) timed |= TIMED_REASON;
      if (shift?.sendAt.endsWith(time)) timed |= TIMED_SEND_AT;
      this.writeTime(row, at);
    }
    const cut = (text: string) => text.slice(0, text.length - ISO_LENGTH);
    const extra: Extra = { ...changeTimed({ shift, hold }, timed, cut), timed };
    const name = JSON.stringify([
      extra.shift?.sendAt,
      extra.shift?.reason,
      extra.hold?.was,
      extra.hold?.reason,
      timed,
    ]);
    let index = this.extraIndex.get(name);
    if (index === undefined) {
      index = this.extras.push(extra) - 1;
      this.extraIndex.set(name, index);
    }
    return index;
  }

  /** The time (ms) a text ends with, written as toISOString writes it; NaN when it does not. */
  private endTime(text: string): number {
    if (text === this.lastTimed) return this.lastTimedAt;
    const n = text.length;
    // A quick look first: most texts end with no time.
    if (n < ISO_LENGTH || text.charCodeAt(n - 1) !== 90 || text.charCodeAt(n - 14) !== 84)
      return Number.NaN;
    // Only a time written back the same (byte for byte) is kept as a number.
    const at = instantOf(text.slice(n - ISO_LENGTH));
    if (Number.isNaN(at)) return at;
    this.lastTimed = text;
    this.lastTimedAt = at;
    return at;
  }

  private writeTime(row: number, at: number): void {
    this.times ??= new PagedChunks(CHUNK * 8, (buffer) => new Float64Array(buffer), {
      subject: "The plan's times",
      ...this.pages,
    });
    const n = row >>> BITS;
    while (this.times.length <= n) this.times.add(new Float64Array(CHUNK));
    this.times.write(n)[row & LOW] = at;
  }

  /** The time the row's extra's texts end with, as they write it. */
  private timeOf(row: number): string {
    const times = this.times as PagedChunks<Float64Array<ArrayBuffer>>;
    return this.isoOf(times.get(row >>> BITS)[row & LOW] as number);
  }

  private writeId(c: Chunk, j: number, row: number, messageId: string): void {
    if (parseUuid(messageId, c.ids, j * 4)) return;
    c.ids.fill(0, j * 4, j * 4 + 4);
    this.otherIds.set(row, messageId);
  }

  private writePhone(c: Chunk, j: number, row: number, phoneNumber: string): void {
    if (NUMBER.test(phoneNumber)) {
      c.phone[j] =
        phoneNumber.charCodeAt(0) === 43 ? -Number(phoneNumber.slice(1)) : Number(phoneNumber);
      return;
    }
    c.phone[j] = Number.NaN;
    this.otherPhones.set(row, phoneNumber);
  }

  // --- messageId look-up while building ---

  private slotOf(words: Uint32Array, other: string | undefined): number {
    if (other === undefined) return hashUuidWords(words, 0, this.seed);
    let h = 0x811c9dc5;
    for (let i = 0; i < other.length; i++) h = Math.imul(h ^ other.charCodeAt(i), 0x01000193);
    return h >>> 0;
  }

  private sameId(row: number, words: Uint32Array, other: string | undefined): boolean {
    const stored = this.otherIds.size > 0 ? this.otherIds.get(row) : undefined;
    if (other !== undefined || stored !== undefined) return stored === other;
    return sameUuidWords(this.chunks.get(row >>> BITS).ids, (row & LOW) * 4, words);
  }

  /** The messageId look-up, made from the rows in order if not yet (sized once: no doubling). */
  private lookUp(): Uint32Array {
    if (this.sealed) throw new Error('entry table: sealed');
    if (this.slots) return this.slots;
    let size = 1 << 10;
    while (this.count * 4 > size * 3) size *= 2;
    const slots = new Uint32Array(size * 2);
    const mask = size - 1;
    const words = new Uint32Array(4);
    for (let row = 0; row < this.count; row++) {
      const c = this.chunks.get(row >>> BITS);
      const j = row & LOW;
      const other = this.otherIds.size > 0 ? this.otherIds.get(row) : undefined;
      words.set(c.ids.subarray(j * 4, j * 4 + 4));
      const h = this.slotOf(words, other);
      let at = h & mask;
      for (; slots[2 * at + 1] !== 0; at = (at + 1) & mask) {
        // Compile makes one messageId per spec and number: two rows of one id would send it twice.
        if (slots[2 * at] === h && this.sameId((slots[2 * at + 1] as number) - 1, words, other))
          throw new Error(
            `plan entries ${row} and ${(slots[2 * at + 1] as number) - 1}: one messageId`,
          );
      }
      slots[2 * at] = h;
      slots[2 * at + 1] = row + 1;
    }
    this.slots = slots;
    return slots;
  }

  /** Puts the new row (in chunk c at j) in the look-up once it is made; twice the slots when 3/4 full. */
  private index(row: number, c: Chunk, j: number): void {
    const slots = this.slots;
    if (!slots) return;
    const other = this.otherIds.size > 0 ? this.otherIds.get(row) : undefined;
    place(slots, this.slotOf(c.ids.subarray(j * 4, j * 4 + 4), other), row + 1);
    if (this.count * 4 > (slots.length >>> 1) * 3) {
      // Placed again by the hashes the slots keep: no chunk is read.
      const grown = new Uint32Array(slots.length * 2);
      for (let k = 0; k < slots.length; k += 2)
        if (slots[k + 1] !== 0) place(grown, slots[k] as number, slots[k + 1] as number);
      this.slots = grown;
    }
  }
}

/** Puts (hash, value) in the first free slot from the hash's (linear probing over pairs). */
function place(slots: Uint32Array, h: number, value: number): void {
  const mask = (slots.length >>> 1) - 1;
  let at = h & mask;
  while (slots[2 * at + 1] !== 0) at = (at + 1) & mask;
  slots[2 * at] = h;
  slots[2 * at + 1] = value;
}

/** A slot number from all 32 bytes of a hash (not only its first: any hash spreads over the slots). */
function mix(bytes: Buffer, at: number): number {
  let h = 0;
  for (let i = 0; i < 32; i += 4) h = Math.imul(h ^ bytes.readUInt32LE(at + i), 0x9e3779b1);
  return (h ^ (h >>> 15)) >>> 0;
}

/** How many of the ascending rows are ≤ p. */
function countAtMost(rows: readonly number[], p: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((rows[mid] as number) <= p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether the list is the compact table (its entries are copies). */
export function isEntryTable(entries: EntryList): entries is EntryTable {
  return entries instanceof EntryTable;
}
