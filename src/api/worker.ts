import { DdbmError } from '../errors.js'
import { sleepUnlessInterrupted } from '../interrupt.js'
import { loadMigrations } from '../schema/load-migrations.js'
import type { BackfillHeader } from '../engine/backfill/backfill-store.js'
import type { BackfillResult } from '../engine/backfill/run-backfill.js'
import { readRecordsIfAny } from '../engine/runner/history-check.js'
import type { MetaStore } from '../engine/meta/meta-store.js'
import { appliedBy, metaStoreOf, type MetaStoreOption } from './migrate-shared.js'
import { checkEnvironment } from './protection.js'
import { withSession, type Session, type SessionOptions } from './session.js'

/** This worker's place among the runner's workers, when the runner says (see docs/backfills.md). */
export type WorkerSlot = { index: number; count?: number }

export type WorkerOptions = SessionOptions &
  MetaStoreOption & {
    /** Segments this worker works on at once, over each backfill's `concurrency`. */
    concurrency?: number
    /** Its index (0-based) and the number of workers: a worker prefers the segments `i % count === index`. */
    slot?: WorkerSlot
    /** How long to wait for a backfill to join, and for the next one after it. Default 10 min. */
    waitMs?: number
    /** Between looks at the meta table while waiting. Default 1 s. */
    pollMs?: number
  }

export type WorkerResult = {
  env: string
  metaTable: string
  slot?: WorkerSlot
  /** The backfills this worker joined, in order, with what it did in each. */
  backfills: BackfillResult[]
}

/**
 * `ddbm migrate worker`: joins the backfills a `migrate up` run (the coordinator) has running
 * (docs/backfills.md). It waits up to `waitMs` for one, loads its migration from migrations/ (refusing a
 * file whose checksum differs from the one being applied), and runs the same function (`up` or `down`)
 * with a context whose `ctx.backfill` claims open segments through leases in the meta table instead of
 * starting the backfill, and whose `role` is `worker`. It never records a migration. It returns when no
 * backfill is left running and the migration lock is free, after joining one or when every migration is
 * applied (nothing will start one), or when nothing came for `waitMs`.
 */
export async function migrateWorker(opts: WorkerOptions = {}): Promise<WorkerResult> {
  return withSession(opts, (session) => work(session, opts))
}

async function work(session: Session, opts: WorkerOptions): Promise<WorkerResult> {
  const [{ runBackfill }, { loadRunnable }, { migrationContext }] = await Promise.all([
    import('../engine/backfill/run-backfill.js'),
    import('../engine/runner/load-migration.js'),
    import('../engine/runner/migration-context.js'),
  ])
  const store = metaStoreOf(session, opts)
  if (store.backfills === undefined) {
    throw new DdbmError('USAGE', 'migrate worker needs the DynamoDB meta table', undefined, {
      hint: 'Run it on the environment the `migrate up` run uses (no injected meta store).',
    })
  }
  await checkEnvironment(session, store, 'mutating')
  const backfills = await store.backfills()
  const { migrations } = await loadMigrations(session.project.migrationsDir, {
    root: session.project.root,
  })
  const processEnv = opts.processEnv ?? process.env
  const slot = opts.slot
  const holder = `${appliedBy(processEnv)} pid ${process.pid} worker${slot === undefined ? '' : ` ${slot.index}${slot.count === undefined ? '' : `/${slot.count}`}`}`
  const waitMs = opts.waitMs ?? 600_000
  const pollMs = opts.pollMs ?? 1000
  const { signal } = session
  const joined = new Set<string>()
  const results: BackfillResult[] = []
  let deadline = performance.now() + waitMs

  for (;;) {
    const headers = (await store.exists()) ? await backfills.list() : []
    const next = headers.find((h) => h.status === 'running' && !joined.has(keyOf(h)))
    if (next === undefined) {
      const lockFree = !(await store.exists()) || (await store.readLock()) === undefined
      // Lock free: no `migrate up` runs now; with nothing pending, none will start a backfill to join.
      if (lockFree && (results.length > 0 || (await nothingPending(store, migrations)))) break
      if (performance.now() >= deadline) break
      await sleepUnlessInterrupted(pollMs, signal, 'while waiting for a backfill to join')
      continue
    }
    joined.add(keyOf(next))
    const m = migrations.find((x) => x.name === next.migration)
    if (m === undefined || m.kind !== 'ts') {
      throw new DdbmError(
        'MIGRATION_MISSING',
        `Backfill ${next.name} belongs to ${next.migration}, which is not a .ts file in ${session.project.migrationsDir}`,
        undefined,
        { hint: 'Run the worker from the same checkout (image) as `migrate up`.' },
      )
    }
    const record = (await readRecordsIfAny(store)).find((r) => r.name === m.name)
    if (record !== undefined && record.checksum !== m.checksum) {
      throw new DdbmError(
        'MIGRATION_CHANGED',
        `${m.file} differs from the file \`migrate up\` is applying (checksum ${record.checksum.slice(0, 12)}…, this one ${m.checksum.slice(0, 12)}…)`,
        { problems: [{ name: m.name, message: 'checksum differs', hint: 'same checkout' }] },
        { hint: 'Run the worker from the same checkout (image) as `migrate up`.' },
      )
    }
    const runnable = await loadRunnable(m, () =>
      Promise.reject(new DdbmError('INTERNAL', 'A worker runs no table operations')),
    )
    const ctx = migrationContext({
      client: session.client,
      env: session.env.name,
      tableName: session.tableName,
      emit: session.emit,
      ...(signal === undefined ? {} : { signal }),
      role: 'worker',
      backfill: async (spec) => {
        const result = await runBackfill(spec, {
          client: session.client,
          store: backfills,
          tableName: session.tableName,
          migration: m.name,
          file: m.file,
          role: 'worker',
          direction: next.direction,
          holder,
          emit: session.emit,
          joinTimeoutMs: waitMs,
          ...(signal === undefined ? {} : { signal }),
          ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }),
          ...(slot?.count === undefined
            ? {}
            : { prefer: { index: slot.index, workers: slot.count } }),
        })
        results.push(result)
        return result
      },
    })
    await runnable[next.direction](ctx)
    // Every backfill of that function is known now, also those it had finished before we joined.
    for (const h of await backfills.list()) if (h.migration === m.name) joined.add(keyOf(h))
    deadline = performance.now() + waitMs
  }
  return {
    env: session.env.name,
    metaTable: store.table,
    ...(slot === undefined ? {} : { slot }),
    backfills: results,
  }
}

/** True when every migration in migrations/ is recorded applied. */
async function nothingPending(
  store: MetaStore,
  migrations: readonly { name: string }[],
): Promise<boolean> {
  const records = await readRecordsIfAny(store)
  return migrations.every((m) => records.some((r) => r.name === m.name && r.status === 'applied'))
}

const keyOf = (h: BackfillHeader) => `${h.migration}#${h.name}#${h.direction}`
