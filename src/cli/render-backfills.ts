import type { MigrateResult, MigrateStatus } from '../api/index.js'
import { formatEta } from './backfill-progress.js'
import { PLAIN, type Style } from './style.js'

type DryRunBackfill = NonNullable<MigrateResult['dryRunBackfills']>[number]
type BackfillResult = NonNullable<MigrateResult['backfills']>[number]
type BackfillExample = DryRunBackfill['examples'][number]
type BackfillStatus = NonNullable<MigrateStatus['backfills']>[number]

const n = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 })

/** `512 B`, `4.5 KB`, `12.3 MB`, `1.2 GB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`
}

/**
 * What a dry run found for one backfill, indented under its migration: the sample's counts, the first
 * items it would change (before / after), and the estimate of the whole run.
 */
export function renderDryRunBackfill(b: DryRunBackfill, style: Style = PLAIN): string[] {
  const on = `${b.table}${b.index === undefined ? '' : ` (index ${b.index})`}`
  const head = `  backfill ${b.name} of ${on}, ${b.segments} segments`
  if (b.missing)
    return [
      `${head}: ${style.warn('the table does not exist yet')} (a pending migration creates it); nothing sampled`,
    ]
  const s = b.sample
  const lines = [
    `${head}: sampled ${n(s.matched)} item(s) (${n(s.scanned)} scanned): ${n(s.writes)} would be written, ${n(s.skips)} skipped`,
  ]
  for (const e of b.examples) lines.push(...renderExample(e, style))
  if (b.estimate !== undefined) lines.push(`  ${estimateText(b.estimate)}`)
  return lines
}

function renderExample(e: BackfillExample, style: Style): string[] {
  const condition = e.condition === undefined ? '' : ` if ${e.condition}`
  const after =
    e.expression !== undefined
      ? `expression ${e.expression}`
      : e.after === null
        ? '(deleted)'
        : JSON.stringify(e.after)
  return [
    `    ${e.action} ${JSON.stringify(e.key)}${condition}`,
    `      ${style.dim('before')} ${JSON.stringify(e.before)}`,
    `      ${style.dim('after ')} ${after}`,
  ]
}

function estimateText(e: NonNullable<DryRunBackfill['estimate']>): string {
  const size = e.tableBytes === null ? '' : ` (${formatBytes(e.tableBytes)})`
  const items = e.items === null ? 'items unknown' : `${n(e.items)} items${size}`
  const reads = e.readUnits === null ? '' : `, ${n(e.readUnits)} read units`
  const writes =
    e.writes === null || e.writeUnits === null
      ? ''
      : `, ${n(e.writes)} writes of ${n(e.writeUnits)} write units`
  const rate = [
    e.rate.readPerSec === null ? undefined : `${n(e.rate.readPerSec)} RCU/s`,
    e.rate.writePerSec === null ? undefined : `${n(e.rate.writePerSec)} WCU/s`,
  ].filter((x) => x !== undefined)
  const time =
    rate.length === 0
      ? 'rate unlimited'
      : `at ${rate.join(', ')}: ${e.seconds === null ? 'time unknown' : `about ${formatEta(e.seconds)}`}`
  return `estimate: ${items}${reads}${writes}; ${time}`
}

/**
 * The summary of a backfill run: the whole backfill's counts, this process's time, speed and units per
 * second against the rate, throttles, and the sampled check (all converged, or the keys that did not).
 */
export function renderBackfillSummary(r: BackfillResult, style: Style = PLAIN): string[] {
  const c = r.counts
  const on = `${r.table}${r.index === undefined ? '' : ` (index ${r.index})`}`
  const resumed = r.resumedSegments > 0 ? `, ${r.resumedSegments} resumed from a checkpoint` : ''
  const failed = c.failed > 0 ? `, ${style.bad(`${n(c.failed)} failed`)}` : ''
  const of = (limit: number | null) => (limit === null ? 'unlimited' : `of ${n(limit)}`)
  const throttles = r.throttles > 0 ? `, ${style.warn(`${n(r.throttles)} throttled`)}` : ''
  const lines = [
    `backfill ${r.migration}/${r.name} on ${on}: ${r.segments} segments${resumed}; ${n(c.scanned)} scanned, ${n(c.matched)} matched, ${n(c.written)} written, ${n(c.skipped)} skipped${failed}`,
    `  ${n(Number(r.seconds.toFixed(1)))} s, ${n(Math.round(r.itemsPerSec))} items/s, ${n(Math.round(r.achieved.readUnitsPerSec))} RCU/s (${of(r.rate.readPerSec)}), ${n(Math.round(r.achieved.writeUnitsPerSec))} WCU/s (${of(r.rate.writePerSec)})${throttles}`,
  ]
  if (r.check !== undefined) lines.push(`  check: ${checkText(r.check, style)}`)
  return lines
}

function checkText(check: NonNullable<BackfillResult['check']>, style: Style): string {
  if (check.sampled === 0) return 'no item read back'
  const unknown =
    check.unknown > 0 ? ` (${check.unknown} with a raw UpdateExpression, not checked)` : ''
  const head = `${n(check.sampled)} item(s) read back`
  if (check.notConverged === 0) return `${head}, ${style.good('all converged')}${unknown}`
  const keys = check.examples.map((k) => JSON.stringify(k)).join(', ')
  return `${head}, ${style.bad(`${check.notConverged} not converged`)}${unknown}: ${keys}`
}

/**
 * A backfill not done, in `migrate status`: segments done, counts, who holds which open segment, which
 * are free, and the last checkpoint.
 */
export function renderBackfillStatus(b: BackfillStatus, style: Style = PLAIN): string[] {
  const c = b.counts
  const of = b.itemCount === undefined ? '' : ` of about ${n(b.itemCount)}`
  const last =
    b.lastCheckpointAt === undefined ? 'no checkpoint yet' : `last checkpoint ${b.lastCheckpointAt}`
  const lines = [
    `backfill ${b.migration}/${b.name} (${b.direction}) on ${b.table}${b.index === undefined ? '' : ` (index ${b.index})`}: ${style.warn(`${b.segmentsDone}/${b.segments} segments done`)}, ${n(c.scanned)} scanned${of}, ${n(c.written)} written, ${n(c.skipped)} skipped`,
    `  started by ${b.startedBy} at ${b.startedAt}; ${last}`,
  ]
  const list = (xs: number[]) => `${xs.length === 1 ? 'segment' : 'segments'} ${xs.join(', ')}`
  for (const h of b.holders) lines.push(`  ${list(h.segments)} held by ${h.holder}`)
  if (b.unheld.length > 0) lines.push(`  ${list(b.unheld)} not held (the next run resumes them)`)
  return lines
}
