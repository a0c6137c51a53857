import type { TableDescription } from '@aws-sdk/client-dynamodb'
import { throwIfInterrupted } from '../interrupt.js'
import type { Lease } from '../engine/meta/lock.js'
import type { StepResult } from '../engine/steps/execute.js'
import { DEFAULT_TABLE_CONCURRENCY } from '../engine/steps/table-concurrency.js'
import { DdbmError, isDdbmError } from '../errors.js'
import type { Operation } from '../schema/operation.js'
import { assertValid, loadSchemas } from '../schema/load-schemas.js'
import { migrateSession, type MigrateOptions, type MigrateResult } from './migrate.js'
import type { BackupRecord } from '../plan/history.js'
import { lockOf } from './migrate-shared.js'
import { backupsEnabled, guardDestructive, type ConfirmOptions } from './protection.js'
import { seedSession, type SeedOptions, type SeedResult } from './seed.js'
import { withSession, type Session, type SessionOptions } from './session.js'
import { summarize, throwOnDrift, verifySession, type VerifyResult } from './verify.js'

/** Options of reset(): the session's, the confirmation of a protected environment, and seeding's knobs. */
export type ResetOptions = SessionOptions &
  ConfirmOptions &
  Pick<MigrateOptions, 'lockTimeoutMs'> &
  Pick<SeedOptions, 'seed' | 'count' | 'concurrency' | 'now' | 'indexWaitMs'>

/** What `ddbm db reset` did: the tables it deleted, then the migration, seeding and verification results. */
export type ResetResult = {
  env: string
  /**
   * Physical names of the deleted tables: those of schemas/ that existed, in schemas/' order, then the
   * meta table if it existed.
   */
  deleted: string[]
  /** The backups taken before the deletions (a protected environment's `backups`). */
  backups?: BackupRecord[]
  /** `migrate up` from an empty environment (its own verification left out: see `verify`). */
  migrate: MigrateResult
  /** What seeding wrote; its verification is part of `verify`, so `seed.verify` is left out. */
  seed: Omit<SeedResult, 'verify'>
  /**
   * The environment verified at the end: every table of schemas/ (and any other live table named by the
   * environment's template, as drift) with verify's checks, plus the `data:` checks of the seeded tables.
   */
  verify: VerifyResult
}

/** Tables deleted at once: the cap of the executor (docs/db-reset.md). */
export const RESET_CONCURRENCY = DEFAULT_TABLE_CONCURRENCY

/**
 * `ddbm db reset`: deletes the environment's tables known to schemas/ and its meta table, then migrates up,
 * seeds, and verifies the whole environment, on one session (docs/db-reset.md).
 *
 * - Refused on a protected environment unless confirmed by its name (PROTECTED_ENV, before any mutating
 *   call: guardDestructive).
 * - The lock: when the meta table exists, reset first takes the migration lock in it like `migrate up`
 *   (waiting up to `lockTimeoutMs`, default 15 min, for a live run; LOCK_HELD after that; a dead run's
 *   lease is taken over after one lease), so it never deletes tables under a running migration; holding
 *   it, it reads again which tables exist. It keeps the lock until the meta table, deleted first, takes
 *   the lock item with it: a run that was waiting then fails (its lock table is gone) instead of migrating
 *   tables that are being deleted. `migrate up` takes a fresh lock in the new meta table. Two resets of one
 *   environment at once are not supported.
 * - Deletions run concurrently, at most {@link RESET_CONCURRENCY} tables at once; deletion protection is
 *   lifted first where it is on (only a protected environment's confirmation guards tables there).
 * - Verification: drift throws VERIFY_DRIFT (exit 3) with `details.result` (the whole verification) and
 *   `details.reset` (the whole ResetResult).
 * - Interrupted (`signal`): it stops at a safe point of the phase under way (deleting, migrating, seeding,
 *   verifying) and throws DdbmError INTERRUPTED naming the phase, with that phase's own report (steps,
 *   migrations applied, items written and not written); re-running `db reset` starts over.
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
  const processEnv = opts.processEnv ?? process.env
  const schemas = assertValid(await loadSchemas(schemasDir, { root }))
  const meta = session.env.metaTable
  const names = [...schemas.map((s) => session.tableName(s.table.TableName)), meta]
  let live = await describeAll(session, names)
  const environment = await guardDestructive(
    session,
    {
      command: 'db reset',
      steps: names.filter((n) => live.has(n)).map((t) => `delete table ${t}`),
    },
    opts,
  )
  const metaLive = live.get(meta)
  let lease: Lease | undefined
  if (metaLive !== undefined && metaLive.TableStatus !== 'DELETING') {
    const { acquireLock } = await import('../engine/meta/lock.js')
    lease = await acquireLock({
      client: session.client,
      table: meta,
      emit: session.emit,
      ...lockOf(session, processEnv, opts.lockTimeoutMs),
      ...(session.signal === undefined ? {} : { signal: session.signal }),
    })
    // A run waited for may have created tables meanwhile: they go too.
    live = await describeAll(session, names).catch(async (err: unknown) => {
      await lease?.release()
      throw err
    })
  }
  const existing = names.filter((name) => live.has(name))
  const backupBeforeDelete = backupsEnabled(session, environment)
  const steps = await phase('while deleting the tables', () =>
    deleteTables(
      session,
      [meta, ...existing.filter((t) => t !== meta)],
      live,
      lease,
      backupBeforeDelete,
    ),
  )
  const backups = steps.flatMap((r) => (r.backup === undefined ? [] : [r.backup]))
  // Confirmed once: the migration and the seeding below act on that confirmation, and the identity
  // (deleted with the meta table) is recorded again as protected as it was.
  const confirmed = { confirmEnv: session.env.name }

  const migrate = await phase(`after deleting ${existing.length} table(s)`, () =>
    migrateSession(session, 'up', {
      processEnv,
      verify: false,
      ...(opts.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: opts.lockTimeoutMs }),
      ...confirmed,
      environment: { ...environment, stored: undefined },
    }),
  )
  const { verify: seedChecks, ...seeded } = await phase('after migrating up', () =>
    seedWithoutDrift(session, { ...opts, ...confirmed }),
  )
  const verify = await phase('after seeding', async () => {
    throwIfInterrupted(session.signal, 'before verifying')
    return verifyAll(session, seedChecks)
  })
  const result: ResetResult = {
    env: session.env.name,
    deleted: existing,
    ...(backups.length === 0 ? {} : { backups }),
    migrate,
    seed: seeded,
    verify,
  }
  throwOnDrift(result.verify, `after resetting ${session.env.name}`, { reset: result })
  return result
}

/**
 * Runs one phase of a reset; an interruption in it is rethrown as DdbmError INTERRUPTED whose message says
 * where the reset stopped (`where`, e.g. `after migrating up`), keeping the phase's details.
 */
