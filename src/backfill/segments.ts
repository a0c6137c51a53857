/**
 * The segments of one backfill as its meta-table items record them, and the pure decisions of a process
 * working on them: which to claim, its share of the rate, and the totals. A segment is claimed by writing a
 * lease (`owner`, `counter`) onto its item; the holder raises `counter` on every checkpoint and heartbeat, so
 * others see it alive. A lease whose counter a process has seen unchanged for a whole lease on its own clock
 * belongs to a holder presumed dead, and may be taken over (the Kinesis Client Library's lease table and the
 * DynamoDB Lock Client work this way; docs/backfills.md).
 */

/** Counts of a segment (and, summed, of a backfill). Units are DynamoDB capacity units consumed. */
export type Counts = {
  /** Items read by the scan (before the filter). */
  scanned: number
  /** Items that passed the filter and reached the transform. */
  matched: number
  written: number
  /** The transform said skip, or the write's condition was false. */
  skipped: number
  failed: number
  readUnits: number
  writeUnits: number
}

export const ZERO_COUNTS: Counts = {
  scanned: 0,
  matched: 0,
  written: 0,
  skipped: 0,
  failed: 0,
  readUnits: 0,
  writeUnits: 0,
}

/** Who holds a segment: a random lease id, a label for humans, and the renewal counter. */
export type SegmentLease = { owner: string; holder: string; counter: number }

/** One segment as stored: `lastKey` is the scan's LastEvaluatedKey after the last checkpointed page. */
export type SegmentState = {
  index: number
  status: 'open' | 'done'
  /** DynamoDB JSON of the key to resume after; absent before the first checkpoint. */
  lastKey?: string
  counts: Counts
  lease?: SegmentLease
  /** ISO time of the last checkpoint (the writer's clock: display only). */
  updatedAt?: string
}

/** What a process remembers of a lease held by another: the counter and when it first saw it. */
export type Sighting = { owner: string; counter: number; since: number }

/** Adds two counts. */
export function addCounts(a: Counts, b: Counts): Counts {
  return {
    scanned: a.scanned + b.scanned,
    matched: a.matched + b.matched,
    written: a.written + b.written,
    skipped: a.skipped + b.skipped,
    failed: a.failed + b.failed,
    readUnits: a.readUnits + b.readUnits,
    writeUnits: a.writeUnits + b.writeUnits,
  }
}

/** The sum of the counts of `segments`. */
export function totalCounts(segments: readonly SegmentState[]): Counts {
  return segments.reduce((sum, s) => addCounts(sum, s.counts), ZERO_COUNTS)
}

/**
 * The segments to claim now, at most `free`, and the sightings to remember: unleased open segments first
 * (those with `index % workers === prefer` ahead, so workers started with an index spread out), then those
 * whose lease's counter stayed the same for at least `leaseMs` since first seen (their holder is presumed
 * dead), or at once when their owner is in `dead`. `mine` are the segments this process runs. Each claim carries the lease it expects to replace, for
 * the conditional write.
 */
export function pickClaims(input: {
  segments: readonly SegmentState[]
  mine: ReadonlySet<number>
  sightings: ReadonlyMap<number, Sighting>
  free: number
  now: number
  leaseMs: number
  prefer?: { index: number; workers: number }
  /** Lease owners known dead (the coordinator whose migration lock was taken over): no wait for them. */
  dead?: ReadonlySet<string>
}): { claims: { index: number; replaces?: SegmentLease }[]; sightings: Map<number, Sighting> } {
  const { now, leaseMs, prefer } = input
  const sightings = new Map<number, Sighting>()
  const unleased: number[] = []
  const expired: { index: number; replaces: SegmentLease }[] = []
  for (const s of input.segments) {
    if (s.status === 'done' || input.mine.has(s.index)) continue
    if (s.lease === undefined) {
      unleased.push(s.index)
      continue
    }
    const seen = input.sightings.get(s.index)
    const same =
      seen !== undefined && seen.owner === s.lease.owner && seen.counter === s.lease.counter
    const since = same ? seen.since : now
    sightings.set(s.index, { owner: s.lease.owner, counter: s.lease.counter, since })
    if (now - since >= leaseMs || input.dead?.has(s.lease.owner) === true)
      expired.push({ index: s.index, replaces: s.lease })
  }
  const preferred = (i: number) =>
    prefer === undefined || prefer.workers <= 1 ? 0 : i % prefer.workers === prefer.index ? 0 : 1
  unleased.sort((a, b) => preferred(a) - preferred(b) || a - b)
  const claims = [...unleased.map((index) => ({ index })), ...expired].slice(
    0,
    Math.max(0, input.free),
  )
  return { claims, sightings }
}

/**
 * This process's share of a backfill's rate: `mine` of the `open` segments (each open segment is worth
 * the same share, so processes that together run every open segment use the whole rate, never more).
 */
export function shareOf(rate: number, mine: number, open: number): number {
  if (!Number.isFinite(rate)) return rate
  return open === 0 ? 0 : (rate * Math.min(mine, open)) / open
}

/** Progress of a backfill for display: rates over the last interval and the time left. */
export type Progress = {
  segmentsDone: number
  segments: number
  counts: Counts
  itemsPerSec: number
  readUnitsPerSec: number
  writeUnitsPerSec: number
  /** Seconds left at the current speed; undefined when unknown (no speed yet, or no item count). */
  etaSeconds?: number
}

/**
 * Progress from the counts `before` and `after` an interval of `seconds`, with `itemCount` the table's
 * (approximate) number of items for the time left: the items not scanned yet at the current scan speed.
 * When all segments are done the time left is 0.
 */
export function progressOf(input: {
  segments: readonly SegmentState[]
  before: Counts
  seconds: number
  itemCount?: number
}): Progress {
  const counts = totalCounts(input.segments)
  const segmentsDone = input.segments.filter((s) => s.status === 'done').length
  const per = (n: number) => (input.seconds > 0 ? n / input.seconds : 0)
  const itemsPerSec = per(counts.scanned - input.before.scanned)
  const progress: Progress = {
    segmentsDone,
    segments: input.segments.length,
    counts,
    itemsPerSec,
    readUnitsPerSec: per(counts.readUnits - input.before.readUnits),
    writeUnitsPerSec: per(counts.writeUnits - input.before.writeUnits),
  }
  if (segmentsDone === input.segments.length) return { ...progress, etaSeconds: 0 }
  if (input.itemCount === undefined || itemsPerSec <= 0) return progress
  return { ...progress, etaSeconds: Math.max(0, input.itemCount - counts.scanned) / itemsPerSec }
}
