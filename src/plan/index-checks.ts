import type { TableSchema } from '../schema/table-schema.js'
import { compareGsi, compareKeys } from './part-compare.js'
import type { CheckInput, TableCheckResult } from './check.js'
import { billingMode, indexText } from './table-text.js'

/** `keys`: the primary key's attributes, roles and types (see compareKeys). */
export function keysCheck(e: TableSchema, l: TableSchema): TableCheckResult {
  const c = compareKeys(e, l)
  return {
    check: 'keys',
    status: c.same ? 'ok' : 'drift',
    expected: c.expected,
    actual: c.actual,
    ...(c.detail === undefined ? {} : { detail: c.detail }),
  }
}

/**
 * Per wanted GSI `gsi:<name>` (exists, keys, projection, throughput when both sides have the same billing
 * mode, then ACTIVE: CREATING/UPDATING is pending, with backfilling in the detail), then
 * `gsi:<name>:extra` for live GSIs the schema lacks (pending while DELETING).
 */
export function gsiChecks({ e, l, live }: CheckInput): TableCheckResult[] {
  // Throughput is compared when both sides have the same mode; a mode switch is the billing check's drift.
  const mode = billingMode(e)
  const provisioned = mode !== billingMode(l) ? undefined : mode === 'PROVISIONED'
  const checks: TableCheckResult[] = []
  for (const g of e.GlobalSecondaryIndexes ?? []) {
    const check = `gsi:${g.IndexName}`
    const c = compareGsi(g, e.AttributeDefinitions, l, provisioned)
    const state = live.indexes[g.IndexName]
    if (!c.same) {
      checks.push({ check, status: 'drift', expected: c.expected, actual: c.actual })
    } else if (state === undefined || state.status === 'ACTIVE') {
      checks.push({ check, status: 'ok', expected: c.expected, actual: c.actual })
    } else {
      const detail = `${state.status}${state.backfilling ? ' (backfilling)' : ''}`
      const pending = state.status === 'CREATING' || state.status === 'UPDATING'
      checks.push({
        check,
        status: pending ? 'pending' : 'drift',
        expected: 'ACTIVE',
        actual: state.status,
        detail,
      })
    }
  }
  for (const g of l.GlobalSecondaryIndexes ?? []) {
    if (e.GlobalSecondaryIndexes?.some((x) => x.IndexName === g.IndexName)) continue
    const deleting = live.indexes[g.IndexName]?.status === 'DELETING'
    checks.push({
      check: `gsi:${g.IndexName}:extra`,
      status: deleting ? 'pending' : 'drift',
      expected: 'absent',
      actual: indexText(g, l.AttributeDefinitions),
      ...(deleting ? { detail: 'DELETING' } : {}),
    })
  }
  return checks
}

/** `lsi:<name>` per wanted LSI (keys and projection) and `lsi:<name>:extra` for live ones the schema lacks. */
export function lsiChecks({ e, l }: CheckInput): TableCheckResult[] {
  const checks: TableCheckResult[] = []
  for (const i of e.LocalSecondaryIndexes ?? []) {
    const found = l.LocalSecondaryIndexes?.find((x) => x.IndexName === i.IndexName)
    const expected = indexText(i, e.AttributeDefinitions)
    const actual =
      found === undefined
        ? 'missing'
        : indexText(found, l.AttributeDefinitions, undefined, e.AttributeDefinitions)
    checks.push({
      check: `lsi:${i.IndexName}`,
      status: expected === actual ? 'ok' : 'drift',
      expected,
      actual,
    })
  }
  for (const i of l.LocalSecondaryIndexes ?? []) {
    if (e.LocalSecondaryIndexes?.some((x) => x.IndexName === i.IndexName)) continue
    checks.push({
      check: `lsi:${i.IndexName}:extra`,
      status: 'drift',
      expected: 'absent',
      actual: indexText(i, l.AttributeDefinitions),
    })
  }
  return checks
}
