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
