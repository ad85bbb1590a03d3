/**
 * The set of 64-bit message keys (hash of type + messageId) of the most recent `window` messages
 * kept (README "Options", docs/architecture.md "Deduplication"). Compact: the keys live in a
 * ring (two 32-bit halves each) in arrival order, which also says which key to forget next, and
 * an open-addressing table (linear probing) holds ring positions + 1 (0: empty). About 14.4 bytes
 * per key once full (8 in the ring, 4 per table slot at a load of at most 3/4); both grow by
 * doubling up to the window, so a short run uses little.
 */
export class DedupeWindow {
  /** Keys in arrival order: [hi, lo] of key i at 2i, 2i + 1. */
  private ring: Uint32Array;
  /** Ring position + 1 of the key whose slot this is, or 0. */
  private table: Uint32Array;
  private mask: number;
  /** Keys held (at most `window`). */
  private count = 0;
  /** When the ring is full: the position of the oldest key, written over next. */
  private oldest = 0;

  constructor(
    readonly window: number,
    initialKeys = 1 << 14,
  ) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`dedupe window ${window}: expected a positive integer`);
    const keys = Math.min(window, initialKeys);
    this.ring = new Uint32Array(2 * keys);
    this.table = new Uint32Array(tableSlotsFor(keys));
    this.mask = this.table.length - 1;
  }

  /** How many keys are held. */
  get size(): number {
    return this.count;
  }

  /** Bytes of the arrays held now. */
  get bytes(): number {
    return this.ring.byteLength + this.table.byteLength;
  }

  /**
   * True when the key is among the keys held: a duplicate, and nothing changes. Otherwise the
   * key is added (the oldest is forgotten when `window` keys are held) and false is returned.
   */
  seen(hi: number, lo: number): boolean {
    if (this.find(hi, lo) !== -1) return true;
    let position: number;
    if (this.count < this.window) {
      if (2 * this.count === this.ring.length) this.grow();
      position = this.count;
      this.count += 1;
    } else {
      position = this.oldest;
      this.remove(this.find(this.ring[2 * position]!, this.ring[2 * position + 1]!));
      this.oldest = position + 1 === this.window ? 0 : position + 1;
    }
    this.ring[2 * position] = hi;
    this.ring[2 * position + 1] = lo;
    this.place(lo, position + 1);
    return false;
  }

  /** The table slot holding the key, or -1. */
  private find(hi: number, lo: number): number {
    for (let slot = lo & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.table[slot]!;
      if (entry === 0) return -1;
      if (this.ring[2 * entry - 1] === lo && this.ring[2 * entry - 2] === hi) return slot;
    }
  }

  private place(lo: number, entry: number): void {
    let slot = lo & this.mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
    this.table[slot] = entry;
  }

  /** Empty a slot and move later keys of its probe run back, so every key stays findable. */
  private remove(slot: number): void {
    let hole = slot;
    for (let next = (hole + 1) & this.mask; this.table[next] !== 0; next = (next + 1) & this.mask) {
      const entry = this.table[next]!;
      const home = this.ring[2 * entry - 1]! & this.mask;
      // The key at `next` may fill the hole unless its home lies in (hole, next], cyclically.
      const homeBetween = hole <= next ? home > hole && home <= next : home > hole || home <= next;
      if (!homeBetween) {
        this.table[hole] = entry;
        hole = next;
      }
    }
    this.table[hole] = 0;
  }

  /** Double the ring (up to the window) and rebuild the table for it. Only while not yet full. */
  private grow(): void {
    // The ring holds two numbers per key: twice its keys, capped at the window.
    const keys = Math.min(this.window, this.ring.length);
    const ring = new Uint32Array(2 * keys);
    ring.set(this.ring);
    this.ring = ring;
    const slots = tableSlotsFor(ring.length / 2);
    if (slots === this.table.length) return;
    this.table = new Uint32Array(slots);
    this.mask = slots - 1;
    for (let position = 0; position < this.count; position += 1) this.place(this.ring[2 * position + 1]!, position + 1);
  }
}

/** A power of two with `keys` filling at most 3/4 of it. */
function tableSlotsFor(keys: number): number {
  let slots = 16;
  while (slots * 3 < keys * 4) slots *= 2;
  return slots;
}
