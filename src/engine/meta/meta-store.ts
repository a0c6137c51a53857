import { DdbmError } from '../../errors.js'
import type { Emit } from '../../events.js'
import type { HistoryRecord } from '../../plan/history.js'
import type { BackfillStore } from '../backfill/backfill-store.js'

/**
 * What the meta table records about one migration: the history record of plan/history.ts (name, checksum,
 * status, times, who, error) plus the ddbm version and the run's id.
 */
export type MigrationRecord = HistoryRecord & { ddbmVersion: string; runId: string }

/**
 * The environment a meta table belongs to, written on first use by a mutating command
 * (docs/protected-environments.md). A configured environment whose name differs is refused; `protected`
 * protects the environment whatever the config says.
 */
export type EnvironmentRecord = {
  /** The environment's name in ddbm.config.json. */
  name: string
  protected: boolean
  /** ISO timestamp of the writer's clock: for display only. */
  createdAt: string
  /** "user@host", or the CI job. */
  createdBy: string
}

/** The lock as stored. Timestamps are the holder's wall clock: for display only. */
export type LockInfo = {
  holder: string
  /** When the current owner acquired it (ISO, holder's clock). */
  since: string
  /** Random id of the lease that holds it. */
  owner: string
  /** Record version: changes on every heartbeat. */
  rvn: string
  leaseMs: number
  heartbeatAt: string | undefined
}

/** A held lock, as acquireLock returns it. Release it in `finally`. */
export type MetaLease = {
  /** Random id of this lease: fenced writes hold only while the lock's owner is this id. */
  readonly owner: string
  /** Who holds it, for humans: "user@host pid N". */
  readonly holder: string
  readonly leaseMs: number
  /** True once the lock is known or presumed lost; never goes back to false. */
  readonly lost: boolean
  /** Throws DdbmError('LOCK_LOST') when the lock was lost. */
  assertHeld(): void
  /** Gives the lock up (if still ours) and emits `released`. Never throws; idempotent. */
  release(): Promise<void>
}

/** How to wait for the lock. */
export type AcquireLockOptions = {
  holder: string
  /** Lease length: a holder that stops renewing loses the lock after this long. Default 20 s. */
  leaseMs?: number
  /** Give up with DdbmError('LOCK_HELD') after waiting this long. Default 15 min. */
  waitTimeoutMs?: number
  /** Receives the `lock` events: waiting, countdown, alive, acquired, taken-over, released, lost. */
  emit: Emit
  /** Stops waiting when aborted: DdbmError('INTERRUPTED'), nothing taken. */
  signal?: AbortSignal
}

/**
 * Where a project's run records and its lock live: one meta table per environment. Every record write is
 * fenced by a lease of this store: it is refused with DdbmError('LOCK_LOST') unless that lease still holds
 * the lock, so a run that lost the lock records nothing. Implementations: dynamo-meta-store.ts (the meta
 * table in DynamoDB) and memory-meta-store.ts (one process, for tests and scripts).
 */
export type MetaStore = {
  /** The meta table's name, for messages. */
  readonly table: string
  /** Creates the meta table if it is missing; race-safe and idempotent. Whether this call created it. */
  ensure(): Promise<{ created: boolean }>
  /** True when the meta table exists. Creates nothing. */
  exists(): Promise<boolean>
  /** Every migration record, sorted by name (the lock is not a record). The table must exist. */
  readRecords(): Promise<MigrationRecord[]>
  /** Creates or replaces the record of `record.name`, while `lease` holds the lock (else LOCK_LOST). */
  putRecord(record: MigrationRecord, lease: MetaLease): Promise<void>
  /** Deletes the record of `name` (a missing one is fine), while `lease` holds the lock (else LOCK_LOST). */
  deleteRecord(name: string, lease: MetaLease): Promise<void>
  /** The environment's identity, or undefined when the meta table or the record does not exist. Creates nothing. */
  readEnvironment(): Promise<EnvironmentRecord | undefined>
  /**
   * Writes the environment's identity unless one is stored (the first writer wins, also when racing), and
   * raises a stored `protected: false` to true when `record` of the same name is protected; it never
   * renames, never lowers protection and needs no lock. Returns the record stored afterwards (another
   * name's, when the environment was claimed by another name). The table must exist.
   */
  recordEnvironment(record: EnvironmentRecord): Promise<EnvironmentRecord>
  /**
   * Takes the lock, waiting while another lease holds it; throws DdbmError('LOCK_HELD'), naming the holder,
   * after `waitTimeoutMs`. The table must exist.
   */
  acquireLock(opts: AcquireLockOptions): Promise<MetaLease>
  /** The current lock, or undefined when nobody holds it. */
  readLock(): Promise<LockInfo | undefined>
  /**
   * Removes the lock whoever holds it (`ddbm migrate unlock`) and returns what was removed. Its holder's
   * lease is lost: its next fenced write fails with LOCK_LOST.
   */
  forceUnlock(): Promise<LockInfo | undefined>
  /**
   * Where backfills keep their checkpoints and leases (docs/backfills.md), next to the lock that fences
   * them. Absent on a store that cannot hold them (the in-memory store): ctx.backfill is then refused.
   */
  backfills?: () => Promise<BackfillStore>
}

/** DdbmError('LOCK_HELD'): `info`'s holder kept the lock of `table` for all of `waitedMs`. */
export function lockHeld(table: string, info: LockInfo, waitedMs: number): DdbmError {
  return new DdbmError(
    'LOCK_HELD',
    `The migration lock in ${table} is held by ${info.holder} since ${info.since}; ` +
      `gave up after waiting ${Math.round(waitedMs / 1000)} s`,
    { holder: info.holder, since: info.since, waitedMs: Math.round(waitedMs) },
  )
}
