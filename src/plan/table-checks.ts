import type { TableSchema } from '../schema/table-schema.js'
import type { Check, CheckInput, TableCheck, TableCheckResult } from './check.js'
import {
  compareDeletionProtection,
  comparePitr,
  compareSse,
  compareStream,
  compareTableClass,
  type Compared,
} from './part-compare.js'
import { gsiChecks, keysCheck, lsiChecks } from './index-checks.js'
import { liveTtl, unsupportedPart, type LivePart, type LiveTable } from './live-table.js'
import { seedChecks } from './seed-checks.js'
import { billingText, tagsText } from './table-text.js'

/**
 * Every check verify runs on a table that exists, in report order. Adding a table property (or a check of
 * the data after seeding) is one entry here, usually built with {@link part}; the comparisons themselves
 * live in plan/in-place.ts, where the executor's decisions use them too.
 */
export const TABLE_CHECKS: readonly TableCheck[] = [
  ({ live }) => [existsCheck(live)],
  ({ e, l }) => [keysCheck(e, l)],
  gsiChecks,
  lsiChecks,
  ({ e, l }) => [same('billing', billingText(e), billingText(l))],
  ({ e, live }) => [ttlCheck(e, live)],
  part('pitr', 'pitr', ({ e, l }) => comparePitr(e.PointInTimeRecoverySpecification, l)),
  part('sse', 'sse', ({ e, l }) => compareSse(e.SSESpecification, l)),
  part('stream', undefined, ({ e, l }) => compareStream(e, l)),
  part('deletionProtection', undefined, ({ e, l }) => ({
    ...compareDeletionProtection(e.DeletionProtectionEnabled, l),
    expected: e.DeletionProtectionEnabled ?? false,
    actual: l.DeletionProtectionEnabled ?? false,
  })),
  part('tableClass', 'tableClass', ({ e, l }) => compareTableClass(e, l)),
  ({ e, l, live }) => [unsupported(live, 'tags') ?? same('tags', tagsText(e), tagsText(l))],
  ({ data }) => (data === undefined ? [] : seedChecks(data.tally, data.counts)),
]

type Shown = Omit<Compared, 'expected' | 'actual'> & { expected: unknown; actual: unknown }

/**
 * A check named `name` from a comparison: ok when the sides agree, else drift. When `live` names `part`
 * as unsupported by the endpoint, the check is `unsupported` and nothing is compared.
 */
function part(
  name: string,
  livePart: LivePart | undefined,
  compare: (input: CheckInput) => Shown,
): TableCheck {
  return (input) => {
    const skipped = livePart === undefined ? undefined : unsupported(input.live, livePart)
    if (skipped !== undefined) return [skipped]
    const c = compare(input)
    return [
      {
        check: name,
        status: c.same ? 'ok' : 'drift',
        expected: c.expected,
        actual: c.actual,
        ...(c.detail === undefined ? {} : { detail: c.detail }),
      },
    ]
  }
}

function same(name: string, expected: unknown, actual: unknown): TableCheckResult {
  const equal = JSON.stringify(expected) === JSON.stringify(actual)
  return { check: name, status: equal ? 'ok' : 'drift', expected, actual }
}

function unsupported(live: LiveTable, name: LivePart): TableCheckResult | undefined {
  const reason = unsupportedPart(live, name)
  return reason === undefined ? undefined : { check: name, status: 'unsupported', detail: reason }
}

/** ACTIVE: ok; CREATING/UPDATING: pending; anything else (DELETING, ARCHIVED...): drift. */
function existsCheck(live: LiveTable): TableCheckResult {
  const status = live.tableStatus
  if (status === 'ACTIVE')
    return { check: 'exists', status: 'ok', expected: 'ACTIVE', actual: status }
  const pending = status === 'CREATING' || status === 'UPDATING'
  return {
    check: 'exists',
    status: pending ? 'pending' : 'drift',
    expected: 'ACTIVE',
    actual: status,
    detail: `table is ${status}`,
  }
}

/**
 * TTL from DescribeTimeToLive's status: the wanted state reached is ok; ENABLING/DISABLING heading the
 * wanted way is pending (it takes up to an hour); anything else, including another attribute, is drift.
 */
function ttlCheck(e: TableSchema, live: LiveTable): TableCheckResult {
  const want = e.TimeToLiveSpecification
  const { status, attribute } = liveTtl(live)
  const actual =
    status === 'DISABLED' || attribute === undefined ? status : `${status} on ${attribute}`
  const result = (s: Check['status'], expected: string, detail?: string): TableCheckResult => ({
    check: 'ttl',
    status: s,
    expected,
    actual,
    ...(detail ? { detail } : {}),
  })
  if (want?.Enabled !== true) {
    if (status === 'DISABLED') return result('ok', 'DISABLED')
    if (status === 'DISABLING') return result('pending', 'DISABLED', 'TTL is being disabled')
    return result('drift', 'DISABLED')
  }
  const expected = `ENABLED on ${want.AttributeName ?? '?'}`
  if (attribute !== want.AttributeName) return result('drift', expected)
  if (status === 'ENABLED') return result('ok', expected)
  if (status === 'ENABLING') return result('pending', expected, 'TTL is being enabled')
  return result('drift', expected)
}
