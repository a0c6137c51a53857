import { performance } from 'node:perf_hooks'
import type { UmzugStorage } from 'umzug'
import type { Emit } from '../../events.js'
import type { BackupRecord, HistoryFile } from '../../plan/history.js'
import type { MetaLease, MetaStore, MigrationRecord } from '../meta/meta-store.js'
import { migrationRecord, type RecordFields, type RunInfo } from './run-record.js'

export type RecordStorageDeps = {
  store: MetaStore
  /** The held lock: every record write is fenced by it. */
  lease: MetaLease
  run: RunInfo
  emit: Emit
  /** Wall clock for the display timestamps of records. Default Date.now. */
  now?: () => number
}

/** The run's bookkeeping: umzug's storage plus the `running` and `failed` records around a migration. */
export type RecordStorage = {
  /** Notes when `m` started and, going up, records it `running` before its first step. */
  start(m: HistoryFile, direction: 'up' | 'down'): Promise<void>
  /** Records `m` as `failed` with `error`, how long it ran and the backups it took. */
  fail(m: HistoryFile, error: string): Promise<void>
  /** Records `m` as `interrupted`, `error` saying where it stopped; like `fail` otherwise. */
  interrupt(m: HistoryFile, error: string): Promise<void>
  /**
   * Notes a backup `m` took before a deletion. Going up it is recorded at once (the `running` record), so
   * its ARN survives a crash; every later record of `m` in this run carries it too.
   */
  backup(m: HistoryFile, direction: 'up' | 'down', backup: BackupRecord): Promise<void>
  /**
   * umzug's storage: `executed` lists the applied migrations; `logMigration` records one `applied` (with
   * duration, who and ddbm version) after its last step; `unlogMigration` deletes its record after `down`.
   * Each emits the migration's `done` event.
   */
  storage: UmzugStorage<object>
}

/**
 * The records of one run in `store`, starting from `records` (the state read under the lock). Nothing is
 * recorded `applied` without its effect: only umzug's `logMigration`, after the last step, writes that.
 */
export function recordStorage(
  migrations: readonly HistoryFile[],
  records: readonly MigrationRecord[],
  deps: RecordStorageDeps,
): RecordStorage {
  const { store, lease, emit } = deps
  const now = deps.now ?? Date.now
  const applied = new Set(records.filter((r) => r.status === 'applied').map((r) => r.name))
  const started = new Map<string, { startedAt: string; t0: number }>()
  const backups = new Map<string, BackupRecord[]>()
  const byName = new Map(migrations.map((m) => [m.name, m]))

  const put = (m: HistoryFile, fields: Omit<RecordFields, 'startedAt' | 'backups'>) =>
    store.putRecord(
      migrationRecord(m, deps.run, {
        startedAt: started.get(m.name)?.startedAt ?? new Date(now()).toISOString(),
        ...fields,
        backups: backups.get(m.name) ?? [],
      }),
      lease,
    )
  const finished = (name: string) => ({
    finishedAt: new Date(now()).toISOString(),
    durationMs: Math.round(performance.now() - (started.get(name)?.t0 ?? performance.now())),
  })

  return {
    async start(m, direction) {
      backups.delete(m.name)
      started.set(m.name, { startedAt: new Date(now()).toISOString(), t0: performance.now() })
      if (direction === 'up') await put(m, { status: 'running' })
    },
    fail: (m, error) => put(m, { status: 'failed', ...finished(m.name), error }),
    interrupt: (m, error) => put(m, { status: 'interrupted', ...finished(m.name), error }),
    async backup(m, direction, backup) {
      backups.set(m.name, [...(backups.get(m.name) ?? []), backup])
      if (direction === 'up') await put(m, { status: 'running' })
    },
    storage: {
      executed: async () => [...applied].sort(),
      logMigration: async ({ name }) => {
        const m = byName.get(name)
        if (m === undefined) return
        const times = finished(name)
        await put(m, { status: 'applied', ...times })
        applied.add(name)
        emit({
          kind: 'migration',
          name,
          direction: 'up',
          status: 'done',
          durationMs: times.durationMs,
        })
      },
      unlogMigration: async ({ name }) => {
        await store.deleteRecord(name, lease)
        applied.delete(name)
        const { durationMs } = finished(name)
        emit({ kind: 'migration', name, direction: 'down', status: 'done', durationMs })
      },
    },
  }
}
