/**
 * A set of normalised phone numbers (international digits, at most 15, no leading zero) held as
 * numbers in one Float64Array: every such number is exact below 2^53, so equal numbers are equal
 * doubles. A million numbers cost 16 MiB here instead of a Set of a million strings. Each number
 * also keeps two small tags of the caller's (where it was first listed, a hash of its vars).
 */
const DIGITS = /^[1-9]\d{0,14}$/;

export interface PhoneTags {
  /** An integer below 2^53. */
  where: number;
  /** An unsigned 32-bit integer. */
  hash: number;
}

export class PhoneSet {
  private slots = new Float64Array(1 << 12);
  private wheres = new Float64Array(1 << 12);
  private hashes = new Uint32Array(1 << 12);
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
    const value = Number(phoneNumber);
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    const i = PhoneSet.find(this.slots, value);
    if (this.slots[i] === value)
      return { where: this.wheres[i] as number, hash: this.hashes[i] as number };
    this.slots[i] = value;
    this.wheres[i] = where;
    this.hashes[i] = hash;
    this.count++;
    return undefined;
  }

  get size(): number {
    return this.count;
  }

  private grow(): void {
    const [slots, wheres, hashes] = [this.slots, this.wheres, this.hashes];
    this.slots = new Float64Array(slots.length * 2);
    this.wheres = new Float64Array(slots.length * 2);
    this.hashes = new Uint32Array(slots.length * 2);
    // A plain loop: forEach's callback per slot cost more than the moves (half a million slots at 200,000).
    const next = this.slots;
    for (let j = 0; j < slots.length; j++) {
      const value = slots[j] as number;
      if (value === 0) continue;
      const i = PhoneSet.find(next, value);
      next[i] = value;
      this.wheres[i] = wheres[j] as number;
      this.hashes[i] = hashes[j] as number;
    }
  }

  /** Open addressing with linear probing (0 marks an empty slot): the slot of `value`, or the empty one for it. */
  private static find(slots: Float64Array, value: number): number {
    const mask = slots.length - 1;
    // Mix the low and high bits: numbers of one list often differ only in their last digits.
    let i =
      (Math.imul((value % 0x7fffffff) | 0, 0x9e3779b1) ^
        Math.imul(Math.floor(value / 0x7fffffff) | 0, 0x85ebca6b)) &
      mask;
    for (;;) {
      const slot = slots[i] as number;
      if (slot === 0 || slot === value) return i;
      i = (i + 1) & mask;
    }
  }
}
