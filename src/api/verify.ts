import type { MetaStore } from '../engine/meta/meta-store.js'
import { readRecordsIfAny } from '../engine/runner/history-check.js'
import { DdbmError, messageOf } from '../errors.js'
import type { Emit } from '../events.js'
import { compareTable, type Check, type CheckStatus, type LiveTable } from '../plan/compare.js'
import { driftCause, type DriftCause, type DriftInput } from '../plan/drift-cause.js'
import { replay } from '../plan/replay.js'
import { loadMigrations } from '../schema/load-migrations.js'
import { assertValid, loadSchemas } from '../schema/load-schemas.js'
import { environmentTables } from './db.js'
import { metaStoreOf } from './migrate-shared.js'
import { checkEnvironment } from './protection.js'
import { withSession, type Session, type SessionOptions } from './session.js'

/** The check model of plan/compare.ts, re-exported for the CLI and library users. */
export type { Check, CheckStatus } from '../plan/compare.js'

/** Options of verify(): the session's, and an optional single logical table. */
export type VerifyOptions = SessionOptions & {
  /** Only this logical table (one of schemas/; a USAGE error otherwise). */
  table?: string
}

/** The checks of one logical table and its physical name in the environment. */
export type VerifyTable = { table: string; physical: string; checks: Check[] }

/** How many checks ended in each status. */
export type VerifySummary = Record<CheckStatus, number>

/** Every checked table of the environment with its checks, and the count per status. */
export type VerifyResult = {
  env: string
  tables: VerifyTable[]
  summary: VerifySummary
}

declare module '../errors.js' {
  /**
   * VERIFY_DRIFT carries the whole result; after `migrate up`, also the migrations it applied; from
   * verify (and migrate up), why the tables drift as far as migrations/ tell (`reason`) and the
   * migrations not applied (`pending`).
   */
  interface ErrorDetails {
    VERIFY_DRIFT: {
      result: VerifyResult
      applied?: string[]
      reason?: DriftCause['reason']
      pending?: string[]
      [field: string]: unknown
    }
  }
}

/**
 * `ddbm verify`: compares every table of schemas/ with its live table in the environment (see
 * plan/compare.ts for the checks), and, without `table`, reports as `exists` drift every live table that
 * follows the environment's name template but has no schema (the meta table aside). Emits one `check`
 * event per check. Throws SCHEMA_INVALID for invalid schemas, USAGE for an unknown `table`, and
 * VERIFY_DRIFT (exit 3, `details.result` holds the whole result) when any check is `drift`; pending and
 * unsupported checks alone do not fail. A meta table that records another environment is a warning.
 */
export async function verify(opts: VerifyOptions = {}): Promise<VerifyResult> {
  return withSession(opts, async (session) => {
    await checkEnvironment(session, metaStoreOf(session, {}), 'read-only')
    return verifySession(session, opts.table)
  })
}

/**
 * verify() on an open session (for commands that verify after their own work, e.g. migrate up). On drift,
 * the VERIFY_DRIFT error says why as far as migrations/ and the meta table (`store`, default the
 * environment's) tell, and its hint what to run: `ddbm migrate up` naming the pending migrations that make
 * the drifted changes, `ddbm migrate generate` when schemas/ differs from what migrations/ build, or a
 * fix by hand when neither explains it. Reads only.
 */
export async function verifySession(
  session: Session,
  only?: string,
  store?: MetaStore,
): Promise<VerifyResult> {
  const { schemasDir, root } = session.project
  const schemas = assertValid(await loadSchemas(schemasDir, { root }))
  const known = schemas.map((s) => s.table.TableName)
  if (only !== undefined && !known.includes(only)) {
    throw new DdbmError(
      'USAGE',
      `Unknown table "${only}": schemas/ defines ${known.join(', ') || 'no tables'}`,
      { table: only, known },
    )
  }
  const tables: VerifyTable[] = []
  const lives = new Map<string, LiveTable | undefined>()
  const { readLiveTable } = await import('../engine/live/read-live-table.js')
  const run = async (logical: string, physical: string, expected = schemaOf(logical)) => {
    const live = await readLiveTable(session.client, physical, { logical })
    lives.set(logical, live)
    const checks = compareTable(logical, expected, live)
    emitChecks(session.emit, checks)
    tables.push({ table: logical, physical, checks })
  }
  function schemaOf(logical: string) {
    return schemas.find((s) => s.table.TableName === logical)?.table
  }
  for (const logical of known) {
    if (only === undefined || logical === only) await run(logical, session.tableName(logical))
  }
  if (only === undefined) {
    const live = await environmentTables(session)
    for (const t of live.tables) {
      if (!known.includes(t.logical)) await run(t.logical, t.physical, undefined)
    }
  }
  const result = { env: session.env.name, tables, summary: summarize(tables) }
  if (result.summary.drift > 0) {
    const drifts = tables.flatMap((t) => t.checks.filter((c) => c.status === 'drift'))
    const desired = Object.fromEntries(schemas.map((s) => [s.table.TableName, s.table]))
    const cause = await explainDrift(session, store ?? metaStoreOf(session, {}), {
      schemas: desired,
      drifts,
      live: lives,
    })
    throwOnDrift(result, `in ${session.env.name}`, {}, cause)
  }
  return result
}

