import { DdbmError } from '../errors.js'
import { readRecordsIfAny } from '../engine/runner/history-check.js'
import { resolveMigration } from '../engine/runner/resolve.js'
import { checkHistory, type StatusRow } from '../plan/history.js'
import { VERSION } from '../version.js'
import { loadMigrations } from '../schema/load-migrations.js'
import type { EnvironmentRecord } from '../engine/meta/meta-store.js'
import { backfillStatusOf, type BackfillStatus } from '../backfill/status.js'
import type { BackfillStore } from '../engine/backfill/backfill-store.js'
import { appliedBy, lockOf, metaStoreOf, type MetaStoreOption } from './migrate-shared.js'
import { checkEnvironment, recordEnvironment } from './protection.js'
import { withSession, type Session, type SessionOptions } from './session.js'

export type MigrateStatus = {
  env: string
  metaTable: string
  rows: StatusRow[]
  /** The problems `migrate up` would refuse to go past (changed, missing, out of order). */
  problems: { code: string; name: string; message: string }[]
  lock?: { holder: string; since: string }
  /** The environment's identity recorded in the meta table (absent before the first mutating command). */
  environment?: EnvironmentRecord
  /**
   * Backfills not done (running, or left by a run that stopped or failed) with their progress from the
   * meta table (docs/backfills.md); absent when there is none.
   */
  backfills?: BackfillStatus[]
}

/**
 * `ddbm migrate status`: every migration with its state (applied, pending, failed, running, changed, missing),
 * when and by whom it was applied and how long it took, plus who holds the lock and the environment's
 * recorded identity (a meta table recording another environment is a warning). Read-only: creates nothing.
 */
export async function migrateStatus(
  opts: SessionOptions & MetaStoreOption = {},
): Promise<MigrateStatus> {
  return withSession(opts, (session) => migrateStatusSession(session, opts))
}

/** migrateStatus() on an open session (the studio reads it on its own session every few seconds). */
export async function migrateStatusSession(
  session: Session,
  opts: MetaStoreOption = {},
): Promise<MigrateStatus> {
  const { project } = session
  const store = metaStoreOf(session, opts)
  const { stored } = await checkEnvironment(session, store, 'read-only')
  const { migrations } = await loadMigrations(project.migrationsDir, { root: project.root })
  const records = await readRecordsIfAny(store)
  const { rows, problems } = checkHistory(migrations, records)
  const metaTable = records.length > 0 || (await store.exists())
  const lock = metaTable ? await store.readLock() : undefined
  const backfills = metaTable ? await unfinishedBackfills(await store.backfills?.()) : []
  return {
    env: session.env.name,
    metaTable: store.table,
    rows,
    problems: problems.map(({ code, name, message }) => ({ code, name, message })),
    ...(lock === undefined ? {} : { lock: { holder: lock.holder, since: lock.since } }),
    ...(stored === undefined ? {} : { environment: stored }),
    ...(backfills.length === 0 ? {} : { backfills }),
  }
}

/** The backfills whose header is not `done`, each with its segments read (strongly consistent). */
async function unfinishedBackfills(store: BackfillStore | undefined): Promise<BackfillStatus[]> {
  if (store === undefined) return []
  const open = (await store.list()).filter((h) => h.status !== 'done')
  const found: BackfillStatus[] = []
  for (const header of open) {
    const state = await store.read(header)
    if (state !== undefined) found.push(backfillStatusOf(state.header, state.segments))
  }
  return found
}

/**
 * `ddbm migrate unlock`: removes the lock of a run that died (a live holder then fails with LOCK_LOST at its
 * next heartbeat). Asks through `confirm` unless `yes`; refuses without either, and refuses a meta table
 * that records another environment (ENV_MISMATCH).
 */
