import { PagedChunks } from '../state/paged-chunks.js';
import type { PagerOptions } from '../state/pager.js';

/** A row of a plan's variable table: how an entry built by buildPlan names its values. */
export type VarsRow = number;

/** Bytes of a chunk of the table (a row larger than this gets a buffer of its own). */
const CHUNK = 1 << 20;
/** Rows per block of offsets. */
const BLOCK = 1 << 16;
const TWO_32 = 2 ** 32;

type Bytes = Buffer<ArrayBuffer>;

/** Where a variable's value of a row is: its bytes, start and end (start = end: none). */
interface Place {
  bytes: Bytes | undefined;
  start: number;
  end: number;
}

/**
 * The variable values of a plan's entries, one row per entry, as UTF-8 bytes in chunks: some 35
 * bytes per recipient of two short values, where an object of strings per entry takes 113 (and
 * keeps the line it was read from). Only the formats read it (a variable's values in a group);
 * JSON.stringify leaves it out, as a saved plan does. Full chunks of bytes and blocks of offsets
 * live in pagers (past a few in memory, in a page file), read in row order by every pass.
 */
export class VarsTable {
  /** Distinct lists of variable names, and their ids by names joined with NUL. */
  private readonly nameLists: string[][] = [];
  private readonly nameIds = new Map<string, number>();
  private lastNames: readonly string[] = [];
  private lastId = -1;
  /** Chunks of bytes; the one being written is the last. */
  private readonly chunks: PagedChunks<Bytes>;
  private pos = CHUNK;
  /** Rows larger than a chunk, each in a buffer of its own. */
  private readonly large: Bytes[] = [];
  /** Per row: chunk number × 2^32 + its offset in the chunk; -(n + 1) for the large row n. */
  private readonly offsets: PagedChunks<Float64Array<ArrayBuffer>>;
  private count = 0;

  /** `pages`: where full chunks spill and how many stay in memory. */
  constructor(pages: PagerOptions = {}) {
    const options = { subject: "The plan's variables", ...pages };
    this.chunks = new PagedChunks(CHUNK, (buffer) => Buffer.from(buffer), options);
    this.offsets = new PagedChunks(BLOCK * 8, (buffer) => new Float64Array(buffer), options);
  }

  get rows(): number {
    return this.count;
  }

  /** Whether any page went to a page file. */
  get spilled(): boolean {
    return this.chunks.spilled || this.offsets.spilled;
  }

  /** Adds the values of one entry; the row to name them by. */
  add(vars: Readonly<Record<string, string>>): VarsRow {
    const names = Object.keys(vars);
    const id = this.idOf(names);
    let need = 5;
    for (const name of names) need += 5 + (vars[name] ?? '').length * 3;
    let chunk: Bytes;
    let start: number;
    let where: number;
    if (need > CHUNK) {
      chunk = Buffer.from(new ArrayBuffer(need));
      start = 0;
      where = -(this.large.push(chunk) - 1) - 1;
    } else {
      const last = this.chunks.last;
      if (last === undefined || this.pos + need > CHUNK) {
        last?.fill(0, this.pos);
        this.chunks.add(Buffer.from(new ArrayBuffer(CHUNK)));
        this.pos = 0;
      }
      chunk = this.chunks.last as Bytes;
      start = this.pos;
      where = (this.chunks.length - 1) * TWO_32 + start;
    }
    const row = this.count++;
    if (row % BLOCK === 0) this.offsets.add(new Float64Array(BLOCK));
    (this.offsets.last as Float64Array)[row % BLOCK] = where;
    let at = writeVarint(chunk, start, id);
    for (const name of names) {
      const value = vars[name] ?? '';
      // Short values fit a one-byte length whatever their bytes (3 per UTF-16 unit at most).
      const bytes = value.length <= 42 ? -1 : Buffer.byteLength(value);
      if (bytes < 0) {
        const n = chunk.write(value, at + 1, 'utf8');
        chunk[at] = n;
        at += 1 + n;
      } else {
        at = writeVarint(chunk, at, bytes);
        at += chunk.write(value, at, 'utf8');
      }
    }
    if (where >= 0) this.pos = at;
    return row;
  }

