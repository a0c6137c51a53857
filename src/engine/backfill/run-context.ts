import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { Counts } from '../../backfill/segments.js'
import type { Emit } from '../../events.js'
import type { BackfillStore } from './backfill-store.js'
import type { CheckResult } from './sample-check.js'

/** Where and as whom a backfill runs: the `migrate up` run (coordinator) or a `ddbm migrate worker`. */
export type BackfillRunContext = {
  client: DynamoDBClient
  store: BackfillStore
  tableName: (logical: string) => string
  /** The migration's name and file (for messages). */
  migration: string
  file: string
  role: 'coordinator' | 'worker'
  /** The migration function running: `up` or `down`. */
  direction: 'up' | 'down'
  /** The coordinator's migration lock: it fences every checkpoint. Required for the coordinator. */
  lease?: { owner: string; assertHeld(): void }
  /** This process, for humans: "user@host pid N". */
  holder: string
  /** Segments this process works on at once, over the spec's `concurrency`. */
  concurrency?: number
  /** A worker started with an index (its runner's) prefers the segments `i % workers === index`. */
  prefer?: { index: number; workers: number }
  emit: Emit
  signal?: AbortSignal
  /** Monotonic clock (ms). Default performance.now. */
  now?: () => number
  /** Progress events at most this often (ms). Default 2000. */
  progressEveryMs?: number
  /** A worker waits this long for the coordinator to start the backfill. Default 10 min. */
  joinTimeoutMs?: number
}

/** What a backfill did: over the whole backfill (`counts`) and in this process (`mine`). */
export type BackfillResult = {
  migration: string
  name: string
  /** Physical table (and index) scanned. */
  table: string
  index?: string
  segments: number
  /** Segments that resumed from a checkpoint of an earlier run when this process joined. */
  resumedSegments: number
  counts: Counts
  mine: Counts
  seconds: number
  /** Items this process scanned per second. */
  itemsPerSec: number
  /** The backfill's rate (units per second; null: unlimited), and what this process consumed per second. */
  rate: { readPerSec: number | null; writePerSec: number | null }
  achieved: { readUnitsPerSec: number; writeUnitsPerSec: number }
  throttles: number
  /** The coordinator's sampled check afterwards. */
  check?: CheckResult
}
