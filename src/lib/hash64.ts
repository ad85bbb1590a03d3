/**
 * A 64-bit non-cryptographic hash of a string and a small seed, as two 32-bit halves. Two
 * FNV-1a-style lanes with different multipliers run over the UTF-16 code units, then Murmur3's
 * finalizer cross-mixes them (a bijection on the 64 bits, so every unit affects every output
 * bit). Used for the dedupe window (docs/architecture.md, "Deduplication"): with n keys held, a
 * false match has a probability of about n² / 2⁶⁵ (under 10⁻⁶ for 5,000,000 keys). The seed
 * stands for the message type, so no string is built per message.
 */
export function hash64(seed: number, text: string): { readonly hi: number; readonly lo: number } {
  let a = 0x811c9dc5 ^ Math.imul(seed + 1, 0x9e3779b9);
  let b = 0x050c5d1f ^ Math.imul(seed + 1, 0x85ebca6b);
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995);
  }
  a = finalMix(a ^ Math.imul(b ^ text.length, 0x85ebca6b));
  b = finalMix(b ^ Math.imul(a, 0xc2b2ae35));
  a = finalMix(a + b);
  return { hi: a >>> 0, lo: b >>> 0 };
}

/** Murmur3's finalizer: every input bit flips each output bit with probability about 1/2. */
function finalMix(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
