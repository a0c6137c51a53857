import type { MigrateResult, MigrateStatus } from '../api/index.js'

/** Human text of `migrate up` / `down` results (progress was already shown on stderr). */
export function renderMigrate(r: MigrateResult): string {
  const text = renderRun(r)
  if (r.verify === undefined) return text
  const { ok, unsupported, pending } = r.verify.summary
  const extra = [
    unsupported > 0 ? `${unsupported} unsupported by this endpoint` : '',
    pending > 0 ? `${pending} pending` : '',
  ].filter((x) => x !== '')
  return `${text}\nverified against schemas/: ${ok} checks ok${extra.length > 0 ? `, ${extra.join(', ')}` : ''}`
}

function renderRun(r: MigrateResult): string {
  const verb = r.direction === 'up' ? 'applied' : 'reverted'
  if (r.migrations.length === 0) {
    const applied = r.status.filter((s) => s.state === 'applied').length
    return r.direction === 'up'
      ? `nothing to apply in "${r.env}": ${applied} migration(s) applied, none pending`
      : `nothing to revert in "${r.env}"`
  }
  if (r.dryRun) {
    const lines = [`dry run: ${r.migrations.length} migration(s) would be ${verb} in "${r.env}":`]
    for (const m of r.migrations) {
      lines.push(m.name)
      for (const s of m.steps) lines.push(`  ${s.text}`)
      if (m.steps.length === 0) lines.push('  (no operations)')
    }
    return lines.join('\n')
  }
  return `${verb} ${r.migrations.length} migration(s) in "${r.env}": ${r.migrations.map((m) => m.name).join(', ')}`
}

/** `migrate status` as a table. */
export function renderStatus(s: MigrateStatus): string {
  const header = ['migration', 'state', 'applied at', 'by', 'took']
  const rows = s.rows.map((r) => [
    r.name,
    r.state,
    r.appliedAt ?? '',
    r.appliedBy ?? '',
    r.durationMs === undefined ? '' : `${(r.durationMs / 1000).toFixed(1)} s`,
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  const out = [
    `environment "${s.env}" (meta table ${s.metaTable})`,
    line(header),
    ...rows.map(line),
  ]
  if (s.rows.length === 0) out.push('(no migrations)')
  for (const r of s.rows) if (r.error !== undefined) out.push(`${r.name}: ${r.error}`)
  for (const p of s.problems) out.push(`problem: ${p.message}`)
  if (s.lock !== undefined) out.push(`lock held by ${s.lock.holder} since ${s.lock.since}`)
  return out.join('\n')
}
