import { isDdbmError, DdbmError } from '../errors.js'
import { throwIfInterrupted } from '../interrupt.js'
import { describeOperation } from '../plan/describe.js'
import type { StatusRow } from '../plan/history.js'
import { replay } from '../plan/replay.js'
import { selectDown, selectUp } from '../plan/select.js'
import { loadMigrations, type LoadedMigration } from '../schema/load-migrations.js'
import type { BackupRecord } from '../plan/history.js'
import { sortIssues } from '../schema/issues.js'
import { isDestructive, type Operation } from '../schema/operation.js'
import { VERSION } from '../version.js'
import type { MetaLease, MetaStore } from '../engine/meta/meta-store.js'
import type { BackfillResult } from '../engine/backfill/run-backfill.js'
import type { DryRunBackfill, NotPreviewed } from '../engine/backfill/dry-run.js'
import { appliedBy, lockOf, metaStoreOf, type MetaStoreOption } from './migrate-shared.js'
import {
  backupsEnabled,
  checkEnvironment,
  guardDestructive,
  recordEnvironment,
  type ConfirmOptions,
  type EnvironmentCheck,
} from './protection.js'
import { withSession, type Session, type SessionOptions } from './session.js'
import { verifySession, type VerifyResult } from './verify.js'

export type MigrateOptions = SessionOptions &
  MetaStoreOption &
  ConfirmOptions & {
    /** up: apply up to and including NAME. down: revert NAME and everything after it; 0 reverts all. */
    to?: string | 0
    /** At most N migrations (down: default 1). */
    step?: number
    /** Print the exact operations with physical table names; change nothing (no lock, no meta table). */
    dryRun?: boolean
    /** How long to wait for another run's lock; default 15 min. */
    lockTimeoutMs?: number
    /** Verify the tables against schemas/ after `up` (default true; skipped while migrations stay pending). */
    verify?: boolean
    /** Segments each backfill works on at once in this process, over the backfill's own `concurrency`. */
    backfillConcurrency?: number
  }

/** One planned step: the operation, its physical table and its one-line text. */
export type PlannedStep = {
  op: Operation | { op: 'typescript'; file: string }
  table: string
  text: string
}

export type MigrateResult = {
  env: string
  metaTable: string
  direction: 'up' | 'down'
  dryRun: boolean
  /** The migrations run (or, with dryRun, that would run), in order. */
  migrations: { name: string; steps: PlannedStep[] }[]
  /** Migration states after the run. */
  status: StatusRow[]
  /**
   * The backups taken before deletions, with the migration that took each (also in its record going up;
   * going down the record goes away with the migration). Absent when none was taken.
   */
  backups?: (BackupRecord & { migration: string })[]
  /** The verification after `up`; absent when skipped (dry run, --no-verify, migrations left pending). */
  verify?: VerifyResult
  /** What each backfill of the `.ts` migrations run did (docs/backfills.md); absent when none ran. */
  backfills?: BackfillResult[]
  /**
   * `up --dry-run`: what each backfill of the pending `.ts` migrations would do, from a sample (their
   * `up` ran with writes shown, not made); absent when none would run.
   */
  dryRunBackfills?: DryRunBackfill[]
  /**
   * `up --dry-run`: the pending `.ts` migrations whose `up` read a table that a pending migration before
   * them creates (so it does not exist yet); absent when none.
   */
  notPreviewed?: NotPreviewed[]
}

/**
 * `ddbm migrate up`: checks migrations/ and the history offline and read-only, refuses an environment
 * whose meta table records another name (ENV_MISMATCH) and, on a protected environment, destructive
 * steps not confirmed by the environment's name (PROTECTED_ENV), both before any change. Then it takes
 * the lock, re-reads the state, and applies the pending migrations (failed ones are re-run: their steps
 * converge). Parallel runs are safe: the ones that lose the race find nothing to do.
 */
export function migrateUp(opts: MigrateOptions = {}): Promise<MigrateResult> {
  return migrate('up', opts)
}

/**
 * `ddbm migrate down`: reverts the last applied migration (or `to` / `step`), newest first. A selection
 * that holds an irreversible migration (`"irreversible": true`) is refused (USAGE) before any change.
 */
export function migrateDown(opts: MigrateOptions = {}): Promise<MigrateResult> {
  return migrate('down', opts)
}

async function migrate(direction: 'up' | 'down', opts: MigrateOptions): Promise<MigrateResult> {
  if (opts.to !== undefined && opts.step !== undefined)
    throw new DdbmError('USAGE', "Can't use --to and --step together")
  return withSession(opts, (session) => migrateSession(session, direction, opts))
}

