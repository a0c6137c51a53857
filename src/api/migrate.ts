import { MigrationError } from 'umzug'
import { DdbmError, isDdbmError, messageOf } from '../errors.js'
import { execute } from '../engine/steps/execute.js'
import { migrationContext } from '../engine/runner/migration-context.js'
import { createMigrator } from '../engine/runner/migrator.js'
import { describeOperation } from '../plan/describe.js'
import type { StatusRow } from '../plan/history.js'
import { selectDown, selectUp } from '../plan/select.js'
import type { LoadedMigration } from '../schema/load-migrations.js'
import { DESTRUCTIVE, type Operation } from '../schema/operation.js'
import { VERSION } from '../version.js'
import {
  appliedBy,
  checkedRows,
  loadChecked,
  readRecordsIfAny,
  withLock,
} from './migrate-shared.js'
import { withSession, type Session, type SessionOptions } from './session.js'
import { verifySession, type VerifyResult } from './verify.js'

export type MigrateOptions = SessionOptions & {
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
  const processEnv = opts.processEnv ?? process.env
  return withSession(opts, async (session) => {
    const { migrations, rows: before } = await loadChecked(session)
    const byName = new Map(migrations.map((m) => [m.name, m]))
    const select = (rows: StatusRow[]) => {
      const names =
        direction === 'up'
          ? selectUp(rows, {
              ...(opts.to === undefined ? {} : { to: String(opts.to) }),
              ...step(opts),
            })
          : selectDown(rows, { ...(opts.to === undefined ? {} : { to: opts.to }), ...step(opts) })
      return names.map((name) => plan(session, byName.get(name), name, direction))
    }
    const result = (rows: StatusRow[], planned: MigrateResult['migrations'], dryRun: boolean) => ({
      env: session.env.name,
      metaTable: session.env.metaTable,
      direction,
      dryRun,
      migrations: planned,
      status: rows,
    })

    if (opts.dryRun === true) return result(before, select(before), true)
    const done: MigrateResult = await withLock(
      session,
      { ...lockTimeout(opts), processEnv },
      async (lease, records, runId) => {
        const rows = checkedRows(migrations, records)
        const planned = select(rows)
        await confirmDestructive(session, planned, opts)
        if (planned.length === 0) return result(rows, [], false)
        const engineDeps = {
          client: session.client,
          emit: session.emit,
          tableName: session.tableName,
          backupBeforeDelete: session.env.protected,
        }
        const umzug = createMigrator(migrations, records, {
          client: session.client,
          metaTable: session.env.metaTable,
          emit: session.emit,
          lease,
          runId,
          appliedBy: appliedBy(processEnv),
          ddbmVersion: VERSION,
          context: migrationContext({ ...engineDeps, env: session.env.name }),
          runOps: (ops) => execute(ops, engineDeps),
        })
        const names = planned.map((p) => p.name)
        try {
          if (direction === 'up') await umzug.up({ migrations: names })
          else await umzug.down({ migrations: names, rerun: 'ALLOW' })
        } catch (err) {
          throw unwrap(err, direction)
        }
        const after = checkedRows(migrations, await readRecordsIfAny(session))
        return result(after, planned, false)
      },
    )
    if (direction === 'down' || opts.verify === false) return done
    if (done.status.some((r) => r.state !== 'applied')) return done
    return { ...done, verify: await verifyAfterUp(session, done) }
  })
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

/** umzug wraps failures in MigrationError; surface ours (with the per-step results) unchanged. */
function unwrap(err: unknown, direction: 'up' | 'down'): unknown {
  const cause = err instanceof MigrationError ? err.cause : err
  if (isDdbmError(cause)) return cause
  const name = err instanceof MigrationError ? (err.migration?.name ?? '?') : '?'
  return new DdbmError(
    'MIGRATION_FAILED',
    `Migration ${name} (${direction}) failed: ${messageOf(cause)}`,
    { name, direction },
    { cause },
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

function lockTimeout(opts: MigrateOptions): { lockTimeoutMs?: number } {
  return opts.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: opts.lockTimeoutMs }
}
