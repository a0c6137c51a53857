import { Umzug } from 'umzug'
import { DdbmError, ERRORS, isDdbmError, messageOf } from '../../errors.js'
import type { Emit } from '../../events.js'
import { interruptedError, isInterruption, throwIfInterrupted } from '../../interrupt.js'
import type { BackupRecord } from '../../plan/history.js'
import type { LoadedMigration } from '../../schema/load-migrations.js'
import type { MetaLease, MetaStore, MigrationRecord } from '../meta/meta-store.js'
import { recordStorage } from './record-storage.js'
import type { RunInfo } from './run-record.js'

/** A migration ready to run: its context (client, table names...) is already bound. */
export type RunnableMigration = {
  up(): Promise<void>
  down(): Promise<void>
}

/** What the runner offers a migration while it runs. */
export type MigrationHooks = {
  /**
   * Records a backup taken before a deletion (the executor's `onBackup`), in the migration's record;
   * resolves once recorded, so the deletion goes on only then.
   */
  onBackup(backup: BackupRecord): Promise<void>
  /** The run's lock: a backfill fences its checkpoints with it. */
  lease: MetaLease
}

export type MigratorDeps = {
  store: MetaStore
  /** The held lock. Every record write is fenced by it; each migration starts by asserting it. */
  lease: MetaLease
  emit: Emit
  run: RunInfo
  /**
   * Loads one migration (the api binds load-migration.ts's runnable to the run's context) for a run in
   * `direction`; `hooks` belong to that run.
   */
  load: (
    m: LoadedMigration,
    hooks: MigrationHooks,
    direction: 'up' | 'down',
  ) => Promise<RunnableMigration>
  /** Wall clock for the display timestamps of records. */
  now?: () => number
  /**
   * When aborted, no further migration starts (DdbmError INTERRUPTED, nothing recorded for it); one that
   * stops on it (its steps' waits are abandoned, or a `.ts` migration's own check) is recorded
   * `interrupted`.
   */
  signal?: AbortSignal
}

/**
 * The umzug instance for one run: the migrations on disk, a storage on the meta store (record-storage.ts),
 * and a wrapper that records each migration as `running` before its first step, `failed` (with the error)
 * when it fails, `interrupted` when it stopped on `deps.signal`, and `applied` only after its last step. A
 * failure is thrown by migrationFailed: it names the migration (an interruption keeps the code
 * INTERRUPTED). `records` is the state read under the lock.
 */
export function createMigrator(
  migrations: readonly LoadedMigration[],
  records: readonly MigrationRecord[],
  deps: MigratorDeps,
): Umzug<object> {
  const { emit, lease } = deps
  const recorder = recordStorage(migrations, records, {
    store: deps.store,
    lease,
    run: deps.run,
    emit,
    ...(deps.now === undefined ? {} : { now: deps.now }),
  })

  const { signal } = deps
  const run = async (m: LoadedMigration, direction: 'up' | 'down') => {
    throwIfInterrupted(signal, `before ${m.name}`)
    lease.assertHeld()
    emit({ kind: 'migration', name: m.name, direction, status: 'start' })
    await recorder.start(m, direction)
    try {
      const runnable = await deps.load(
        m,
        { onBackup: (backup) => recorder.backup(m, direction, backup), lease },
        direction,
      )
      await runnable[direction]()
    } catch (caught) {
      const interrupted = isInterruption(caught, signal)
      // A `.ts` migration may stop on ctx.signal with the signal's own reason (or a library's AbortError):
      // name the file it stopped in.
      const err =
        interrupted && (caught === signal?.reason || !isDdbmError(caught, 'INTERRUPTED'))
          ? interruptedError(signal, `in ${m.file}`)
          : caught
      const status = interrupted ? 'interrupted' : 'failed'
      const prefix = direction === 'down' ? `down ${status}: ` : ''
      let recordError: unknown
      try {
        if (interrupted) await recorder.interrupt(m, prefix + messageOf(err))
        else await recorder.fail(m, prefix + messageOf(err))
      } catch (e) {
        recordError = e
        emit({
          kind: 'log',
          level: 'warn',
          message: `Could not record ${m.name} as ${status} (its record may still say "running"): ${messageOf(e)}`,
        })
      }
      emit({ kind: 'migration', name: m.name, direction, status })
      throw migrationFailed(m.name, direction, err, recordError)
    }
  }

  return new Umzug<object>({
    migrations: migrations.map((m) => ({
      name: m.name,
      path: m.absolutePath,
      up: () => run(m, 'up'),
      down: () => run(m, 'down'),
    })),
    context: {},
    storage: recorder.storage,
    logger: undefined,
  })
}

/**
 * The error of a failed migration, naming it: "Migration NAME failed: <the error's message>" ("(down)"
 * after the name going down). It keeps the error's code (MIGRATION_FAILED for anything but a DdbmError),
 * details (such as the executor's per-step `results`) and hint, with the error itself as `cause`. When
 * recording the failure failed too, `details.recordError` holds that error's code and message.
 */
export function migrationFailed(
  name: string,
  direction: 'up' | 'down',
  err: unknown,
  recordError?: unknown,
): DdbmError {
  const original = isDdbmError(err) ? err : undefined
  const code = original?.code ?? 'MIGRATION_FAILED'
  const label = direction === 'up' ? `Migration ${name} failed` : `Migration ${name} (down) failed`
  const details: Record<string, unknown> = { ...original?.details, name, direction }
  let hint = original?.hintOverride
  if (recordError !== undefined) {
    details.recordError = {
      code: isDdbmError(recordError) ? recordError.code : 'INTERNAL',
      message: messageOf(recordError),
    }
    hint = `${hint ?? ERRORS[code].hint} Recording the failure failed too (details.recordError): ${name} may still be recorded as running.`
  }
  return new DdbmError(code, `${label}: ${messageOf(err)}`, details, {
    cause: err,
    ...(hint === undefined ? {} : { hint }),
  })
}