export async function migrateUnlock(
  opts: SessionOptions &
    MetaStoreOption & { yes?: boolean; confirm?: (question: string) => Promise<boolean> } = {},
): Promise<{ removed: boolean; holder?: string; since?: string }> {
  return withSession(opts, async (session) => {
    const store = metaStoreOf(session, opts)
    if (!(await store.exists())) return { removed: false }
    await checkEnvironment(session, store, 'mutating')
    const lock = await store.readLock()
    if (lock === undefined) return { removed: false }
    const question = `Remove the migration lock of "${session.env.name}" held by ${lock.holder} since ${lock.since}?`
    if (opts.yes !== true && !(opts.confirm !== undefined && (await opts.confirm(question)))) {
      throw new DdbmError(
        'USAGE',
        `Not removing the lock held by ${lock.holder} since ${lock.since}`,
        {
          holder: lock.holder,
        },
        { hint: 'Confirm with --yes once you are sure its holder is gone.' },
      )
    }
    const removed = await store.forceUnlock()
    return removed === undefined
      ? { removed: false }
      : { removed: true, holder: removed.holder, since: removed.since }
  })
}

/**
 * `ddbm migrate resolve <name> --applied|--rolled-back`: marks a failed (or interrupted, or missing)
 * migration as applied (its changes are in place; the file's checksum is recorded) or rolled back (the
 * record is removed, so `up` runs it again). Under the lock, like any bookkeeping write. Refuses a meta
 * table that records another environment (ENV_MISMATCH), and records the environment's identity.
 *
 * Marking applied a migration that has no record (it never ran in this environment: its steps would
 * never run) warns, then asks through `confirm` unless `yes`, and refuses (USAGE) without either: the
 * legitimate case is adopting tables that already have its changes, as Flyway's and Prisma's baselines.
 */
export async function migrateResolve(
  opts: SessionOptions &
    MetaStoreOption & {
      name: string
      as: 'applied' | 'rolled-back'
      lockTimeoutMs?: number
      yes?: boolean
      confirm?: (question: string) => Promise<boolean>
    },
): Promise<{ name: string; status: 'applied' | 'rolled-back' }> {
  const processEnv = opts.processEnv ?? process.env
  return withSession(opts, async (session) => {
    const { migrations } = await loadMigrations(session.project.migrationsDir, {
      root: session.project.root,
    })
    const store = metaStoreOf(session, opts)
    const environment = await checkEnvironment(session, store, 'mutating')
    const known = migrations.some((m) => m.name === opts.name)
    if (opts.as === 'applied' && known) {
      const records = await readRecordsIfAny(store)
      if (!records.some((r) => r.name === opts.name)) await confirmNeverRan(session, opts)
    }
    const resolved = await resolveMigration({
      store,
      migrations,
      name: opts.name,
      as: opts.as,
      lock: lockOf(session, processEnv, opts.lockTimeoutMs),
      emit: session.emit,
      appliedBy: appliedBy(processEnv),
      ddbmVersion: VERSION,
    })
    await recordEnvironment(session, store, environment, appliedBy(processEnv))
    return resolved
  })
}

/** The warning, then the confirmation, before marking applied a migration that never ran. */
async function confirmNeverRan(
  session: Pick<Session, 'env' | 'emit'>,
  opts: { name: string; yes?: boolean; confirm?: (question: string) => Promise<boolean> },
): Promise<void> {
  const env = session.env.name
  session.emit({
    kind: 'log',
    level: 'warn',
    message: `${opts.name} never ran in "${env}": marking it applied records it without running its steps, and \`migrate up\` will skip it`,
  })
  const question = `Mark ${opts.name} applied in "${env}" although its steps never ran there?`
  if (opts.yes === true || (opts.confirm !== undefined && (await opts.confirm(question)))) return
  throw new DdbmError(
    'USAGE',
    `Not marking ${opts.name} applied: it never ran in "${env}"`,
    { name: opts.name },
    {
      hint: 'Run `ddbm migrate up` to apply it; if its changes are already in place (tables made by hand or by another tool), confirm with --yes.',
    },
  )
}
