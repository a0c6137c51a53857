/**
 * The key hashes of a stream of items, 8 bytes each (a growable Float64Array of hash53 values), and the
 * hashes that occur more than once: the candidates a second pass confirms by comparing key texts. A
 * million items cost 8 MB, where a Map of hash to position would cost several times that.
 */
export class KeyHashes {
  private hashes = new Float64Array(1024)
  private size = 0

  /** Records one item's key hash. */
  add(hash: number): void {
    if (this.size === this.hashes.length) {
      const bigger = new Float64Array(this.hashes.length * 2)
      bigger.set(this.hashes)
      this.hashes = bigger
    }
    this.hashes[this.size++] = hash
  }

  /** The hashes recorded more than once (usually none). Sorts the recorded hashes in place. */
  repeated(): Set<number> {
    const sorted = this.hashes.subarray(0, this.size).sort()
    const out = new Set<number>()
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i] === sorted[i - 1]) out.add(sorted[i] as number)
    }
    return out
  }
}
