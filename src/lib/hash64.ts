/**
 * A 64-bit non-cryptographic hash of a string, as two 32-bit halves. Two multiply-rotate lanes
 * run over the UTF-16 code units with different constants and are cross-mixed at the end, so
 * every input unit affects all 64 bits. Used for the dedupe window (README "Options",
 * docs/architecture.md "Deduplication"): with n keys held, a false match has a probability of
 * about n² / 2⁶⁵ (under 10⁻⁶ for 5,000,000 keys).
 */
export function hash64(text: string): { readonly hi: number; readonly lo: number } {
  let a = 0x9e3779b9 ^ text.length;
  let b = 0x85ebca6b ^ Math.imul(text.length, 0x27d4eb2f);
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    a = Math.imul(a ^ unit, 0xcc9e2d51);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b ^ unit, 0x1b873593);
    b = (b << 13) | (b >>> 19);
    b = Math.imul(b, 5) + 0xe6546b64;
  }
  a = finalMix(a ^ Math.imul(b, 0x85ebca6b));
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
