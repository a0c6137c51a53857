import type { SeedResult } from '../api/index.js'
import { PLAIN, type Style } from './style.js'
import { table, type Column } from './table.js'

/**
 * The human report of `ddbm seed`: per table what was written as a table (or, on a dry run, what would
 * be, with a sample), the summary by the seed's attribute, then the post-seed verification in one line
 * (or, on a sharded run, why there is none). A `--verify-only` run has no table of writes.
 */
export function renderSeed(r: SeedResult, style: Style = PLAIN): string {
  const lines: string[] = []
  const shard = r.shard === undefined ? '' : `, shard ${r.shard.index}/${r.shard.count}`
  if (r.dryRun) {
    lines.push(`dry run: nothing written to "${r.env}" (seed ${r.seed}${shard})`)
    for (const t of r.tables) {
      lines.push(
        `${style.bold(t.physical)}: ${t.count} items from ${t.files.join(', ')}; first ${t.sample?.length ?? 0}:`,
      )
      for (const item of t.sample ?? []) lines.push(`  ${JSON.stringify(item)}`)
    }
    return lines.join('\n')
  }
  const cleared = r.tables.some((t) => t.cleared !== undefined)
  const columns: Column[] = [
    { header: 'table' },
    ...(cleared ? [{ header: 'cleared', align: 'right' as const }] : []),
    ...['written', 'failed', 'retries', 'throttles', 'seconds'].map((header) => ({
      header,
      align: 'right' as const,
    })),
  ]
  const n = (x: number) => x.toLocaleString('en-US')
  const rows = r.tables.map((t) => [
    t.physical,
    ...(cleared ? [t.cleared === undefined ? '' : n(t.cleared)] : []),
    n(t.written),
    t.failed > 0 ? style.bad(n(t.failed)) : n(t.failed),
    n(t.retries),
    n(t.throttles),
    t.seconds.toFixed(1),
  ])
  if (r.verifyOnly === true) {
    const names = r.tables.map((t) => t.physical).join(', ')
    lines.push(`verify only: nothing written; ${names} held to seed ${r.seed}`)
  } else {
    if (r.shard !== undefined)
      lines.push(`shard ${r.shard.index}/${r.shard.count} of seed ${r.seed}:`)
    lines.push(...table(columns, rows, style))
  }
  for (const t of r.tables) {
    if (t.summary === undefined) continue
    const counts = Object.entries(t.summary.counts).map(([v, n]) => `${v} ${n}`)
    lines.push(`${t.physical} by ${t.summary.attribute}: ${counts.join(', ')}`)
  }
  if (r.verify !== undefined) {
    const { ok, unsupported, pending } = r.verify.summary
    const data = r.verify.tables.flatMap((t) => t.checks).filter((c) => c.check.startsWith('data:'))
    const extra = [
      unsupported > 0 ? style.warn(`${unsupported} unsupported by this endpoint`) : '',
      pending > 0 ? style.warn(`${pending} pending`) : '',
    ].filter((x) => x !== '')
    lines.push(
      `verified: ${style.good(`${ok} checks ok`)} (${data.length} of the seeded data)${extra.length ? `, ${extra.join(', ')}` : ''}`,
    )
  }
  if (r.verifySkipped !== undefined) lines.push(style.warn(`not verified: ${r.verifySkipped}`))
  return lines.join('\n')
}