  /** The values of a row, in the order they were added. */
  values(row: VarsRow): Record<string, string> {
    const pairs: Array<[string, string]> = [];
    this.read(row, (name, value) => {
      pairs.push([name, value]);
      return false;
    });
    // As compile makes them: no prototype only for a variable named __proto__ (a plain key then).
    const out = (pairs.some(([name]) => name === '__proto__') ? Object.create(null) : {}) as Record<
      string,
      string
    >;
    for (const [name, value] of pairs) out[name] = value;
    return out;
  }

  /** One variable's value in a row, if the row has it. */
  value(row: VarsRow, name: string): string | undefined {
    let found: string | undefined;
    this.read(row, (n, value) => {
      if (n !== name) return false;
      found = value;
      return true;
    });
    return found;
  }

  /**
   * Where one variable's value of a row is, as bytes: the chunk holding it (valid until the
   * table is read again), start and end (start = end for a row without it, no bytes); what
   * counting compares instead of decoding every value.
   */
  private locate(row: VarsRow, name: string): Place {
    const none: Place = { bytes: undefined, start: 0, end: 0 };
    const found = this.start(row);
    if (found === undefined) return none;
    const [chunk, from] = found;
    const [id, first] = readVarint(chunk, from);
    let at = first;
    for (const n of this.nameLists[id] ?? []) {
      const [length, start] = readVarint(chunk, at);
      at = start + length;
      if (n === name) return { bytes: chunk, start, end: at };
    }
    return none;
  }

  /** The chunk of a row and where it starts in it. */
  private start(row: VarsRow): [Bytes, number] | undefined {
    if (!Number.isInteger(row) || row < 0 || row >= this.count) return undefined;
    const n = Math.floor(row / BLOCK);
    const where = this.offsets.get(n)[row % BLOCK] ?? 0;
    if (where < 0) {
      const large = this.large[-where - 1];
      return large === undefined ? undefined : [large, 0];
    }
    const index = Math.floor(where / TWO_32);
    return [this.chunks.get(index), where % TWO_32];
  }

  /**
   * One variable's values over `rows` (-1, or a row without it: the empty value): how many
   * distinct values, and the `top` most frequent (ties: the first seen first). Counted over the
   * bytes (a hash, sorted, then compared), so that a million distinct values are not a million
   * strings in a Map: only the values listed are decoded. The rows are read in the order given
   * (twice: hashed, then the values sharing a hash told apart by their bytes), never at random.
   */
  countValues(
    rows: ArrayLike<number>,
    name: string,
    top: number,
  ): { top: Array<{ value: string; count: number }>; distinct: number } {
    const n = rows.length;
    const keys = new BigUint64Array(n);
    for (let k = 0; k < n; k++) {
      const { bytes, start, end } = this.locate(rows[k] ?? -1, name);
      let hash = 0x811c9dc5;
      if (bytes)
        for (let i = start; i < end; i++)
          hash = Math.imul(hash ^ (bytes[i] ?? 0), 0x01000193) >>> 0;
      keys[k] = (BigInt(hash) << 32n) | BigInt(k);
    }
    keys.sort();
    // Per row, its hash's group when other rows share the hash (-1: a value of its own).
    const groupOf = new Int32Array(n).fill(-1);
    let groups = 0;
    for (let i = 0; i < n;) {
      const hash = (keys[i] ?? 0n) >> 32n;
      let j = i + 1;
      while (j < n && (keys[j] ?? 0n) >> 32n === hash) j++;
      if (j - i > 1) {
        for (let m = i; m < j; m++) groupOf[Number((keys[m] ?? 0n) & 0xffffffffn)] = groups;
        groups++;
      }
      i = j;
    }
    // Kept in order: count descending, then first seen.
    const shown: Array<{ first: number; count: number }> = [];
    const offer = (first: number, count: number) => {
      const last = shown.at(-1);
      if (
        shown.length === top &&
        last &&
        (last.count > count || (last.count === count && last.first < first))
      )
        return;
      let at = shown.length;
      for (; at > 0; at--) {
        const before = shown[at - 1];
        if (!before || before.count > count || (before.count === count && before.first < first))
          break;
      }
      shown.splice(at, 0, { first, count });
      if (shown.length > top) shown.pop();
    };
    // The distinct values of a shared hash, each with a copy of its bytes (first seen first).
    const heads = new Int32Array(groups).fill(-1);
    const values = new Values();
    let distinct = 0;
    for (let k = 0; k < n; k++) {
      const group = groupOf[k] as number;
      if (group < 0) {
        distinct++;
        if (top > 0) offer(k, 1);
        continue;
      }
      const { bytes, start, end } = this.locate(rows[k] ?? -1, name);
      let v = heads[group] as number;
      let last = -1;
      while (v >= 0 && !values.same(v, bytes, start, end)) {
        last = v;
        v = values.next(v);
      }
      if (v >= 0) values.count(v);
      else {
        v = values.add(k, bytes, start, end);
        if (last < 0) heads[group] = v;
        else values.link(last, v);
      }
    }
    for (let v = 0; v < values.length; v++) {
      distinct++;
      if (top > 0) offer(values.first(v), values.countOf(v));
    }
    return {
      top: shown.map(({ first, count }) => {
        const { bytes, start, end } = this.locate(rows[first] ?? -1, name);
        return { value: bytes?.toString('utf8', start, end) ?? '', count };
      }),
      distinct,
    };
  }

