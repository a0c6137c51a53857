import { randomUUID } from 'node:crypto'
import { MigrationError } from 'umzug'
import { DdbmError, isDdbmError, messageOf } from '../../errors.js'
import type { Emit } from '../../events.js'
import type { StatusRow } from '../../plan/history.js'
import type { Issue } from '../../schema/issues.js'
import type { LoadedMigration } from '../../schema/load-migrations.js'
import type { AcquireLockOptions, MetaStore } from '../meta/meta-store.js'
import { withLock } from '../meta/with-lock.js'
import { checkedRows, readRecordsIfAny } from './history-check.js'
import { createMigrator, type MigratorDeps } from './migrator.js'

export type RunMigrationsOptions<P extends { name: string }> = {
  store: MetaStore
  direction: 'up' | 'down'
  /** migrations/, as loaded (sorted by name). */
  migrations: readonly LoadedMigration[]
  /** Problems found offline in migrations/ (loader, replay): MIGRATION_INVALID after the history check. */
  issues?: readonly Issue[]
  /**
   * Picks what to run from the status rows, in order (the api plans each one's steps here). Called with
   * the rows read before the lock on a dry run, else with the rows read under the lock.
   */
  select: (rows: StatusRow[]) => P[]
  /**
   * Called before any change (no meta table, no lock) with what would run as the state read so far
   * says; it may refuse by throwing, and then nothing was changed. Not called on a dry run.
   */
  guard?: (selected: P[]) => Promise<void>
  /**
   * Called under the lock, once the meta table exists, before anything is selected (the api records the
   * environment's identity here).
   */
  locked?: () => Promise<void>
  /** Called under the lock with what will run, before anything runs; it may refuse by throwing. */
  confirm?: (selected: P[]) => Promise<void>
  /** Only select: no meta table, no lock, no change. */
  dryRun?: boolean
  /** Who takes the lock and how long to wait for it. */
  lock: Omit<AcquireLockOptions, 'emit'>
  emit: Emit
  /** "user@host" or the CI job, recorded with each migration. */
  appliedBy: string
  ddbmVersion: string
  /** Loads one migration ready to run, for a run with `hooks` (tests pass fakes). */
  load: MigratorDeps['load']
  /** Wall clock for the display timestamps of records. Default Date.now. */
  now?: () => number
}

export type RunMigrationsResult<P> = {
  /** What ran (or, on a dry run, would run), as `select` returned it; empty when nothing was to do. */
  selected: P[]
  /** The status rows after the run (before it, on a dry run). */
  rows: StatusRow[]
}

/**
 * `migrate up` / `migrate down` on a meta store. Before any change, read-only, it compares the files with
 * the records and refuses an applied migration whose file changed or is gone and a new one sorting before
 * the last applied (MIGRATION_CHANGED, MIGRATION_MISSING, MIGRATION_ORDER), then any offline problem
 * (MIGRATION_INVALID), and lets `guard` refuse what it would select. Then it creates the meta table if
 * needed, takes the lock, reads the records again (a run that waited sees what the winner did), checks
 * again, selects, confirms, and runs the selection:
 * up records each migration `running`, then `failed` or `applied`; down deletes each record. A failure is
 * thrown naming the migration (migrator.ts: migrationFailed). The lock is released in every case.
 */
export async function runMigrations<P extends { name: string }>(
  opts: RunMigrationsOptions<P>,
): Promise<RunMigrationsResult<P>> {
  const { store, migrations, direction, emit } = opts
  const before = checkedRows(migrations, await readRecordsIfAny(store))
  const issues = opts.issues ?? []
  if (issues.length > 0) {
    throw new DdbmError('MIGRATION_INVALID', `${issues.length} problem(s) in migrations/`, {
      issues,
    })
  }
  if (opts.dryRun === true) return { selected: opts.select(before), rows: before }
  await opts.guard?.(opts.select(before))

  return withLock(store, { ...opts.lock, emit }, async (lease, records) => {
    await opts.locked?.()
    const rows = checkedRows(migrations, records)
    const selected = opts.select(rows)
    await opts.confirm?.(selected)
    if (selected.length === 0) return { selected, rows }
    const umzug = createMigrator(migrations, records, {
      store,
      lease,
      emit,
      run: { runId: randomUUID(), appliedBy: opts.appliedBy, ddbmVersion: opts.ddbmVersion },
      load: opts.load,
      ...(opts.now === undefined ? {} : { now: opts.now }),
    })
    const names = selected.map((p) => p.name)
    try {
      if (direction === 'up') await umzug.up({ migrations: names })
      else await umzug.down({ migrations: names, rerun: 'ALLOW' })
    } catch (err) {
      throw unwrap(err, direction)
    }
    return { selected, rows: checkedRows(migrations, await store.readRecords()) }
  })
}

/** umzug wraps failures in MigrationError; surface ours (already naming the migration) unchanged. */
function unwrap(err: unknown, direction: 'up' | 'down'): unknown {
  const cause = err instanceof MigrationError ? err.cause : err
  if (isDdbmError(cause)) return cause
  const name = err instanceof MigrationError ? (err.migration?.name ?? '?') : '?'
  return new DdbmError(
    'MIGRATION_FAILED',
    `Migration ${name} (${direction}) failed: ${messageOf(cause)}`,
    { name, direction },
    { cause },
  )
}
