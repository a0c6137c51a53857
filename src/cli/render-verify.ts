import type { CheckStatus, PullResult, VerifyResult } from '../api/index.js'
import { PLAIN, type Style } from './style.js'
import { table } from './table.js'

/** A display value: strings as they are, anything else as compact JSON, absent as ''. */
function show(value: unknown): string {
  if (value === undefined) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/**
 * The human report of `ddbm verify`: one row per check (table | check | status | expected | actual), the
 * status coloured by `style`, with the detail of drift and pending rows on a line below, then a summary
 * line. `statuses` limits the rows (the drift error shows drift and pending only).
 */
export function renderVerify(
  result: VerifyResult,
  statuses: readonly CheckStatus[] = ['ok', 'drift', 'unsupported', 'pending'],
  style: Style = PLAIN,
): string {
  const rows: { cells: string[]; detail?: string }[] = []
  for (const t of result.tables) {
    for (const c of t.checks) {
      if (!statuses.includes(c.status)) continue
      const cells = [c.table, c.check, style.status(c.status), show(c.expected), show(c.actual)]
      const withDetail = c.detail !== undefined && (c.status === 'drift' || c.status === 'pending')
      rows.push(withDetail ? { cells, detail: c.detail } : { cells })
    }
  }
  const [header, ...lines] = table(
    ['table', 'check', 'status', 'expected', 'actual'].map((header) => ({ header })),
    rows.map((r) => r.cells),
    style,
  )
  const out = [header ?? '']
  rows.forEach((r, i) => {
    out.push(lines[i] ?? '')
    if (r.detail !== undefined) out.push(style.dim(`  ↳ ${r.detail}`))
  })
  const s = result.summary
  const n = result.tables.length
  const count = (k: CheckStatus, text: string) => (s[k] > 0 ? style.status(k, text) : text)
  out.push(
    `${result.env}: ${n} ${n === 1 ? 'table' : 'tables'}; ${count('ok', `${s.ok} ok`)}, ${count('drift', `${s.drift} drift`)}, ${count('pending', `${s.pending} pending`)}, ${count('unsupported', `${s.unsupported} unsupported`)} (the endpoint cannot answer)`,
  )
  return out.join('\n')
}

/** The human report of `ddbm db pull`: the files written, and how many live tables were left out. */
export function renderPull(result: PullResult): string {
  const lines = result.written.map((f) => `wrote ${f}`)
  if (result.written.length === 0) lines.push('no table of this environment found')
  const n = result.skipped.length
  if (n > 0) {
    const names =
      n > 10 ? `${result.skipped.slice(0, 10).join(', ')}, ...` : result.skipped.join(', ')
    lines.push(
      `skipped ${n} (the meta table, or not named by this environment's template): ${names}`,
    )
  }
  return lines.join('\n')
}
