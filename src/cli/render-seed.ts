import type { SeedResult } from '../api/index.js'

/**
 * The human report of `ddbm seed`: per table what was written (or, on a dry run, what would be, with a
 * sample), the summary by the seed's attribute, then the post-seed verification in one line.
 */
export function renderSeed(r: SeedResult): string {
  const lines: string[] = []
  if (r.dryRun) {
    lines.push(`dry run: nothing written to "${r.env}" (seed ${r.seed})`)
    for (const t of r.tables) {
      lines.push(
        `${t.physical}: ${t.count} items from ${t.files.join(', ')}; first ${t.sample?.length ?? 0}:`,
      )
      for (const item of t.sample ?? []) lines.push(`  ${JSON.stringify(item)}`)
    }
    return lines.join('\n')
  }
  const width = Math.max(5, ...r.tables.map((t) => t.physical.length))
  lines.push(`${'table'.padEnd(width)}  written  failed  retries  throttles  seconds`)
  for (const t of r.tables) {
    lines.push(
      `${t.physical.padEnd(width)}  ${String(t.written).padStart(7)}  ${String(t.failed).padStart(6)}  ${String(t.retries).padStart(7)}  ${String(t.throttles).padStart(9)}  ${t.seconds.toFixed(1).padStart(7)}`,
    )
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
      unsupported > 0 ? `${unsupported} unsupported by this endpoint` : '',
      pending > 0 ? `${pending} pending` : '',
    ].filter((x) => x !== '')
    lines.push(
      `verified: ${ok} checks ok (${data.length} of the seeded data)${extra.length ? `, ${extra.join(', ')}` : ''}`,
    )
  }
  return lines.join('\n')
}
