/** A row of a plan's variable table: how an entry built by buildPlan names its values. */
export type VarsRow = number;

/** Bytes of a chunk of the table (a row larger than this gets a chunk of its own). */
const CHUNK = 1 << 20;
/** Rows per block of offsets. */
const BLOCK = 1 << 16;
const TWO_32 = 2 ** 32;

/**
 * The variable values of a plan's entries, one row per entry, as UTF-8 bytes in chunks: some 35
 * bytes per recipient of two short values, where an object of strings per entry takes 113 (and
 * keeps the line it was read from). Only the formats read it (a variable's values in a group);
 * JSON.stringify leaves it out, as a saved plan does.
 */
export class VarsTable {
  /** Distinct lists of variable names, and their ids by names joined with NUL. */
  private readonly nameLists: string[][] = [];
  private readonly nameIds = new Map<string, number>();
  private lastNames: readonly string[] = [];
  private lastId = -1;
  private readonly chunks: Buffer[] = [];
  private pos = CHUNK;
  /** Per row: chunk index × 2^32 + its offset in the chunk. */
  private readonly offsets: Float64Array[] = [];
  private count = 0;

  get rows(): number {
    return this.count;
  }

  /** Adds the values of one entry; the row to name them by. */
  add(vars: Readonly<Record<string, string>>): VarsRow {
    const names = Object.keys(vars);
    const id = this.idOf(names);
    let need = 5;
    for (const name of names) need += 5 + (vars[name] ?? '').length * 3;
    let chunk = this.chunks.at(-1);
    if (chunk === undefined || this.pos + need > chunk.length) {
      chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK, need));
      this.chunks.push(chunk);
      this.pos = 0;
    }
    const row = this.count++;
    const block = row % BLOCK === 0 ? this.newBlock() : this.offsets[this.offsets.length - 1];
    if (block === undefined) throw new Error('vars table: no block');
    block[row % BLOCK] = (this.chunks.length - 1) * TWO_32 + this.pos;
    let at = writeVarint(chunk, this.pos, id);
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
    this.pos = at;
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
   * Where one variable's value of a row is, as bytes: its chunk, start and end (start = end for a
   * row without it, chunk -1); what counting compares instead of decoding every value.
   */
  locate(row: VarsRow, name: string): { chunk: number; start: number; end: number } {
    const none = { chunk: -1, start: 0, end: 0 };
    if (!Number.isInteger(row) || row < 0 || row >= this.count) return none;
    const where = this.offsets[Math.floor(row / BLOCK)]?.[row % BLOCK] ?? 0;
    const index = Math.floor(where / TWO_32);
    const chunk = this.chunks[index];
    if (chunk === undefined) return none;
    const [id, first] = readVarint(chunk, where % TWO_32);
    let at = first;
    for (const n of this.nameLists[id] ?? []) {
      const [length, start] = readVarint(chunk, at);
      at = start + length;
      if (n === name) return { chunk: index, start, end: at };
    }
    return none;
  }

  /**
   * One variable's values over `rows` (-1, or a row without it: the empty value): how many
   * distinct values, and the `top` most frequent (ties: the first seen first). Counted over the
   * bytes (a hash, sorted, then compared), so that a million distinct values are not a million
   * strings in a Map: only the values listed are decoded.
   */
  countValues(
    rows: ArrayLike<number>,
    name: string,
    top: number,
  ): { top: Array<{ value: string; count: number }>; distinct: number } {
    const n = rows.length;
    const chunkOf = new Int32Array(n);
    const startOf = new Uint32Array(n);
    const endOf = new Uint32Array(n);
    const keys = new BigUint64Array(n);
    for (let k = 0; k < n; k++) {
      const where = this.locate(rows[k] ?? -1, name);
      chunkOf[k] = where.chunk;
      startOf[k] = where.start;
      endOf[k] = where.end;
      const bytes = this.chunks[where.chunk];
      let hash = 0x811c9dc5;
      if (bytes)
        for (let i = where.start; i < where.end; i++)
          hash = Math.imul(hash ^ (bytes[i] ?? 0), 0x01000193) >>> 0;
      keys[k] = (BigInt(hash) << 32n) | BigInt(k);
    }
    keys.sort();
    const same = (a: number, b: number): boolean => {
      const length = (endOf[a] ?? 0) - (startOf[a] ?? 0);
      if (length !== (endOf[b] ?? 0) - (startOf[b] ?? 0)) return false;
      if (length === 0) return true;
      const x = this.chunks[chunkOf[a] ?? -1];
      const y = this.chunks[chunkOf[b] ?? -1];
      if (!x || !y) return false;
      return x.compare(y, startOf[b], endOf[b], startOf[a], endOf[a]) === 0;
    };
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
    let distinct = 0;
    let i = 0;
    while (i < n) {
      const hash = (keys[i] ?? 0n) >> 32n;
      let j = i + 1;
      while (j < n && (keys[j] ?? 0n) >> 32n === hash) j++;
      // One hash, usually one value; members in first-seen order, split by their bytes.
      let members = [];
      for (let m = i; m < j; m++) members.push(Number((keys[m] ?? 0n) & 0xffffffffn));
      while (members.length > 0) {
        const first = members[0] ?? 0;
        const rest = [];
        let count = 0;
        for (const k of members) {
          if (same(first, k)) count++;
          else rest.push(k);
        }
        distinct++;
        if (top > 0) offer(first, count);
        members = rest;
      }
      i = j;
    }
    return {
      top: shown.map(({ first, count }) => ({
        value:
          this.chunks[chunkOf[first] ?? -1]?.toString('utf8', startOf[first], endOf[first]) ?? '',
        count,
      })),
      distinct,
    };
  }

  /** Left out of JSON: a plan's variable values are shown, never saved with it. */
  toJSON(): undefined {
    return undefined;
  }

  private read(row: VarsRow, each: (name: string, value: string) => boolean): void {
    if (!Number.isInteger(row) || row < 0 || row >= this.count) return;
    const where = this.offsets[Math.floor(row / BLOCK)]?.[row % BLOCK] ?? 0;
    const chunk = this.chunks[Math.floor(where / TWO_32)];
    if (chunk === undefined) return;
    let at = where % TWO_32;
    const [id, next] = readVarint(chunk, at);
    at = next;
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

  private newBlock(): Float64Array {
    const block = new Float64Array(BLOCK);
    this.offsets.push(block);
    return block;
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
