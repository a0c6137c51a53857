import { describe, expect, test } from 'vitest'
import { estimateBackfill, itemSize } from '../../../src/backfill/estimate.js'

const sample = { scanned: 200, matched: 100, writes: 50, writeBytes: 1500 }

describe('estimateBackfill', () => {
  test('reads half a unit per 4 KB, writes items × the share of writes × KB per item, time at the slower side', () => {
    expect(
      estimateBackfill({
        items: 10_000,
        tableBytes: 10_000 * 1500,
        sample,
        rate: { readPerSec: 100, writePerSec: 50 },
      }),
    ).toStrictEqual({
      items: 10_000,
      tableBytes: 15_000_000,
      // ceil(15,000,000 / 4096) = 3663 blocks of 4 KB, half a unit each.
      readUnits: 1831.5,
      // 50 of the 200 scanned would be written: a quarter of 10,000.
      writes: 2500,
      // 1500 bytes round up to 2 KB: 2 units each.
      writeUnits: 5000,
      rate: { readPerSec: 100, writePerSec: 50 },
      // Writes take 100 s, reads 18.3 s.
      seconds: 100,
    })
  })

  test('a write costs at least one unit; only reads limited: the time of the reads', () => {
    const e = estimateBackfill({
      items: 1000,
      tableBytes: 40_960,
      sample: { scanned: 10, matched: 10, writes: 10, writeBytes: 100 },
      rate: { readPerSec: 2, writePerSec: null },
    })
    expect([e.readUnits, e.writes, e.writeUnits, e.rate, e.seconds]).toStrictEqual([
      5,
      1000,
      1000,
      { readPerSec: 2, writePerSec: null },
      2.5,
    ])
  })

  test('no rate: no time (unlimited); Infinity counts as unlimited', () => {
    const e = estimateBackfill({
      items: 10,
      tableBytes: 100,
      sample,
      rate: { readPerSec: Infinity, writePerSec: null },
    })
    expect([e.rate, e.seconds]).toStrictEqual([{ readPerSec: null, writePerSec: null }, null])
  })

  test('an empty sample estimates no writes; an unknown size leaves the units and time unknown', () => {
    expect(
      estimateBackfill({
        items: 500,
        tableBytes: undefined,
        sample: { scanned: 0, matched: 0, writes: 0, writeBytes: 0 },
        rate: { readPerSec: 10, writePerSec: 10 },
      }),
    ).toStrictEqual({
      items: 500,
      tableBytes: null,
      readUnits: null,
      writes: 0,
      writeUnits: 0,
      rate: { readPerSec: 10, writePerSec: 10 },
      seconds: null,
    })
  })
})

describe('itemSize', () => {
  test('names and values as DynamoDB counts them', () => {
    // PK: 2 + 4; n: 1 + (3 digits → 2 + 1); ok: 2 + 1; tags: 4 + 2 + 2; m: 1 + 3 + (a: 1 + 1) + 1 per entry.
    expect(
      itemSize({ PK: 'C#01', n: 123, ok: true, tags: new Set(['ab', 'cd']), m: { a: null } }),
    ).toStrictEqual(6 + 4 + 3 + 8 + 7)
  })

  test('multi-byte strings count their UTF-8 bytes; lists 3 plus 1 per element; bytes their length', () => {
    expect(itemSize({ s: 'é', l: ['x', 'y'], b: new Uint8Array(10) })).toStrictEqual(
      1 + 2 + (1 + 3 + 2 + 2) + (1 + 10),
    )
  })
})
