import { readLiveTable } from '../engine/live/read-live-table.js'
import { execute } from '../engine/steps/execute.js'
import type { Operation } from '../schema/operation.js'
import { assertValid, loadSchemas } from '../schema/load-schemas.js'
import { migrateSession, type MigrateOptions, type MigrateResult } from './migrate.js'
import type { BackupRecord } from '../plan/history.js'
import { backupsEnabled, guardDestructive, type ConfirmOptions } from './protection.js'
import { seedSession, type SeedOptions, type SeedResult } from './seed.js'
import { withSession, type Session, type SessionOptions } from './session.js'
import type { VerifyResult } from './verify.js'

/** Options of reset(): the session's, the confirmation of a protected environment, and seeding's knobs. */
export type ResetOptions = SessionOptions &
  ConfirmOptions &
  Pick<MigrateOptions, 'lockTimeoutMs'> &
  Pick<SeedOptions, 'seed' | 'count' | 'concurrency' | 'now' | 'indexWaitMs'>

/** What `ddbm db reset` did: the tables it deleted, then the migration, seeding and verification results. */
export type ResetResult = {
  env: string
  /** Physical names of the deleted tables (those of schemas/ that existed, and the meta table). */
  deleted: string[]
  /** The backups taken before the deletions (a protected environment's `backups`). */
  backups?: BackupRecord[]
  migrate: MigrateResult
  seed: SeedResult
  /** The verification after seeding (the tables' definitions and the seeded data). */
  verify?: VerifyResult
}

/**
 * `ddbm db reset`: deletes the environment's tables known to schemas/ and its meta table (concurrently),
 * then migrates up, seeds and verifies, on one session. Refused on a protected environment unless confirmed
 * by its name (PROTECTED_ENV before any mutating call).
 */
export function reset(opts: ResetOptions = {}): Promise<ResetResult> {
  return withSession(opts, (session) => resetSession(session, opts))
}

/** reset() on an open session. */
export async function resetSession(
  session: Session,
  opts: ResetOptions = {},
): Promise<ResetResult> {
  const { schemasDir, root } = session.project
  const schemas = assertValid(await loadSchemas(schemasDir, { root }))
  const names = [...schemas.map((s) => session.tableName(s.table.TableName)), session.env.metaTable]
  const live = await Promise.all(names.map((name) => readLiveTable(session.client, name)))
  const existing = names.filter((_, i) => live[i] !== undefined)
  const environment = await guardDestructive(
    session,
    { command: 'db reset', steps: existing.map((t) => `delete table ${t}`) },
    opts,
  )
  const backupBeforeDelete = backupsEnabled(session, environment)
  const steps = await Promise.all(
    existing.map((name) => {
      const ops: Operation[] = []
      if (live[names.indexOf(name)]?.definition.DeletionProtectionEnabled === true) {
        ops.push({ op: 'updateDeletionProtection', table: name, enabled: false })
      }
      ops.push({ op: 'deleteTable', table: name })
      return execute(ops, {
        client: session.client,
        emit: session.emit,
        tableName: (t) => t,
        backupBeforeDelete,
      })
    }),
  )
  const backups = steps.flat().flatMap((r) => (r.backup === undefined ? [] : [r.backup]))
  // Confirmed once: the migration and the seeding below act on that confirmation, and the identity
  // (deleted with the meta table) is recorded again as protected as it was.
  const confirmed = { confirmEnv: session.env.name }
  const processEnv = opts.processEnv ?? process.env
  const migrate = await migrateSession(session, 'up', {
    processEnv,
    verify: false,
    ...(opts.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: opts.lockTimeoutMs }),
    ...confirmed,
    environment: { ...environment, stored: undefined },
  })
  const seeded = await seedSession(session, { ...opts, ...confirmed })
  return {
    env: session.env.name,
    deleted: existing,
    ...(backups.length === 0 ? {} : { backups }),
    migrate,
    seed: seeded,
    ...(seeded.verify === undefined ? {} : { verify: seeded.verify }),
  }
}
