import type { Randomizer } from '@faker-js/faker'

/**
 * A faker Randomizer (sfc32, initialised with splitmix32) whose `seed()` costs a few operations. faker's
 * own Mersenne Twister spends about 20 µs per re-seed, and the generator re-seeds for every item: that
 * alone would be 20 s per million items. The state depends only on the seed, so a re-seeded faker always
 * produces the same values. `next()` draws 53 bits, as faker's default does.
 */
export function fastRandomizer(initial = 0): Randomizer {
  let a = 0
  let b = 0
  let c = 0
  let d = 0
  const next32 = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  const seed = (value: number | number[]): void => {
    let s = (Array.isArray(value) ? (value[0] ?? 0) : value) >>> 0
    const mix = (): number => {
      s = (s + 0x9e3779b9) | 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) | 0
    }
    a = mix()
    b = mix()
    c = mix()
    d = 1
    for (let k = 0; k < 12; k++) next32()
  }
  seed(initial)
  return {
    next: () => ((next32() >>> 5) * 0x4000000 + (next32() >>> 6)) / 0x20000000000000,
    seed,
  }
}