/** migrate up / down on an open session (db reset migrates on the session it deleted the tables with). */
export async function migrateSession(
  session: Session,
  direction: 'up' | 'down',
  opts: Omit<MigrateOptions, keyof SessionOptions> &
    Pick<SessionOptions, 'processEnv'> & {
      /** The environment as a caller on this session checked it already (db reset, before deleting). */
      environment?: EnvironmentCheck
    } = {},
): Promise<MigrateResult> {
  // The engine (the AWS SDK's commands, umzug, tsx) is loaded when a run starts, not with ddbm.
  const [{ execute }, { loadRunnable }, { migrationContext }, { runMigrations }] =
    await Promise.all([
      import('../engine/steps/execute.js'),
      import('../engine/runner/load-migration.js'),
      import('../engine/runner/migration-context.js'),
      import('../engine/runner/run-migrations.js'),
    ])
  const processEnv = opts.processEnv ?? process.env
  const { project } = session
  const store = metaStoreOf(session, opts)
  const dryRun = opts.dryRun === true
  const loaded = await loadMigrations(project.migrationsDir, { root: project.root })
  const { migrations } = loaded
  const byName = new Map(migrations.map((m) => [m.name, m]))
  // Read-only, before anything else: a dry run changes nothing, so a mismatch only warns there.
  const environment =
    opts.environment ?? (await checkEnvironment(session, store, dryRun ? 'read-only' : 'mutating'))
  const { signal } = session
  const engineDeps = {
    client: session.client,
    emit: session.emit,
    tableName: session.tableName,
    backupBeforeDelete: backupsEnabled(session, environment),
    ...(signal === undefined ? {} : { signal }),
  }
  const lock = lockOf(session, processEnv, opts.lockTimeoutMs)
  const backfills: BackfillResult[] = []
  const contextOf = (m: LoadedMigration, lease: MetaLease, direction: 'up' | 'down') =>
    migrationContext({
      ...engineDeps,
      env: session.env.name,
      role: 'coordinator',
      backfill: async (spec) => {
        if (store.backfills === undefined) return noBackfills()
        const [{ runBackfill }, backfillStore] = await Promise.all([
          import('../engine/backfill/run-backfill.js'),
          store.backfills(),
        ])
        const result = await runBackfill(spec, {
          client: session.client,
          store: backfillStore,
          tableName: session.tableName,
          migration: m.name,
          file: m.file,
          role: 'coordinator',
          direction,
          lease,
          holder: lock.holder,
          emit: session.emit,
          ...(signal === undefined ? {} : { signal }),
          ...(opts.backfillConcurrency === undefined
            ? {}
            : { concurrency: opts.backfillConcurrency }),
        })
        backfills.push(result)
        return result
      },
    })
  const backups: (BackupRecord & { migration: string })[] = []
  // Destructive steps confirmed before the lock; under it, any other one is refused (a parallel run
  // changed what this one selects).
  let confirmed: ReadonlySet<string> = new Set()
  const { selected, rows } = await runMigrations({
    store,
    direction,
    migrations,
    issues: sortIssues([...loaded.issues, ...replay(migrations).issues]),
    select: (rows) => {
      const names =
        direction === 'up'
          ? selectUp(rows, {
              ...(opts.to === undefined ? {} : { to: String(opts.to) }),
              ...step(opts),
            })
          : selectDown(rows, {
              ...(opts.to === undefined ? {} : { to: opts.to }),
              ...step(opts),
            })
      return names.map((name) => plan(session, byName.get(name), name, direction))
    },
    guard: async (planned) => {
      const steps = destructiveSteps(planned)
      await guardDestructive(
        session,
        { command: `migrate ${direction}`, steps },
        {
          ...opts,
          environment,
        },
      )
      confirmed = new Set(steps)
    },
    locked: () => recordEnvironment(session, store, environment, appliedBy(processEnv)),
    confirm: async (planned) => {
      const added = destructiveSteps(planned).filter((s) => !confirmed.has(s))
      await guardDestructive(
        session,
        { command: `migrate ${direction} (its selection changed under the lock)`, steps: added },
        { ...opts, environment, confirm: undefined },
      )
    },
    ...(opts.dryRun === undefined ? {} : { dryRun: opts.dryRun }),
    lock,
    emit: session.emit,
    ...(signal === undefined ? {} : { signal }),
    appliedBy: appliedBy(processEnv),
    ddbmVersion: VERSION,
    load: async (m, hooks, direction) => {
      const runnable = await loadRunnable(m, (ops) =>
        execute(ops, {
          ...engineDeps,
          onBackup: async (backup) => {
            backups.push({ ...backup, migration: m.name })
            await hooks.onBackup(backup)
          },
        }),
      )
      const context = contextOf(m, hooks.lease, direction)
      return {
        up: () => runnable.up(context),
        down: async () => {
          await runnable.down(context)
          // Reverted: a later `up` backfills again from the start.
          if (m.kind === 'ts') await (await store.backfills?.())?.remove(m.name)
        },
      }
    },
  })
  const { backfills: dryRunBackfills, notPreviewed } =
    dryRun && direction === 'up'
      ? await (
          await import('../engine/backfill/dry-run.js')
        ).dryRunUp(
          selected.flatMap((p) => byName.get(p.name) ?? []),
          { ...engineDeps, env: session.env.name },
        )
      : { backfills: [], notPreviewed: [] }
  const done: MigrateResult = {
    env: session.env.name,
    metaTable: store.table,
    direction,
    dryRun,
    migrations: selected,
    status: rows,
    ...(backups.length === 0 ? {} : { backups }),
    ...(backfills.length === 0 ? {} : { backfills }),
    ...(dryRunBackfills.length === 0 ? {} : { dryRunBackfills }),
    ...(notPreviewed.length === 0 ? {} : { notPreviewed }),
  }
  if (dryRun || direction === 'down' || opts.verify === false) return done
  if (done.status.some((r) => r.state !== 'applied')) return done
  throwIfInterrupted(signal, 'after migrate up applied everything selected: verification skipped')
  return { ...done, verify: await verifyAfterUp(session, done, store) }
}

