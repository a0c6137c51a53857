import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { performance } from 'node:perf_hooks'
import { Umzug, type UmzugStorage } from 'umzug'
import { messageOf } from '../../errors.js'
import type { Emit } from '../../events.js'
import type { LoadedMigration } from '../../schema/load-migrations.js'
import type { Lease } from '../meta/lock.js'
import { loadRunnable, type RunOperations } from './load-migration.js'
import type { MigrationContext } from './migration-context.js'
import { deleteRecord, putRecord, type MigrationRecord } from '../meta/records.js'

export type MigratorDeps = {
  client: DynamoDBClient
  metaTable: string
  emit: Emit
  /** The held lock; undefined only in the test-only unlocked mode. Every record write is fenced by it. */
  lease: Lease | undefined
  runId: string
  appliedBy: string
  ddbmVersion: string
  context: MigrationContext
  runOps: RunOperations
  /** Wall clock for the display timestamps of records. */
  now?: () => number
}

/**
 * The umzug instance for one run: the migrations on disk, a storage on the meta table, and a wrapper that
 * records each migration as `running` before its first step, `failed` (with the error) when a step fails,
 * and `applied` (with duration, who and ddbm version) only after its last step: nothing is recorded
 * without its effect. `records` is the state read under the lock.
 */
export function createMigrator(
  migrations: readonly LoadedMigration[],
  records: readonly MigrationRecord[],
  deps: MigratorDeps,
): Umzug<MigrationContext> {
  const { client, metaTable, emit, lease } = deps
  const now = deps.now ?? Date.now
  const applied = new Set(records.filter((r) => r.status === 'applied').map((r) => r.name))
  const started = new Map<string, { startedAt: string; t0: number }>()
  const byName = new Map(migrations.map((m) => [m.name, m]))

  const record = (
    m: LoadedMigration,
    fields: Partial<MigrationRecord> & Pick<MigrationRecord, 'status'>,
  ) =>
    putRecord(
      client,
      metaTable,
      {
        name: m.name,
        checksum: m.checksum,
        startedAt: started.get(m.name)?.startedAt ?? new Date(now()).toISOString(),
        appliedBy: deps.appliedBy,
        ddbmVersion: deps.ddbmVersion,
        runId: deps.runId,
        ...fields,
      },
      lease,
    )
  const finished = (name: string) => ({
    finishedAt: new Date(now()).toISOString(),
    durationMs: Math.round(performance.now() - (started.get(name)?.t0 ?? performance.now())),
  })

  const run = async (m: LoadedMigration, direction: 'up' | 'down', ctx: MigrationContext) => {
    lease?.assertHeld()
    started.set(m.name, { startedAt: new Date(now()).toISOString(), t0: performance.now() })
    emit({ kind: 'migration', name: m.name, direction, status: 'start' })
    if (direction === 'up') await record(m, { status: 'running' })
    try {
      const runnable = await loadRunnable(m, deps.runOps)
      await runnable[direction](ctx)
    } catch (err) {
      const prefix = direction === 'down' ? 'down failed: ' : ''
      await record(m, { status: 'failed', ...finished(m.name), error: prefix + messageOf(err) })
      emit({ kind: 'migration', name: m.name, direction, status: 'failed' })
      throw err
    }
  }

  const storage: UmzugStorage<MigrationContext> = {
    executed: async () => [...applied].sort(),
    logMigration: async ({ name }) => {
      const m = byName.get(name)
      if (m === undefined) return
      const times = finished(name)
      await record(m, { status: 'applied', ...times })
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
      await deleteRecord(client, metaTable, name, lease)
      applied.delete(name)
      const { durationMs } = finished(name)
      emit({ kind: 'migration', name, direction: 'down', status: 'done', durationMs })
    },
  }

  return new Umzug<MigrationContext>({
    migrations: migrations.map((m) => ({
      name: m.name,
      path: m.absolutePath,
      up: ({ context }) => run(m, 'up', context),
      down: ({ context }) => run(m, 'down', context),
    })),
    context: deps.context,
    storage,
    logger: undefined,
  })
}