async function phase<T>(where: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (!isDdbmError(err, 'INTERRUPTED')) throw err
    throw new DdbmError(
      'INTERRUPTED',
      `${err.message} (db reset stopped ${where})`,
      { ...err.details, phase: where },
      {
        cause: err,
        hint: 'Re-run `ddbm db reset`: it deletes what this run created and builds the environment again.',
      },
    )
  }
}

/** The descriptions of those of `names` that exist. */
async function describeAll(
  session: Session,
  names: readonly string[],
): Promise<Map<string, TableDescription>> {
  const live = new Map<string, TableDescription>()
  const { describeTable } = await import('../dynamo/wait.js')
  await Promise.all(
    names.map(async (name) => {
      const table = await describeTable(session.client, name)
      if (table !== undefined) live.set(name, table)
    }),
  )
  return live
}

/**
 * Deletes `tables` that exist (`live`) through the executor: concurrently, deletion protection lifted
 * first. `lease`'s heartbeat stops before: the meta table, first in `tables`, goes with the lock item.
 * Should its deletion fail, the lock is released.
 */
async function deleteTables(
  session: Session,
  tables: readonly string[],
  live: ReadonlyMap<string, TableDescription>,
  lease: Lease | undefined,
  backupBeforeDelete: boolean,
): Promise<StepResult[]> {
  const ops: Operation[] = []
  for (const table of tables) {
    const found = live.get(table)
    if (found === undefined) continue
    if (found.DeletionProtectionEnabled === true) {
      ops.push({ op: 'updateDeletionProtection', table, enabled: false })
    }
    ops.push({ op: 'deleteTable', table })
  }
  const { execute } = await import('../engine/steps/execute.js')
  lease?.stopHeartbeat()
  try {
    return await execute(ops, {
      client: session.client,
      emit: session.emit,
      tableName: (t) => t,
      backupBeforeDelete,
      concurrency: RESET_CONCURRENCY,
      ...(session.signal === undefined ? {} : { signal: session.signal }),
    })
  } catch (err) {
    const results = (
      isDdbmError(err, 'MIGRATION_FAILED', 'INTERRUPTED') ? (err.details?.results ?? []) : []
    ) as StepResult[]
    const metaGone = results.some(
      (r) => r.table === session.env.metaTable && r.op === 'deleteTable' && r.status === 'done',
    )
    if (!metaGone) await lease?.release()
    throw err
  }
}

/** seedSession, whose own drift is not thrown: the verification of the whole environment reports it. */
async function seedWithoutDrift(session: Session, opts: ResetOptions): Promise<SeedResult> {
  try {
    return await seedSession(session, opts)
  } catch (err) {
    if (isDdbmError(err, 'VERIFY_DRIFT') && err.details.seed !== undefined) {
      return err.details.seed as SeedResult
    }
    throw err
  }
}

/**
 * verify() of the whole environment, plus the `data:` checks seeding made of the tables it wrote (their
 * check events were emitted by seeding already, so only the other tables' are emitted here).
 */
async function verifyAll(
  session: Session,
  seeded: VerifyResult | undefined,
): Promise<VerifyResult> {
  const data = new Map(
    (seeded?.tables ?? []).map((t) => [
      t.table,
      t.checks.filter((c) => c.check.startsWith('data:')),
    ]),
  )
  const quiet: Session = {
    ...session,
    emit: (e) => {
      if (e.kind !== 'check' || !data.has(e.table)) session.emit(e)
    },
  }
  let whole: VerifyResult
  try {
    whole = await verifySession(quiet)
  } catch (err) {
    if (!isDdbmError(err, 'VERIFY_DRIFT')) throw err
    whole = err.details.result
  }
  const tables = whole.tables.map((t) => ({
    ...t,
    checks: [...t.checks, ...(data.get(t.table) ?? [])],
  }))
  return { env: whole.env, tables, summary: summarize(tables) }
}
