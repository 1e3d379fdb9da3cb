import { randomBytes } from 'node:crypto';
import { hashUuidWords, parseUuid, sameUuidWords, uuidOfWords } from '../state/message-table.js';
import type { MessageState, MessageStates } from '../state/types.js';
import { IndexedEntries, type EntryList, type WritableEntries } from './entry-list.js';
import {
  PLAN_ACTIONS,
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
 * are kept as they came in maps.
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

/** Content column: no content (an orphan). */
const NO_CONTENT = 0xffffffff;
/** Vars column: none; an object kept in `objectVars`. */
const NO_VARS = -1;
const OBJECT_VARS = -2;

/** A number as compile writes it (digits, no leading zero; `+` kept as the sign of the column). */
const NUMBER = /^\+?[1-9][0-9]{0,14}$/;

class Chunk {
  readonly kind = new Uint8Array(CHUNK);
  readonly key = new Uint32Array(CHUNK);
  readonly ids = new Uint32Array(CHUNK * 4);
  readonly phone = new Float64Array(CHUNK);
  readonly content = new Uint32Array(CHUNK);
  readonly vars = new Int32Array(CHUNK);
  readonly extra = new Uint32Array(CHUNK);
}

/** What the policy added to an entry: held (and why), moved to another sendAt. Kept once per value. */
interface Extra {
  hold?: { was: 'send' | 'retry'; reason: string };
  shift?: Shift;
}

/** Distinct content hashes: 64 lower-case hex digits as 32 bytes, others as they came. */
class Hashes {
  private readonly chunks: Buffer[] = [];
  private count = 0;
  private readonly others: string[] = [];
  private readonly otherIndex = new Map<string, number>();
  /** Open addressing over all 32 bytes: index + 1 per slot, 0 empty; let go of once built. */
  private slots: Uint32Array | undefined = new Uint32Array(1 << 10);
  private readonly scratch = Buffer.alloc(32);
  private lastText: string | undefined;
  private lastIndex = 0;

  /** How many distinct hashes (of 64 hex digits, and others). */
  get size(): number {
    return this.count + this.others.length;
  }

  /** A dense number of the hash index (0 to size - 1). */
  dense(index: number): number {
    return index >= 0x80000000 ? this.count + (index - 0x80000000) : index;
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
    const chunk = this.chunks[index >>> BITS] as Buffer;
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
    const slots = this.slots ?? this.grow(1 << 10);
    const mask = slots.length - 1;
    let at = mix(bytes, 0) & mask;
    for (;;) {
      const slot = slots[at] as number;
      if (slot === 0) break;
      const i = slot - 1;
      const chunk = this.chunks[i >>> BITS] as Buffer;
      const start = (i & LOW) * 32;
      if (chunk.compare(bytes, 0, 32, start, start + 32) === 0) return i;
      at = (at + 1) & mask;
    }
    if (!add) return -1;
    const i = this.count++;
    if ((i & LOW) === 0) this.chunks.push(Buffer.allocUnsafeSlow(CHUNK * 32));
    bytes.copy(this.chunks[i >>> BITS] as Buffer, (i & LOW) * 32);
    if (this.count * 4 > slots.length * 3) this.grow(slots.length * 2);
    else slots[at] = i + 1;
    return i;
  }

  /** Lets go of the look-up (some 8 bytes a hash) once the table is built. */
  seal(): void {
    this.slots = undefined;
    this.lastText = undefined;
  }

  private grow(least: number): Uint32Array {
    let size = least;
    while (this.count * 4 > size * 3) size *= 2;
    const slots = new Uint32Array(size);
    const mask = size - 1;
    for (let i = 0; i < this.count; i++) {
      const chunk = this.chunks[i >>> BITS] as Buffer;
      let at = mix(chunk, (i & LOW) * 32) & mask;
      while (slots[at] !== 0) at = (at + 1) & mask;
      slots[at] = i + 1;
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
  private readonly chunks: Chunk[] = [];
  private count = 0;
  private readonly hashes = new Hashes();
  /** (spec, revision) pairs, and their index by `spec\0revision`. */
  private readonly keys: Array<[string, number]> = [];
  private readonly keyIndex = new Map<string, number>();
  private readonly extras: Extra[] = [{}];
  private readonly extraIndex = new Map<string, number>();
  private readonly otherIds = new Map<number, string>();
  private readonly otherPhones = new Map<number, string>();
  private readonly objectVars = new Map<number, Readonly<Record<string, string>>>();
  /** Physical rows read first, ascending (seeds before every other entry); the rest keep their order. */
  private front: number[] = [];
  /** messageId look-up while the table is built (dropped by `seal`): physical row + 1 per slot. */
  private slots: Uint32Array | undefined = new Uint32Array(1 << 10);

  /** `states`: where an entry's `previous` is read from (the state the plan was made against). */
  constructor(private readonly states: Pick<MessageStates, 'get'>) {
    super();
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
    if ((row & LOW) === 0) this.chunks.push(new Chunk());
    const c = this.chunks[row >>> BITS] as Chunk;
    const j = row & LOW;
    c.kind[j] = (ACTION_CODES.get(action) ?? 0) | (seed ? SEED : 0) | (hasPrevious ? PREVIOUS : 0);
    c.key[j] = this.keyOf(spec, revision);
    this.writeId(c, j, row, messageId);
    this.writePhone(c, j, row, phoneNumber);
    c.content[j] = contentHash === undefined ? NO_CONTENT : this.hashes.index(contentHash);
    c.vars[j] = vars ?? NO_VARS;
    c.extra[j] = 0;
    this.index(row);
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
    const slots = this.slots;
    if (!slots) throw new Error('entry table: sealed');
    const probe = this.probe;
    const otherProbe = parseUuid(messageId, probe, 0) ? undefined : messageId;
    const mask = slots.length - 1;
    for (let at = this.slotOf(probe, otherProbe) & mask; ; at = (at + 1) & mask) {
      const slot = slots[at] as number;
      if (slot === 0) return false;
      if (this.sameId(slot - 1, probe, otherProbe)) return true;
    }
  }

  /** Ends building: the messageId and content hash look-ups are let go of. */
  seal(): void {
    this.slots = undefined;
    this.hashes.seal();
  }

  /** Reads the seeds' test messages before all other entries, each group in its order. */
  moveSeedsFirst(): void {
    const rows: number[] = [];
    for (let row = 0; row < this.count; row++) {
      const kind = (this.chunks[row >>> BITS] as Chunk).kind[row & LOW] as number;
      if (kind & SEED) rows.push(row);
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
    const c = this.chunks[row >>> BITS] as Chunk;
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
    const content = (this.chunks[row >>> BITS] as Chunk).content[row & LOW] as number;
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
    const c = this.chunks[row >>> BITS] as Chunk;
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
      const { shift, hold } = this.extras[extra] as Extra;
      if (shift) entry.shift = { ...shift };
      if (hold) entry.hold = { ...hold };
    }
    const stage = STAGES[(kind & STAGE_MASK) >> STAGE_SHIFT];
    if (stage !== undefined) entry.stage = stage;
    return entry as unknown as PlanEntry;
  }

  /** The fields beyond the identity: vars, seed, stage, shift, hold. */
  private write(row: number, entry: PlanEntry): void {
    const c = this.chunks[row >>> BITS] as Chunk;
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
    c.extra[j] =
      shift || hold ? this.extraOf({ ...(shift ? { shift } : {}), ...(hold ? { hold } : {}) }) : 0;
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

  private extraOf(extra: Extra): number {
    const name = JSON.stringify([
      extra.shift?.sendAt,
      extra.shift?.reason,
      extra.hold?.was,
      extra.hold?.reason,
    ]);
    let index = this.extraIndex.get(name);
    if (index === undefined) {
      index = this.extras.push(extra) - 1;
      this.extraIndex.set(name, index);
    }
    return index;
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
    return sameUuidWords((this.chunks[row >>> BITS] as Chunk).ids, (row & LOW) * 4, words);
  }

  private index(row: number): void {
    if (!this.slots) return;
    if (this.count * 4 > this.slots.length * 3) {
      this.slots = new Uint32Array(this.slots.length * 2);
      for (let r = 0; r < this.count; r++) this.place(r);
    } else this.place(row);
  }

  private place(row: number): void {
    const slots = this.slots as Uint32Array;
    const c = this.chunks[row >>> BITS] as Chunk;
    const other = this.otherIds.size > 0 ? this.otherIds.get(row) : undefined;
    const words = c.ids.subarray((row & LOW) * 4, (row & LOW) * 4 + 4);
    const mask = slots.length - 1;
    let at = this.slotOf(words, other) & mask;
    while (slots[at] !== 0) at = (at + 1) & mask;
    slots[at] = row + 1;
  }
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