function plan(
  session: Session,
  m: LoadedMigration | undefined,
  name: string,
  direction: 'up' | 'down',
): { name: string; steps: PlannedStep[] } {
  if (m === undefined) {
    throw new DdbmError('MIGRATION_MISSING', `${name} is recorded but its file is gone`)
  }
  if (m.content === undefined) {
    const text = `run ${m.file} ${direction}(ctx)`
    return { name, steps: [{ op: { op: 'typescript', file: m.file }, table: '', text }] }
  }
  if (direction === 'down' && m.content.irreversible === true) {
    throw new DdbmError(
      'USAGE',
      `${name} is irreversible ("irreversible": true in ${m.file}): \`migrate down\` cannot revert it`,
      { name },
      {
        hint: `Revert only the migrations after it (\`ddbm migrate down --to <the one after ${name}>\`), or undo its change with a new migration; nothing was changed.`,
      },
    )
  }
  const steps = m.content[direction].map((op) => {
    const table = session.tableName(op.table)
    return { op, table, text: describeOperation(op, table) }
  })
  return { name, steps }
}

/** The destructive steps of `planned`, one text each: `<migration>: <step>`. */
function destructiveSteps(planned: MigrateResult['migrations']): string[] {
  return planned.flatMap((m) =>
    m.steps
      .filter((s) => s.op.op !== 'typescript' && isDestructive(s.op))
      .map((s) => `${m.name}: ${s.text}`),
  )
}

/** Verification after `up`, outside the lock (it only reads). Drift keeps what was applied in its details. */
async function verifyAfterUp(
  session: Session,
  done: MigrateResult,
  store: MetaStore,
): Promise<VerifyResult> {
  try {
    return await verifySession(session, undefined, store)
  } catch (err) {
    if (!isDdbmError(err, 'VERIFY_DRIFT')) throw err
    const applied = done.migrations.map((m) => m.name)
    const prefix =
      applied.length === 0 ? 'No migration pending, but' : `Applied ${applied.join(', ')}, but`
    throw new DdbmError(
      'VERIFY_DRIFT',
      `${prefix} verification found ${err.message.charAt(0).toLowerCase()}${err.message.slice(1)}`,
      { ...err.details, applied },
      { cause: err, ...(err.hintOverride === undefined ? {} : { hint: err.hintOverride }) },
    )
  }
}

function step(opts: MigrateOptions): { step?: number } {
  return opts.step === undefined ? {} : { step: opts.step }
}

/** ctx.backfill on a meta store without backfill state (an injected in-memory store). */
function noBackfills(): never {
  throw new DdbmError(
    'USAGE',
    'ctx.backfill needs the DynamoDB meta table for its checkpoints',
    undefined,
    {
      hint: "This run uses an injected meta store that cannot hold them; run it on the environment's meta table.",
    },
  )
}
