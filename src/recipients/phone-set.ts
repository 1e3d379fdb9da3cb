/**
 * A set of normalised phone numbers (international digits, at most 15, no leading zero) held as
 * numbers in one Float64Array: every such number is exact below 2^53, so equal numbers are equal
 * doubles. A million numbers cost 16 MiB here instead of a Set of a million strings.
 */
const DIGITS = /^[1-9]\d{0,14}$/;

export class PhoneSet {
  private slots = new Float64Array(1 << 12);
  private count = 0;

  /** Adds `phoneNumber`; false when it was already there. */
  add(phoneNumber: string): boolean {
    // Not international digits (never from normalizePhoneNumber): refuse rather than guess.
    if (!DIGITS.test(phoneNumber)) throw new RangeError(`not a normalised phone number: ${phoneNumber}`);
    const value = Number(phoneNumber);
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    if (!PhoneSet.insert(this.slots, value)) return false;
    this.count++;
    return true;
  }

  get size(): number {
    return this.count;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    for (const value of old) if (value !== 0) PhoneSet.insert(this.slots, value);
  }

  /** Open addressing with linear probing; 0 marks an empty slot. */
  private static insert(slots: Float64Array, value: number): boolean {
    const mask = slots.length - 1;
    // Mix the low and high bits: numbers of one list often differ only in their last digits.
    let i = (Math.imul(value % 0x7fffffff | 0, 0x9e3779b1) ^ Math.imul(Math.floor(value / 0x7fffffff) | 0, 0x85ebca6b)) & mask;
    for (;;) {
      const slot = slots[i] as number;
      if (slot === 0) {
        slots[i] = value;
        return true;
      }
      if (slot === value) return false;
      i = (i + 1) & mask;
    }
  }
}