/**
 * The cause of drift as migrations/ and the meta table tell it (plan/drift-cause.ts), or undefined when
 * they cannot tell: migrations/ with problems (validate reports them), or a meta table that cannot be
 * read.
 */
async function explainDrift(
  session: Session,
  store: MetaStore,
  input: Pick<DriftInput, 'schemas' | 'drifts' | 'live'>,
): Promise<DriftCause | undefined> {
  const { migrationsDir, root } = session.project
  const { migrations, issues } = await loadMigrations(migrationsDir, { root })
  const built = replay(migrations)
  if (issues.length > 0 || built.issues.length > 0) return undefined
  let records
  try {
    records = await readRecordsIfAny(store)
  } catch (err) {
    session.emit({ kind: 'log', level: 'debug', message: `meta table not read: ${messageOf(err)}` })
    return undefined
  }
  const applied = new Set(records.filter((r) => r.status === 'applied').map((r) => r.name))
  return driftCause({
    ...input,
    built: built.states,
    applied: replay(migrations.filter((m) => applied.has(m.name))).states,
    pending: migrations.filter((m) => !applied.has(m.name)).map((m) => m.name),
  })
}

/** What VERIFY_DRIFT says of a cause: a clause for the message, the hint, and the details' fields. */
function driftText(cause: DriftCause, drifts: number): { clause: string; hint: string } {
  const change = drifts === 1 ? 'this change' : 'these changes'
  const names = (list: readonly string[]) => list.join(', ')
  const n = cause.pending.length
  const pendingText = `${n === 1 ? 'migration' : 'migrations'} ${names(cause.pending)}`
  switch (cause.reason) {
    case 'migrations-pending':
      return {
        clause: `pending ${pendingText} ${n === 1 ? 'makes' : 'make'} ${change}`,
        hint: `Run \`ddbm migrate up\` to apply ${names(cause.pending)}, then \`ddbm verify\` again.`,
      }
    case 'schemas-ahead':
      return {
        clause: 'schemas/ differs from what migrations/ build',
        hint: `Run \`ddbm migrate generate <name>\` to write the migration schemas/ needs, review it, then \`ddbm migrate up\`${n > 0 ? ` (which also applies the pending ${pendingText})` : ''}.`,
      }
    case 'changed-outside': {
      const outside = cause.outside.map((c) => `${c.table} ${c.check}`).join(', ')
      const explained = cause.explained.map((c) => `${c.table} ${c.check}`).join(', ')
      const state =
        n === 0
          ? 'every migration is applied'
          : `pending ${pendingText} ${n === 1 ? 'does' : 'do'} not make ${change}`
      const what =
        explained === ''
          ? 'the live tables were'
          : `${outside} ${cause.outside.length === 1 ? 'was' : 'were'}`
      const also =
        explained === '' ? '' : `; pending ${pendingText} ${n === 1 ? 'makes' : 'make'} the others`
      const first =
        explained === ''
          ? ''
          : `Run \`ddbm migrate up\` to apply ${names(cause.pending)} (${explained}); then `
      return {
        clause:
          explained === ''
            ? `schemas/ matches migrations/ and ${state}: ${what} changed outside ddbm`
            : `schemas/ matches migrations/: ${what} changed outside ddbm${also}`,
        hint: `${first}${first ? 'restore' : 'Restore'} the tables by hand to what schemas/ says (the expected values above), or, to keep the live state, edit schemas/ to match it and run \`ddbm migrate generate <name>\`.`,
      }
    }
  }
}

/**
 * Throws VERIFY_DRIFT (exit 3, `details.result` = `result` plus `extra`) naming the drifted checks (the
 * first ten) when any check of `result` is drift; `where` ends the message's first part (`in dev`). With
 * a `cause`, the message says it, the hint says what to run for it, and the details carry its `reason`
 * and `pending` migrations; without one, the catalogue's hint.
 */
export function throwOnDrift(
  result: VerifyResult,
  where: string,
  extra: Record<string, unknown> = {},
  cause?: DriftCause,
): void {
  const drifts = result.tables.flatMap((t) => t.checks.filter((c) => c.status === 'drift'))
  if (drifts.length === 0) return
  const n = drifts.length
  const list = drifts.map((c) => `${c.table} ${c.check}`)
  const shown = list.length > 10 ? [...list.slice(0, 10), `and ${list.length - 10} more`] : list
  const message = `${n} ${n === 1 ? 'drift' : 'drifts'} ${where}: ${shown.join(', ')}`
  if (cause === undefined) throw new DdbmError('VERIFY_DRIFT', message, { ...extra, result })
  const text = driftText(cause, n)
  throw new DdbmError(
    'VERIFY_DRIFT',
    `${message}; ${text.clause}`,
    { ...extra, result, reason: cause.reason, pending: cause.pending },
    { hint: text.hint },
  )
}

/** One `check` event per check (rendered with --verbose). */
export function emitChecks(emit: Emit, checks: readonly Check[]): void {
  for (const c of checks) {
    emit({
      kind: 'check',
      table: c.table,
      check: c.check,
      status: c.status,
      ...(c.detail === undefined ? {} : { detail: c.detail }),
    })
  }
}

/** How many checks of `tables` ended in each status. */
export function summarize(tables: readonly VerifyTable[]): VerifySummary {
  const summary: VerifySummary = { ok: 0, drift: 0, unsupported: 0, pending: 0 }
  for (const t of tables) for (const c of t.checks) summary[c.status]++
  return summary
}