  /** Left out of JSON: a plan's variable values are shown, never saved with it. */
  toJSON(): undefined {
    return undefined;
  }

  private read(row: VarsRow, each: (name: string, value: string) => boolean): void {
    const found = this.start(row);
    if (found === undefined) return;
    const [chunk, from] = found;
    const [id, next] = readVarint(chunk, from);
    let at = next;
    for (const name of this.nameLists[id] ?? []) {
      const [length, start] = readVarint(chunk, at);
      at = start + length;
      if (each(name, chunk.toString('utf8', start, at))) return;
    }
  }

  private idOf(names: readonly string[]): number {
    if (sameNames(names, this.lastNames)) return this.lastId;
    const key = names.join('\u0000');
    let id = this.nameIds.get(key);
    if (id === undefined) {
      id = this.nameLists.length;
      this.nameLists.push([...names]);
      this.nameIds.set(key, id);
    }
    this.lastNames = names;
    this.lastId = id;
    return id;
  }
}

/**
 * Distinct values told apart by their bytes (countValues' values of a shared hash): a copy of
 * each value's bytes, the row it was first seen at, how many, and the next of its hash.
 */
class Values {
  length = 0;
  private bytes = Buffer.alloc(1 << 10);
  private used = 0;
  private fields = new Uint32Array(4 * 64);
  private nexts = new Int32Array(64);

  add(first: number, bytes: Bytes | undefined, start: number, end: number): number {
    const v = this.length++;
    if (v === this.nexts.length) {
      const fields = new Uint32Array(this.fields.length * 2);
      fields.set(this.fields);
      this.fields = fields;
      const nexts = new Int32Array(this.nexts.length * 2);
      nexts.set(this.nexts);
      this.nexts = nexts;
    }
    const length = bytes ? end - start : 0;
    if (this.used + length > this.bytes.length) {
      const grown = Buffer.alloc(Math.max(this.bytes.length * 2, this.used + length));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    if (bytes) bytes.copy(this.bytes, this.used, start, end);
    this.fields.set([first, 1, this.used, this.used + length], v * 4);
    this.nexts[v] = -1;
    this.used += length;
    return v;
  }

  same(v: number, bytes: Bytes | undefined, start: number, end: number): boolean {
    const from = this.fields[v * 4 + 2] as number;
    const to = this.fields[v * 4 + 3] as number;
    const length = bytes ? end - start : 0;
    if (length !== to - from) return false;
    return length === 0 || (bytes as Bytes).compare(this.bytes, from, to, start, end) === 0;
  }

  next(v: number): number {
    return this.nexts[v] as number;
  }

  link(v: number, next: number): void {
    this.nexts[v] = next;
  }

  count(v: number): void {
    this.fields[v * 4 + 1] = (this.fields[v * 4 + 1] as number) + 1;
  }

  first(v: number): number {
    return this.fields[v * 4] as number;
  }

  countOf(v: number): number {
    return this.fields[v * 4 + 1] as number;
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function writeVarint(buf: Buffer, at: number, n: number): number {
  let rest = n;
  while (rest >= 0x80) {
    buf[at++] = (rest & 0x7f) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  buf[at++] = rest;
  return at;
}

function readVarint(buf: Buffer, from: number): [number, number] {
  let n = 0;
  let scale = 1;
  let at = from;
  for (;;) {
    const byte = buf[at++] ?? 0;
    n += (byte & 0x7f) * scale;
    if (byte < 0x80) return [n, at];
    scale *= 0x80;
  }
}
