/**
 * Small pure hashes (no node:crypto, so the seed core stays pure): the 32-bit per-item seed of faker and
 * the 64-bit key hashes of the duplicate check. Both are FNV-1a over the UTF-8 bytes of the text.
 */

const encoder = new TextEncoder()

/** FNV-1a, 32 bits, of the UTF-8 bytes of `text`: an unsigned integer (0 to 2^32 - 1). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5
  for (const byte of encoder.encode(text)) {
    h ^= byte
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** The four little-endian 16-bit limbs of the 64-bit FNV-1a hash of the UTF-8 bytes of `text`. */
function fnv1a64(text: string): [number, number, number, number] {
  // offset basis 0xcbf29ce484222325, little-endian limbs
  let h0 = 0x2325
  let h1 = 0x8422
  let h2 = 0x9ce4
  let h3 = 0xcbf2
  for (const byte of encoder.encode(text)) {
    h0 ^= byte
    // multiply by the prime 0x100000001b3 = 2^40 + 0x1b3: the 0x1b3 part on every limb, 2^40 shifts
    // limbs 0 and 1 into limbs 2 and 3 (2^40 = 2^32 * 2^8)
    const t0 = h0 * 0x1b3
    const t1 = h1 * 0x1b3
    const t2 = h2 * 0x1b3 + (h0 << 8)
    const t3 = h3 * 0x1b3 + (h1 << 8)
    h0 = t0 & 0xffff
    const c1 = t1 + (t0 >>> 16)
    h1 = c1 & 0xffff
    const c2 = t2 + Math.floor(c1 / 0x10000)
    h2 = c2 & 0xffff
    h3 = (t3 + Math.floor(c2 / 0x10000)) & 0xffff
  }
  return [h0, h1, h2, h3]
}

/**
 * FNV-1a, 64 bits, of the UTF-8 bytes of `text`, as 16 lowercase hex digits. Computed on four 16-bit
 * limbs (JavaScript numbers hold 53 bits exactly; BigInt would be several times slower per key).
 * Two different keys share a hash with a probability near n² / 2^65 for n keys: about 3 in a million
 * for ten million keys.
 */
export function hash64(text: string): string {
  const [h0, h1, h2, h3] = fnv1a64(text)
  const hex = (n: number): string => n.toString(16).padStart(4, '0')
  return hex(h3) + hex(h2) + hex(h1) + hex(h0)
}

/**
 * The top 53 bits of hash64 as a number: a Set of these costs a few bytes per key, where hex strings
 * cost tens, so a run of millions of items keeps its duplicate check small. A shared value is only a
 * candidate duplicate (near n² / 2^54 for n keys): confirm it by comparing the key texts.
 */
export function hash53(text: string): number {
  const [h0, h1, h2, h3] = fnv1a64(text)
  return ((h3 * 0x10000 + h2) * 0x10000 + h1) * 32 + (h0 >>> 11)
}
