import { DdbmError } from '../errors.js'
import type { Emit } from '../events.js'
import { compareTable, type Check, type CheckStatus } from '../plan/compare.js'
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
  /** VERIFY_DRIFT carries the whole result; after `migrate up`, also the migrations it applied. */
  interface ErrorDetails {
    VERIFY_DRIFT: { result: VerifyResult; applied?: string[]; [field: string]: unknown }
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

/** verify() on an open session (for commands that verify after their own work, e.g. migrate up). */
export async function verifySession(session: Session, only?: string): Promise<VerifyResult> {
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
  const { readLiveTable } = await import('../engine/live/read-live-table.js')
  const run = async (logical: string, physical: string, expected = schemaOf(logical)) => {
    const live = await readLiveTable(session.client, physical, { logical })
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
  throwOnDrift(result, `in ${session.env.name}`)
  return result
}

/**
 * Throws VERIFY_DRIFT (exit 3, `details.result` = `result` plus `extra`) naming the drifted checks (the
 * first ten) when any check of `result` is drift; `where` ends the message's first part (`in dev`).
 */
export function throwOnDrift(
  result: VerifyResult,
  where: string,
  extra: Record<string, unknown> = {},
): void {
  const drifts = result.tables.flatMap((t) => t.checks.filter((c) => c.status === 'drift'))
  if (drifts.length === 0) return
  const n = drifts.length
  const list = drifts.map((c) => `${c.table} ${c.check}`)
  const shown = list.length > 10 ? [...list.slice(0, 10), `and ${list.length - 10} more`] : list
  throw new DdbmError(
    'VERIFY_DRIFT',
    `${n} ${n === 1 ? 'drift' : 'drifts'} ${where}: ${shown.join(', ')}`,
    { ...extra, result },
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
