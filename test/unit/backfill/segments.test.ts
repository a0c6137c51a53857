import { describe, expect, test } from 'vitest'
import {
  pickClaims,
  progressOf,
  shareOf,
  totalCounts,
  ZERO_COUNTS,
  type SegmentState,
} from '../../../src/backfill/segments.js'

const open = (index: number, extra: Partial<SegmentState> = {}): SegmentState => ({
  index,
  status: 'open',
  counts: ZERO_COUNTS,
  ...extra,
})
const lease = (owner: string, counter: number) => ({ owner, holder: `h-${owner}`, counter })

describe('pickClaims', () => {
  test('unleased open segments first, up to the free slots; done and own segments never', () => {
    const segments = [
      open(0),
      { ...open(1), status: 'done' as const },
      open(2, { lease: lease('a', 3) }),
      open(3),
      open(4),
    ]
    const picked = pickClaims({
      segments,
      mine: new Set([4]),
      sightings: new Map(),
      free: 1,
      now: 1000,
      leaseMs: 500,
    })
    expect(picked).toStrictEqual({
      claims: [{ index: 0 }],
      sightings: new Map([[2, { owner: 'a', counter: 3, since: 1000 }]]),
    })
  })

  test('a lease whose counter stays the same for a whole lease is taken over, naming what it replaces', () => {
    const segments = [open(0, { lease: lease('a', 3) }), open(1, { lease: lease('b', 7) })]
    const seen = new Map([
      [0, { owner: 'a', counter: 3, since: 1000 }],
      [1, { owner: 'b', counter: 6, since: 1000 }],
    ])
    const picked = pickClaims({
      segments,
      mine: new Set(),
      sightings: seen,
      free: 4,
      now: 1600,
      leaseMs: 500,
    })
    // Segment 1's counter moved (6 → 7): its holder is alive, the clock starts again.
    expect(picked).toStrictEqual({
      claims: [{ index: 0, replaces: lease('a', 3) }],
      sightings: new Map([
        [0, { owner: 'a', counter: 3, since: 1000 }],
        [1, { owner: 'b', counter: 7, since: 1600 }],
      ]),
    })
  })

  test('a lease of a known dead owner (the coordinator whose lock was taken over) is taken at once', () => {
    const segments = [open(0, { lease: lease('dead', 3) }), open(1, { lease: lease('alive', 3) })]
    const picked = pickClaims({
      segments,
      mine: new Set(),
      sightings: new Map(),
      free: 4,
      now: 0,
      leaseMs: 500,
      dead: new Set(['dead']),
    })
    expect(picked.claims).toStrictEqual([{ index: 0, replaces: lease('dead', 3) }])
  })

  test('not before a whole lease has gone by', () => {
    const segments = [open(0, { lease: lease('a', 3) })]
    const seen = new Map([[0, { owner: 'a', counter: 3, since: 1000 }]])
    expect(
      pickClaims({ segments, mine: new Set(), sightings: seen, free: 1, now: 1499, leaseMs: 500 })
        .claims,
    ).toStrictEqual([])
  })

  test('a worker with an index prefers its own share of segments', () => {
    const segments = [0, 1, 2, 3, 4, 5].map((i) => open(i))
    const picked = pickClaims({
      segments,
      mine: new Set(),
      sightings: new Map(),
      free: 3,
      now: 0,
      leaseMs: 500,
      prefer: { index: 1, workers: 3 },
    })
    expect(picked.claims).toStrictEqual([{ index: 1 }, { index: 4 }, { index: 0 }])
  })
})

describe('shareOf', () => {
  test('k of n open segments get k/n of the rate; all processes together never more than the rate', () => {
    expect([
      shareOf(100, 2, 8),
      shareOf(100, 8, 8),
      shareOf(100, 3, 2),
      shareOf(100, 0, 0),
    ]).toStrictEqual([25, 100, 100, 0])
    expect(shareOf(Infinity, 1, 8)).toBe(Infinity)
  })
})

describe('progressOf', () => {
  const counts = (scanned: number) => ({
    ...ZERO_COUNTS,
    scanned,
    written: scanned / 2,
    readUnits: scanned,
    writeUnits: scanned,
  })

  test('rates over the interval and the time left from the item count', () => {
    const segments = [
      open(0, { counts: counts(300) }),
      { ...open(1, { counts: counts(100) }), status: 'done' as const },
    ]
    expect(
      progressOf({ segments, before: counts(200), seconds: 2, itemCount: 1000 }),
    ).toStrictEqual({
      segmentsDone: 1,
      segments: 2,
      counts: totalCounts(segments),
      itemsPerSec: 100,
      readUnitsPerSec: 100,
      writeUnitsPerSec: 100,
      etaSeconds: 6,
    })
  })

  test('no time left once every segment is done; unknown without a speed', () => {
    const done = [{ ...open(0, { counts: counts(10) }), status: 'done' as const }]
    expect(progressOf({ segments: done, before: counts(10), seconds: 1 }).etaSeconds).toBe(0)
    expect(
      progressOf({ segments: [open(0)], before: ZERO_COUNTS, seconds: 1, itemCount: 5 }).etaSeconds,
    ).toBe(undefined)
  })
})
