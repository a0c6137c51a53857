import { randomUUID } from 'node:crypto'
import { MigrationError } from 'umzug'
import { DdbmError, isDdbmError, messageOf } from '../../errors.js'
import type { Emit } from '../../events.js'
import { signalOf, throwIfInterrupted } from '../../interrupt.js'
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
  /**
   * Stops at a safe point when aborted: the lock wait ends, no further migration starts, a running one
   * finishes its step (a wait is abandoned: it is recorded `interrupted`), the lock is released, and
   * DdbmError INTERRUPTED says what was done and what was not.
   */
  signal?: AbortSignal
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
 * up records each migration `running`, then `failed`, `interrupted` or `applied`; down deletes each
 * record. A failure is thrown naming the migration (migrator.ts: migrationFailed); an interruption
 * (`opts.signal`) as DdbmError INTERRUPTED listing the migrations done, the one stopped and those not
 * started. The lock is released in every case.
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

  const { signal } = opts
  const nothing = `before migrate ${direction} started: nothing was changed`
  throwIfInterrupted(signal, nothing)
  const lock = { ...opts.lock, emit, ...(signal === undefined ? {} : { signal }) }
  return withLock(store, lock, async (lease, records) => {
    throwIfInterrupted(signal, nothing)
    await opts.locked?.()
    const rows = checkedRows(migrations, records)
    const selected = opts.select(rows)
    await opts.confirm?.(selected)
    if (selected.length === 0) return { selected, rows }
    const finished: string[] = []
    const umzug = createMigrator(migrations, records, {
      store,
      lease,
      emit: (event) => {
        if (event.kind === 'migration' && event.status === 'done') finished.push(event.name)
        emit(event)
      },
      run: { runId: randomUUID(), appliedBy: opts.appliedBy, ddbmVersion: opts.ddbmVersion },
      load: opts.load,
      ...(opts.now === undefined ? {} : { now: opts.now }),
      ...(signal === undefined ? {} : { signal }),
    })
    const names = selected.map((p) => p.name)
    try {
      if (direction === 'up') await umzug.up({ migrations: names })
      else await umzug.down({ migrations: names, rerun: 'ALLOW' })
    } catch (err) {
      const error = unwrap(err, direction)
      if (isDdbmError(error, 'INTERRUPTED'))
        throw stoppedRun(error, direction, names, finished, signal)
      throw error
    }
    if (signal?.aborted === true) throw stoppedRun(undefined, direction, names, finished, signal)
    return { selected, rows: checkedRows(migrations, await store.readRecords()) }
  })
}

/**
 * DdbmError INTERRUPTED for a run stopped at a safe point: what it `finished`, the migration it stopped
 * in (`err.details.name`, recorded `interrupted`), and those of `names` it never started. `err` is the
 * interruption that stopped it, undefined when the last migration finished after `signal` aborted.
 */
function stoppedRun(
  err: DdbmError<'INTERRUPTED'> | undefined,
  direction: 'up' | 'down',
  names: readonly string[],
  finished: readonly string[],
  signal: AbortSignal | undefined,
): DdbmError<'INTERRUPTED'> {
  const done = direction === 'up' ? 'applied' : 'reverted'
  const name = err?.details.name
  const stopped = typeof name === 'string' ? name : undefined
  const notStarted = names.filter((n) => !finished.includes(n) && n !== stopped)
  // The interruption the migration stopped on (the executor's names the step), without its prefix.
  const inner = err?.cause instanceof DdbmError ? err.cause : err
  const where = inner?.message.replace(/^Interrupted( \(SIG[A-Z]+\))? ?/, '') ?? ''
  const parts = [
    finished.length === 0 ? `nothing ${done}` : `${done} ${finished.join(', ')}`,
    ...(stopped === undefined ? [] : [`${stopped} stopped ${where}, recorded as interrupted`]),
    ...(notStarted.length === 0 ? [] : [`not started: ${notStarted.join(', ')}`]),
  ]
  const signalName = err?.details.signal ?? signalOf(signal)
  const results = inner?.details?.results
  return new DdbmError(
    'INTERRUPTED',
    `Interrupted${signalName === undefined ? '' : ` (${signalName})`} during migrate ${direction}: ${parts.join('; ')}`,
    {
      signal: signalName,
      direction,
      [done]: [...finished],
      ...(stopped === undefined ? {} : { interrupted: stopped }),
      notStarted,
      ...(Array.isArray(results) ? { results } : {}),
    },
    {
      ...(err === undefined ? {} : { cause: err }),
      hint:
        direction === 'up'
          ? 'Re-run `ddbm migrate up`: its steps converge, so it picks up where this run stopped.'
          : 'See `ddbm migrate status`, then re-run `ddbm migrate down` for what is left: its steps converge.',
    },
  )
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
