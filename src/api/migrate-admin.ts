import { DdbmError } from '../errors.js'
import { forceUnlock, readLock, type LockInfo } from '../engine/meta/lock.js'
import { deleteRecord, putRecord } from '../engine/meta/records.js'
import { checkHistory, type StatusRow } from '../plan/history.js'
import { VERSION } from '../version.js'
import { loadMigrations } from '../schema/load-migrations.js'
import { appliedBy, readRecordsIfAny, withLock } from './migrate-shared.js'
import { withSession, type SessionOptions } from './session.js'
import { metaTableExists } from '../engine/meta/meta-table.js'

export type MigrateStatus = {
  env: string
  metaTable: string
  rows: StatusRow[]
  /** The problems `migrate up` would refuse to go past (changed, missing, out of order). */
  problems: { code: string; name: string; message: string }[]
  lock?: { holder: string; since: string }
}

/**
 * `ddbm migrate status`: every migration with its state (applied, pending, failed, running, changed, missing),
 * when and by whom it was applied and how long it took, plus who holds the lock. Read-only: creates nothing.
 */
export async function migrateStatus(opts: SessionOptions = {}): Promise<MigrateStatus> {
  return withSession(opts, async (session) => {
    const { project } = session
    const { migrations } = await loadMigrations(project.migrationsDir, { root: project.root })
    const records = await readRecordsIfAny(session)
    const { rows, problems } = checkHistory(migrations, records)
    const lock =
      records.length > 0 || (await metaTableExists(session.client, session.env.metaTable))
        ? await readLock(session.client, session.env.metaTable)
        : undefined
    return {
      env: session.env.name,
      metaTable: session.env.metaTable,
      rows,
      problems: problems.map(({ code, name, message }) => ({ code, name, message })),
      ...(lock === undefined ? {} : { lock: { holder: lock.holder, since: lock.since } }),
    }
  })
}

/**
 * `ddbm migrate unlock`: removes the lock of a run that died (a live holder then fails with LOCK_LOST at its
 * next heartbeat). Asks through `confirm` unless `yes`; refuses without either.
 */
export async function migrateUnlock(
  opts: SessionOptions & { yes?: boolean; confirm?: (question: string) => Promise<boolean> } = {},
): Promise<{ removed: boolean; holder?: string; since?: string }> {
  return withSession(opts, async (session) => {
    if (!(await metaTableExists(session.client, session.env.metaTable))) return { removed: false }
    const lock: LockInfo | undefined = await readLock(session.client, session.env.metaTable)
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
    const removed = await forceUnlock(session.client, session.env.metaTable)
    return removed === undefined
      ? { removed: false }
      : { removed: true, holder: removed.holder, since: removed.since }
  })
}

/**
 * `ddbm migrate resolve <name> --applied|--rolled-back`: marks a failed (or interrupted, or missing)
 * migration as applied (its changes are in place; the file's checksum is recorded) or rolled back (the
 * record is removed, so `up` runs it again). Under the lock, like any bookkeeping write.
 */
export async function migrateResolve(
  opts: SessionOptions & { name: string; as: 'applied' | 'rolled-back'; lockTimeoutMs?: number },
): Promise<{ name: string; status: 'applied' | 'rolled-back' }> {
  const processEnv = opts.processEnv ?? process.env
  return withSession(opts, async (session) => {
    const { migrations } = await loadMigrations(session.project.migrationsDir, {
      root: session.project.root,
    })
    return withLock(session, { ...opts, processEnv }, async (lease, records, runId) => {
      const record = records.find((r) => r.name === opts.name)
      const file = migrations.find((m) => m.name === opts.name)
      if (record === undefined && opts.as === 'rolled-back') {
        throw new DdbmError('USAGE', `${opts.name} has no record: there is nothing to roll back`)
      }
      if (
        record?.status === 'applied' &&
        opts.as === 'applied' &&
        record.checksum === file?.checksum
      ) {
        return { name: opts.name, status: 'applied' }
      }
      if (opts.as === 'rolled-back') {
        await deleteRecord(session.client, session.env.metaTable, opts.name, lease)
        return { name: opts.name, status: 'rolled-back' }
      }
      if (file === undefined) {
        throw new DdbmError('USAGE', `No migration file named ${opts.name}`, undefined, {
          hint: 'Only a migration whose file exists can be marked applied.',
        })
      }
      const now = new Date().toISOString()
      await putRecord(
        session.client,
        session.env.metaTable,
        {
          name: file.name,
          checksum: file.checksum,
          status: 'applied',
          startedAt: record?.startedAt ?? now,
          finishedAt: now,
          appliedBy: `${appliedBy(processEnv)} (resolve --applied)`,
          ddbmVersion: VERSION,
          runId,
        },
        lease,
      )
      return { name: opts.name, status: 'applied' }
    })
  })
}
