import type { MigrateResult, MigrateStatus } from '../api/index.js'
import {
  renderBackfillStatus,
  renderBackfillSummary,
  renderDryRunBackfill,
} from './render-backfills.js'
import { PLAIN, type Style } from './style.js'
import { table } from './table.js'

/** `n migrations` / `1 migration`. */
function migrations(n: number): string {
  return `${n} ${n === 1 ? 'migration' : 'migrations'}`
}

/** `0.5 s`, or '' when unknown. */
function took(ms: number | undefined): string {
  return ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`
}

/**
 * Human text of `migrate up` / `down` results (progress was already shown on stderr): a headline, the
 * migrations run as a table (up: their state and duration; down: reverted) and a summary of each
 * backfill, or on a dry run each migration with its steps and what its backfills would do (a sample and an
 * estimate); after `up`, the verification in one line.
 */
export function renderMigrate(r: MigrateResult, style: Style = PLAIN): string {
  const text = renderRun(r, style)
  if (r.verify === undefined) return text
  const { ok, unsupported, pending } = r.verify.summary
  const extra = [
    unsupported > 0 ? style.warn(`${unsupported} unsupported by this endpoint`) : '',
    pending > 0 ? style.warn(`${pending} pending`) : '',
  ].filter((x) => x !== '')
  return `${text}\nverified against schemas/: ${style.good(`${ok} checks ok`)}${extra.length > 0 ? `, ${extra.join(', ')}` : ''}`
}

function renderRun(r: MigrateResult, style: Style): string {
  const verb = r.direction === 'up' ? 'applied' : 'reverted'
  if (r.migrations.length === 0) {
    const applied = r.status.filter((s) => s.state === 'applied').length
    return r.direction === 'up'
      ? `nothing to apply in "${r.env}": ${applied} migration(s) applied, none pending`
      : `nothing to revert in "${r.env}"`
  }
  if (r.dryRun) {
    const lines = [`dry run: ${migrations(r.migrations.length)} would be ${verb} in "${r.env}":`]
    for (const m of r.migrations) {
      lines.push(style.bold(m.name))
      for (const s of m.steps) lines.push(`  ${s.text}`)
      if (m.steps.length === 0) lines.push(style.dim('  (no operations)'))
      for (const b of r.dryRunBackfills ?? [])
        if (b.migration === m.name) lines.push(...renderDryRunBackfill(b, style))
      for (const n of r.notPreviewed ?? [])
        if (n.migration === m.name) lines.push(style.dim(`  not previewed: ${n.reason}`))
    }
    return lines.join('\n')
  }
  const byName = new Map(r.status.map((s) => [s.name, s]))
  const rows = r.migrations.map((m) => {
    const row = byName.get(m.name)
    return r.direction === 'up'
      ? [m.name, style.status(row?.state ?? 'applied'), took(row?.durationMs)]
      : [m.name, style.status('reverted')]
  })
  const columns =
    r.direction === 'up'
      ? [{ header: 'migration' }, { header: 'state' }, { header: 'took', align: 'right' as const }]
      : [{ header: 'migration' }, { header: 'state' }]
  return [
    `${verb} ${migrations(r.migrations.length)} in "${r.env}":`,
    ...table(columns, rows, style),
    ...(r.backfills ?? []).flatMap((b) => renderBackfillSummary(b, style)),
  ].join('\n')
}

/**
 * `migrate status` as a table, then errors of failed runs, history problems, the lock holder and the
 * progress of each backfill not done.
 */
export function renderStatus(s: MigrateStatus, style: Style = PLAIN): string {
  const rows = s.rows.map((r) => [
    r.name,
    style.status(r.state),
    r.appliedAt ?? '',
    r.appliedBy ?? '',
    took(r.durationMs),
  ])
  const out = [
    `environment "${s.env}" (meta table ${s.metaTable})`,
    ...table(
      [
        { header: 'migration' },
        { header: 'state' },
        { header: 'applied at' },
        { header: 'by' },
        { header: 'took', align: 'right' },
      ],
      rows,
      style,
    ),
  ]
  if (s.rows.length === 0) out.push(style.dim('(no migrations)'))
  for (const r of s.rows) if (r.error !== undefined) out.push(`${r.name}: ${style.bad(r.error)}`)
  for (const p of s.problems) out.push(`${style.bad('problem:')} ${p.message}`)
  if (s.lock !== undefined) {
    out.push(style.warn(`lock held by ${s.lock.holder} since ${s.lock.since}`))
  }
  for (const b of s.backfills ?? []) out.push(...renderBackfillStatus(b, style))
  return out.join('\n')
}
