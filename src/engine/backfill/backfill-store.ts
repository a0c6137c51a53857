import type { Counts, SegmentLease, SegmentState } from '../../backfill/segments.js'

/** Names one backfill: the migration it belongs to and its name within it. */
export type BackfillRef = { migration: string; name: string }

/**
 * A backfill as its header item records it. `lockOwner` is the lease id of the `migrate up` run that
 * started (or last resumed) it: every checkpoint is fenced by that lease still holding the migration lock.
 */
export type BackfillHeader = BackfillRef & {
  /** Physical table and index scanned. */
  table: string
  index?: string
  segments: number
  /** The migration's function that runs it: workers run the same one. */
  direction: 'up' | 'down'
  status: 'running' | 'done'
  lockOwner: string
  /** The segment-lease id of the coordinator process: a run that takes its lock over frees its segments. */
  coordinator?: string
  /** Who started it ("user@host pid N") and when (ISO, their clock: display only). */
  startedBy: string
  startedAt: string
  finishedAt?: string
  /** The table's approximate item count when it started (DescribeTable), for the time left. */
  itemCount?: number
  /** Units per second for the whole backfill; absent: unlimited. */
  readPerSec?: number
  writePerSec?: number
}

/** Who a process is, for leases: a random id and a label for humans. */
export type Worker = { owner: string; holder: string }

/** Outcome of a fenced checkpoint. */
export type CheckpointOutcome = 'ok' | 'lease-lost' | 'lock-lost'

/**
 * Where backfills keep their state: a header item and one item per segment in the meta table
 * (dynamo-backfill-store.ts; layout in docs/backfills.md). Checkpoints and the header's changes are
 * fenced by the migration lock; claims and renewals by the segment's lease.
 */
export type BackfillStore = {
  /**
   * Starts `header`'s backfill, or adopts the one stored under its ref (a resumed run): writes the header
   * (its `lockOwner` now `header.lockOwner`, fenced by that lease holding the lock) and creates the segment
   * items that are missing. Returns the stored state and whether it existed before. Throws
   * MIGRATION_INVALID when the stored one scans another table, index or number of segments, LOCK_LOST when
   * the fence fails.
   */
  start(
    header: BackfillHeader,
  ): Promise<{ header: BackfillHeader; segments: SegmentState[]; resumed: boolean }>
  /** The header and its segments (sorted by index), or undefined when there is none. Strongly consistent. */
  read(ref: BackfillRef): Promise<{ header: BackfillHeader; segments: SegmentState[] } | undefined>
  /** Every backfill's header. */
  list(): Promise<BackfillHeader[]>
  /**
   * Claims open segment `index` for `me`: when unleased, or still held by `replaces` (the same owner and
   * counter: its holder is presumed dead). The segment as claimed, or undefined when another was faster.
   */
  claim(
    ref: BackfillRef,
    index: number,
    me: Worker,
    replaces?: SegmentLease,
  ): Promise<SegmentState | undefined>
  /** Raises the lease's counter while `owner` holds it; false when it is no longer `owner`'s. */
  renew(ref: BackfillRef, index: number, owner: string): Promise<boolean>
  /**
   * Records the progress of segment `index` (resume after `lastKey`; `done` ends it and drops the lease)
   * while `owner` holds its lease and `lockOwner` holds the migration lock: one transaction.
   */
  checkpoint(
    ref: BackfillRef,
    index: number,
    fence: { owner: string; lockOwner: string },
    progress: { lastKey?: string; counts: Counts; done: boolean },
  ): Promise<CheckpointOutcome>
  /** Drops `owner`'s lease of segment `index` (others may claim it at once). Never throws. */
  release(ref: BackfillRef, index: number, owner: string): Promise<void>
  /** Marks the backfill done, fenced by `lockOwner` holding the migration lock (else LOCK_LOST). */
  finish(ref: BackfillRef, lockOwner: string, finishedAt: string): Promise<void>
  /** Deletes every item of the backfills of `migration` (its `down` ran); returns how many. */
  remove(migration: string): Promise<number>
}
