/**
 * A set of normalised phone numbers (international digits, at most 15, no leading zero) held as
 * numbers in Float64Arrays: every such number is exact below 2^53, so equal numbers are equal
 * doubles. Each number also keeps two small tags of the caller's (where it was first listed, a
 * hash of its vars): 20 bytes a number in columns that grow a chunk at a time, and 4 to 8 bytes
 * of index (ten million numbers in some 270 MB, where a table of 20-byte slots at most half
 * full took 670 MB, and twice that while it grew).
 */
const DIGITS = /^[1-9]\d{0,14}$/;

export interface PhoneTags {
  /** An integer below 2^53. */
  where: number;
  /** An unsigned 32-bit integer. */
  hash: number;
}

/** Numbers per chunk of the columns: they grow a chunk at a time, never copied. */
const BITS = 12;
const CHUNK = 1 << BITS;
const LOW = CHUNK - 1;

export class PhoneSet {
  /** Each number, its first place and its vars' hash, in the order added (chunks of CHUNK). */
  private readonly values: Float64Array[] = [];
  private readonly wheres: Float64Array[] = [];
  private readonly hashes: Uint32Array[] = [];
  /** Open addressing over the numbers: index + 1 per slot, 0 empty; at most 3/4 full. */
  private slots = new Uint32Array(1 << 10);
  private count = 0;

  /** Adds `phoneNumber`; false when it was already there. */
  add(phoneNumber: string): boolean {
    return this.addTagged(phoneNumber, { where: 0, hash: 0 }) === undefined;
  }

  /** Adds `phoneNumber` with its tags; when it was already there, the tags it was first added with. */
  addTagged(phoneNumber: string, tags: PhoneTags): PhoneTags | undefined {
    return this.addWith(phoneNumber, tags.where, tags.hash);
  }

  /** addTagged with the tags as two numbers: no object per number added (a million rows). */
  addWith(phoneNumber: string, where: number, hash: number): PhoneTags | undefined {
    // Not international digits (never from normalizePhoneNumber): refuse rather than guess.
    if (!DIGITS.test(phoneNumber))
      throw new RangeError(`not a normalised phone number: ${phoneNumber}`);
    return this.addValue(Number(phoneNumber), where, hash);
  }

  /** addWith of a number already held as a number (a pool worker's): an integer of at most 15 digits. */
  addValue(value: number, where: number, hash: number): PhoneTags | undefined {
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = PhoneSet.start(value) & mask;
    for (;;) {
      const slot = slots[i] as number;
      if (slot === 0) break;
      const k = slot - 1;
      if ((this.values[k >>> BITS] as Float64Array)[k & LOW] === value)
        return {
          where: (this.wheres[k >>> BITS] as Float64Array)[k & LOW] as number,
          hash: (this.hashes[k >>> BITS] as Uint32Array)[k & LOW] as number,
        };
      i = (i + 1) & mask;
    }
    const k = this.count++;
    if ((k & LOW) === 0) {
      this.values.push(new Float64Array(CHUNK));
      this.wheres.push(new Float64Array(CHUNK));
      this.hashes.push(new Uint32Array(CHUNK));
    }
    (this.values[k >>> BITS] as Float64Array)[k & LOW] = value;
    (this.wheres[k >>> BITS] as Float64Array)[k & LOW] = where;
    (this.hashes[k >>> BITS] as Uint32Array)[k & LOW] = hash;
    if (this.count * 4 > slots.length * 3) this.grow();
    else slots[i] = k + 1;
    return undefined;
  }

  get size(): number {
    return this.count;
  }

  /** Twice the slots, every number placed again (its value is in the columns). */
  private grow(): void {
    const slots = new Uint32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let k = 0; k < this.count; k++) {
      let i = PhoneSet.start((this.values[k >>> BITS] as Float64Array)[k & LOW] as number) & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = k + 1;
    }
    this.slots = slots;
  }

  /** A number's first slot, before the mask. */
  private static start(value: number): number {
    // Mix the low and high bits: numbers of one list often differ only in their last digits.
    return (
      Math.imul((value % 0x7fffffff) | 0, 0x9e3779b1) ^
      Math.imul(Math.floor(value / 0x7fffffff) | 0, 0x85ebca6b)
    );
  }
}
