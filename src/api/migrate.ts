import { isDdbmError, DdbmError } from '../errors.js'
import { execute } from '../engine/steps/execute.js'
import { loadRunnable } from '../engine/runner/load-migration.js'
import { migrationContext } from '../engine/runner/migration-context.js'
import { runMigrations } from '../engine/runner/run-migrations.js'
import { describeOperation } from '../plan/describe.js'
import type { StatusRow } from '../plan/history.js'
import { replay } from '../plan/replay.js'
import { selectDown, selectUp } from '../plan/select.js'
import { loadMigrations, type LoadedMigration } from '../schema/load-migrations.js'
import { DESTRUCTIVE, type Operation } from '../schema/operation.js'
import { VERSION } from '../version.js'
import { appliedBy, lockOf, metaStoreOf, type MetaStoreOption } from './migrate-shared.js'
import { withSession, type Session, type SessionOptions } from './session.js'
import { verifySession, type VerifyResult } from './verify.js'

export type MigrateOptions = SessionOptions &
  MetaStoreOption & {
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
    /** Confirms destructive steps on a protected environment. */
    yes?: boolean
    /** Asked when `yes` is not given and a destructive step needs confirmation (a TTY prompt). */
    confirm?: (question: string) => Promise<boolean>
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
  /** The verification after `up`; absent when skipped (dry run, --no-verify, migrations left pending). */
  verify?: VerifyResult
}

/**
 * `ddbm migrate up`: checks migrations/ offline, takes the lock, re-reads the state, refuses a changed,
 * missing or out-of-order history, then applies the pending migrations (failed ones are re-run: their steps
 * converge). Parallel runs are safe: the ones that lose the race find nothing to do.
 */
export function migrateUp(opts: MigrateOptions = {}): Promise<MigrateResult> {
  return migrate('up', opts)
}

/** `ddbm migrate down`: reverts the last applied migration (or `to` / `step`), newest first. */
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
  opts: Omit<MigrateOptions, keyof SessionOptions> & Pick<SessionOptions, 'processEnv'> = {},
): Promise<MigrateResult> {
  const processEnv = opts.processEnv ?? process.env
  const { project } = session
  const store = metaStoreOf(session, opts)
  const loaded = await loadMigrations(project.migrationsDir, { root: project.root })
  const { migrations } = loaded
  const byName = new Map(migrations.map((m) => [m.name, m]))
  const engineDeps = {
    client: session.client,
    emit: session.emit,
    tableName: session.tableName,
    backupBeforeDelete: session.env.protected,
  }
  const context = migrationContext({ ...engineDeps, env: session.env.name })
  const { selected, rows } = await runMigrations({
    store,
    direction,
    migrations,
    issues: [...loaded.issues, ...replay(migrations).issues],
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
    confirm: (planned) => confirmDestructive(session, planned, opts),
    ...(opts.dryRun === undefined ? {} : { dryRun: opts.dryRun }),
    lock: lockOf(session, processEnv, opts.lockTimeoutMs),
    emit: session.emit,
    appliedBy: appliedBy(processEnv),
    ddbmVersion: VERSION,
    load: async (m) => {
      const runnable = await loadRunnable(m, (ops) => execute(ops, engineDeps))
      return { up: () => runnable.up(context), down: () => runnable.down(context) }
    },
  })
  const done: MigrateResult = {
    env: session.env.name,
    metaTable: store.table,
    direction,
    dryRun: opts.dryRun === true,
    migrations: selected,
    status: rows,
  }
  if (opts.dryRun === true || direction === 'down' || opts.verify === false) return done
  if (done.status.some((r) => r.state !== 'applied')) return done
  return { ...done, verify: await verifyAfterUp(session, done) }
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
  const steps = m.content[direction].map((op) => {
    const table = session.tableName(op.table)
    return { op, table, text: describeOperation(op, table) }
  })
  return { name, steps }
}

/** Destructive steps on a protected environment need --yes (or a confirmed prompt). */
async function confirmDestructive(
  session: Session,
  planned: MigrateResult['migrations'],
  opts: MigrateOptions,
): Promise<void> {
  if (!session.env.protected || opts.yes === true) return
  const destructive = planned.flatMap((m) =>
    m.steps
      .filter((s) => DESTRUCTIVE.has(s.op.op as Operation['op']))
      .map((s) => `${m.name}: ${s.text}`),
  )
  if (destructive.length === 0) return
  const question = `Environment "${session.env.name}" is protected. Run these destructive steps?\n  ${destructive.join('\n  ')}`
  if (opts.confirm !== undefined && (await opts.confirm(question))) return
  throw new DdbmError(
    'PROTECTED_ENV',
    `Refusing destructive steps on protected environment "${session.env.name}":\n  ${destructive.join('\n  ')}`,
    { env: session.env.name, steps: destructive },
  )
}

/** Verification after `up`, outside the lock (it only reads). Drift keeps what was applied in its details. */
async function verifyAfterUp(session: Session, done: MigrateResult): Promise<VerifyResult> {
  try {
    return await verifySession(session)
  } catch (err) {
    if (!isDdbmError(err, 'VERIFY_DRIFT')) throw err
    const applied = done.migrations.map((m) => m.name)
    const prefix =
      applied.length === 0 ? 'No migration pending, but' : `Applied ${applied.join(', ')}, but`
    throw new DdbmError(
      'VERIFY_DRIFT',
      `${prefix} verification found ${err.message.charAt(0).toLowerCase()}${err.message.slice(1)}`,
      { ...err.details, applied },
      { cause: err },
    )
  }
}

function step(opts: MigrateOptions): { step?: number } {
  return opts.step === undefined ? {} : { step: opts.step }
}
