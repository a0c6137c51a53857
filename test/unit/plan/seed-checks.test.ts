import { describe, expect, test } from 'vitest'
import { newTally, seedChecks, tallyItem } from '../../../src/plan/seed-checks.js'
import type { TableSchema } from '../../../src/schema/table-schema.js'
import { ORDERS } from '../../fixtures/tables.js'

const NOW = 1_800_000_000 // epoch seconds at "seeding time"

/** Orders (GSI byCustomer on customerId, TTL on expiresAt) tallied over `items`. */
function tallied(items: Record<string, unknown>[], before = 0, table: TableSchema = ORDERS) {
  const tally = newTally(table, before)
  for (const item of items) tallyItem(tally, table, item, NOW)
  return tally
}

const order = (i: number, extra: Record<string, unknown> = {}) => ({
  PK: `ORDER#${i}`,
  SK: 'META',
  ...extra,
})

describe('post-seed checks', () => {
  test('counts, a sparse index and TTL in epoch seconds in the future are ok', () => {
    const items = [
      order(1, { customerId: 'C1', expiresAt: NOW + 3600 }),
      order(2, { customerId: 'C2', expiresAt: NOW + 7200 }),
      order(3, { expiresAt: NOW + 60 }),
    ]
    const tally = tallied(items)
    expect(tally).toStrictEqual({
      written: 3,
      before: 0,
      indexes: { byCustomer: 2 },
      ttl: { attribute: 'expiresAt', present: 3, notNumber: 0, milliseconds: 0, past: 0 },
    })
    expect(seedChecks(tally, { items: 3, indexes: { byCustomer: 2 } })).toStrictEqual([
      { check: 'data:items', status: 'ok', expected: 3, actual: 3 },
      { check: 'data:gsi:byCustomer', status: 'ok', expected: 2, actual: 2 },
      {
        check: 'data:ttl',
        status: 'ok',
        expected: 'expiresAt: epoch seconds in the future',
        actual: '3 of 3 items, all in epoch seconds in the future',
      },
    ])
  })

  test('a lost item, an index short of its items and TTL in milliseconds are drift', () => {
    const tally = tallied([
      order(1, { customerId: 'C1', expiresAt: (NOW + 3600) * 1000 }),
      order(2, { customerId: 'C2', expiresAt: NOW - 1 }),
      order(3, { expiresAt: 'tomorrow' }),
    ])
    expect(seedChecks(tally, { items: 2, indexes: { byCustomer: 1 } })).toStrictEqual([
      { check: 'data:items', status: 'drift', expected: 3, actual: 2 },
      { check: 'data:gsi:byCustomer', status: 'drift', expected: 2, actual: 1 },
      {
        check: 'data:ttl',
        status: 'drift',
        expected: 'expiresAt: epoch seconds in the future',
        actual: '1 not a number, 1 in milliseconds, 1 in the past (of 3 items with expiresAt)',
        detail: 'DynamoDB reads TTL as epoch seconds: use Math.floor(ms / 1000)',
      },
    ])
  })

  test('a table that held items before (no --clear) is held to a range', () => {
    const tally = tallied([order(1, { customerId: 'C1', expiresAt: NOW + 1 })], 5)
    const [items] = seedChecks(tally, { items: 6, indexes: { byCustomer: 1 } })
    expect(items).toStrictEqual({
      check: 'data:items',
      status: 'ok',
      expected: '1..6',
      actual: 6,
      detail: 'the table held 5 items before seeding; use --clear for an exact count',
    })
    expect(seedChecks(tally, { items: 7, indexes: { byCustomer: 1 } })[0]?.status).toBe('drift')
  })

  test('no TTL in the schema: no data:ttl check', () => {
    const { TimeToLiveSpecification: _ttl, ...plain } = ORDERS
    const tally = tallied([order(1, { expiresAt: 5 })], 0, plain)
    expect(
      seedChecks(tally, { items: 1, indexes: { byCustomer: 0 } }).map((c) => c.check),
    ).toStrictEqual(['data:items', 'data:gsi:byCustomer'])
  })
})
