import type { CheckStatus, PulledTable, PullResult, VerifyResult } from '../api/index.js'
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

/**
 * The human report of `ddbm db pull`: one line per table (written, unchanged, or left as it is because it
 * differs) with the diff of every file that is or would be changed (on a dry run also of new files)
 * indented below it, the parts the endpoint could not report, and how many live tables were left out.
 * Also printed (on stderr) above a PULL_CONFLICT error.
 */
export function renderPull(result: PullResult, style: Style = PLAIN): string {
  const lines: string[] = []
  for (const t of result.tables) {
    lines.push(pullLine(t, result.dryRun, style))
    // A new file written is there to read; a diff is shown for what changes, or would be written.
    const diff = t.status === 'new' && !result.dryRun ? [] : t.diff
    for (const d of diff) {
      const paint = d.startsWith('@@')
        ? style.dim
        : d.startsWith('+')
          ? style.good
          : d.startsWith('-')
            ? style.bad
            : (x: string) => x
      lines.push(`    ${paint(d)}`)
    }
  }
  if (result.tables.length === 0) lines.push('no table of this environment found')
  const unreported = new Map<string, string[]>()
  for (const t of result.tables) {
    if (t.unreported.length === 0) continue
    const parts = t.unreported.map(partLabel).join(', ')
    unreported.set(parts, [...(unreported.get(parts) ?? []), t.file])
  }
  for (const [parts, files] of unreported) {
    lines.push(
      `not reported by this endpoint: ${parts} (kept as the file says; left out of a new file): ${files.join(', ')}`,
    )
  }
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

function pullLine(t: PulledTable, dryRun: boolean, style: Style): string {
  if (t.status === 'unchanged') return `${style.status('ok', 'unchanged')} ${t.file}`
  if (dryRun) {
    return t.status === 'new'
      ? `would write ${t.file} (new)`
      : `would change ${t.file} (needs --force): it differs from ${t.physical}`
  }
  if (t.written)
    return `${style.good('wrote')} ${t.file}${t.status === 'new' ? ' (new)' : ' (overwritten: --force)'}`
  return `${style.bad('not written')} ${t.file}: it differs from ${t.physical}`
}

const PART_LABELS: Record<string, string> = {
  pitr: 'PITR',
  sse: 'SSE',
  tableClass: 'table class',
  ttl: 'TTL',
}

/**
 * A part of a table or of a step (`pitr`, `tags`, `sse`, `tableClass`, `ttl`, `backup`...) as people
 * write it: `PITR`, `tags`, `SSE`, `table class`, `TTL`, `backup`.
 */
export function partLabel(part: string): string {
  return PART_LABELS[part] ?? part
}
