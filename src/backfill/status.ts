import { progressOf, ZERO_COUNTS, type Counts, type SegmentState } from './segments.js'

/**
 * A backfill that is not done, as `migrate status` shows it from the meta table: how far its segments
 * got, who holds which, and when the last checkpoint was written. No speed: it is one reading, not an
 * interval.
 */
export type BackfillStatus = {
  migration: string
  name: string
  /** Physical table (and GSI) scanned. */
  table: string
  index?: string
  direction: 'up' | 'down'
  /** Who started it (or last resumed it) and when (ISO, their clock). */
  startedBy: string
  startedAt: string
  segmentsDone: number
  segments: number
  /** The whole backfill's counts so far. */
  counts: Counts
  /** The table's approximate item count when it started. */
  itemCount?: number
  /** ISO time of the latest checkpoint of any segment (the writers' clocks); absent before the first. */
  lastCheckpointAt?: string
  /** Open segments with a lease, by holder ("user@host pid N"), in order of their first segment. */
  holders: { holder: string; segments: number[] }[]
  /** Open segments nobody holds (left by a run that stopped, or not claimed yet). */
  unheld: number[]
}

/** The status of the backfill with header fields `header` and stored `segments`. Pure. */
export function backfillStatusOf(
  header: {
    migration: string
    name: string
    table: string
    index?: string
    direction: 'up' | 'down'
    startedBy: string
    startedAt: string
    segments: number
    itemCount?: number
  },
  segments: readonly SegmentState[],
): BackfillStatus {
  const holders = new Map<string, number[]>()
  const unheld: number[] = []
  let last: string | undefined
  for (const s of segments) {
    if (s.updatedAt !== undefined && (last === undefined || s.updatedAt > last)) last = s.updatedAt
    if (s.status === 'done') continue
    if (s.lease === undefined) unheld.push(s.index)
    else holders.set(s.lease.holder, [...(holders.get(s.lease.holder) ?? []), s.index])
  }
  const progress = progressOf({ segments, before: ZERO_COUNTS, seconds: 0 })
  return {
    migration: header.migration,
    name: header.name,
    table: header.table,
    ...(header.index === undefined ? {} : { index: header.index }),
    direction: header.direction,
    startedBy: header.startedBy,
    startedAt: header.startedAt,
    segmentsDone: progress.segmentsDone,
    segments: header.segments,
    counts: progress.counts,
    ...(header.itemCount === undefined ? {} : { itemCount: header.itemCount }),
    ...(last === undefined ? {} : { lastCheckpointAt: last }),
    holders: [...holders].map(([holder, indexes]) => ({ holder, segments: indexes })),
    unheld,
  }
}
