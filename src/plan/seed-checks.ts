import type { TableSchema } from '../schema/table-schema.js'
import type { DataCounts, SeedTally, TableCheckResult } from './check.js'

export type { DataCounts, SeedTally } from './check.js'

/** Epoch values at or above this are milliseconds, not seconds (1e11 s is the year 5138). */
const MILLISECONDS_FROM = 1e11

/** An empty tally for `table` with `before` items already in it. */
export function newTally(table: TableSchema, before: number): SeedTally {
  const ttl = table.TimeToLiveSpecification
  return {
    written: 0,
    before,
    indexes: Object.fromEntries((table.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, 0])),
    ...(ttl?.Enabled === true && ttl.AttributeName !== undefined
      ? {
          ttl: { attribute: ttl.AttributeName, present: 0, notNumber: 0, milliseconds: 0, past: 0 },
        }
      : {}),
  }
}

/**
 * Adds one written item (plain JS values) to `tally`: its indexes and its TTL value, judged against
 * `nowSeconds` (epoch seconds at seeding time). Mutates the tally, which the caller owns.
 */
export function tallyItem(
  tally: SeedTally,
  table: TableSchema,
  item: Record<string, unknown>,
  nowSeconds: number,
): void {
  tally.written++
  for (const g of table.GlobalSecondaryIndexes ?? []) {
    if (
      g.KeySchema.every(
        (k) => item[k.AttributeName] !== undefined && item[k.AttributeName] !== null,
      )
    ) {
      tally.indexes[g.IndexName] = (tally.indexes[g.IndexName] ?? 0) + 1
    }
  }
  const ttl = tally.ttl
  if (ttl === undefined || !(ttl.attribute in item)) return
  const value = item[ttl.attribute]
  ttl.present++
  const n = typeof value === 'bigint' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isFinite(n)) ttl.notNumber++
  else if (n >= MILLISECONDS_FROM) ttl.milliseconds++
  else if (n <= nowSeconds) ttl.past++
}

/**
 * The post-seed checks of one table, entries of verify's check list (TABLE_CHECKS runs them when data
 * counts are given): `data:items` (the consistent item count is what was written; a range when the table
 * held items before and was not cleared, since overwritten keys are not known), `data:gsi:<name>` per GSI
 * (the index holds exactly the written items that carry its key attributes), and `data:ttl` (TTL values are
 * numbers in epoch seconds and in the future).
 */
export function seedChecks(tally: SeedTally, counts: DataCounts): TableCheckResult[] {
  const checks: TableCheckResult[] = [
    countCheck('data:items', tally.written, tally.before, counts.items),
  ]
  for (const [name, expected] of Object.entries(tally.indexes)) {
    checks.push(countCheck(`data:gsi:${name}`, expected, tally.before, counts.indexes[name] ?? 0))
  }
  const ttl = tally.ttl
  if (ttl !== undefined) {
    const wrong = [
      ttl.notNumber ? `${ttl.notNumber} not a number` : '',
      ttl.milliseconds ? `${ttl.milliseconds} in milliseconds` : '',
      ttl.past ? `${ttl.past} in the past` : '',
    ].filter((x) => x !== '')
    checks.push({
      check: 'data:ttl',
      status: wrong.length === 0 ? 'ok' : 'drift',
      expected: `${ttl.attribute}: epoch seconds in the future`,
      actual:
        wrong.length === 0
          ? `${ttl.present} of ${tally.written} items, all in epoch seconds in the future`
          : `${wrong.join(', ')} (of ${ttl.present} items with ${ttl.attribute})`,
      ...(ttl.milliseconds
        ? { detail: 'DynamoDB reads TTL as epoch seconds: use Math.floor(ms / 1000)' }
        : {}),
    })
  }
  return checks
}

/** `expected` exactly, or within expected..expected+before when the table held `before` items already. */
function countCheck(
  check: string,
  expected: number,
  before: number,
  actual: number,
): TableCheckResult {
  if (before === 0) {
    return { check, status: actual === expected ? 'ok' : 'drift', expected, actual }
  }
  const ok = actual >= expected && actual <= expected + before
  return {
    check,
    status: ok ? 'ok' : 'drift',
    expected: `${expected}..${expected + before}`,
    actual,
    detail: `the table held ${before} items before seeding; use --clear for an exact count`,
  }
}
