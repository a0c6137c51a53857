import type { ResetResult } from '../api/index.js'

/**
 * The human report of `ddbm db reset`: the deleted tables, the migrations applied, the seeded counts per
 * table, then the verification of the environment in one line (the drift table is the error's).
 */
export function renderReset(r: ResetResult): string {
  const lines: string[] = []
  lines.push(
    r.deleted.length === 0
      ? `deleted nothing in "${r.env}": no table of schemas/ and no meta table existed`
      : `deleted ${r.deleted.length} ${r.deleted.length === 1 ? 'table' : 'tables'} in "${r.env}": ${r.deleted.join(', ')}`,
  )
  const applied = r.migrate.migrations.map((m) => m.name)
  lines.push(
    applied.length === 0
      ? 'applied no migration (migrations/ is empty)'
      : `applied ${applied.length} ${applied.length === 1 ? 'migration' : 'migrations'}: ${applied.join(', ')}`,
  )
  if (r.seed.tables.length === 0) lines.push('seeded nothing (no seeds for this environment)')
  else {
    const width = Math.max(5, ...r.seed.tables.map((t) => t.physical.length))
    lines.push(`seeded (seed ${r.seed.seed}):`)
    lines.push(`  ${'table'.padEnd(width)}  items`)
    for (const t of r.seed.tables) {
      lines.push(`  ${t.physical.padEnd(width)}  ${String(t.written).padStart(5)}`)
    }
  }
  const { ok, drift, unsupported, pending } = r.verify.summary
  const n = r.verify.tables.length
  const data = r.verify.tables.flatMap((t) => t.checks).filter((c) => c.check.startsWith('data:'))
  const extra = [
    drift > 0 ? `${drift} drift` : '',
    unsupported > 0 ? `${unsupported} unsupported by this endpoint` : '',
    pending > 0 ? `${pending} pending` : '',
  ].filter((x) => x !== '')
  lines.push(
    `verified ${n} ${n === 1 ? 'table' : 'tables'}: ${ok} checks ok (${data.length} of the seeded data)${extra.length > 0 ? `, ${extra.join(', ')}` : ''}`,
  )
  return lines.join('\n')
}
