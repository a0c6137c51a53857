import { describe, expect, test } from 'vitest'
import { compareTable, type LiveTable } from '../../../src/plan/compare.js'
import { driftCause } from '../../../src/plan/drift-cause.js'
import type { TableSchema } from '../../../src/schema/table-schema.js'

const BASE: TableSchema = {
  TableName: 'Orders',
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'status', AttributeType: 'S' },
  ],
  KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
}
const INDEXED: TableSchema = {
  ...BASE,
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byStatus',
      KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
}
const TTL: TableSchema = {
  ...INDEXED,
  TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
}

const live = (definition: TableSchema): LiveTable => ({
  definition,
  indexes: Object.fromEntries(
    (definition.GlobalSecondaryIndexes ?? []).map((g) => [
      g.IndexName,
      { status: 'ACTIVE', backfilling: false },
    ]),
  ),
  tableStatus: 'ACTIVE',
  ttlStatus: definition.TimeToLiveSpecification?.Enabled ? 'ENABLED' : 'DISABLED',
  unsupported: [],
})

/** What verify would find: the drifts of `schema` against `table`. */
function input(schema: TableSchema, built: TableSchema, applied: TableSchema, table: LiveTable) {
  return {
    schemas: { Orders: schema },
    built: { Orders: built },
    applied: { Orders: applied },
    drifts: compareTable('Orders', schema, table).filter((c) => c.status === 'drift'),
    live: new Map([['Orders', table]]),
  }
}

describe('driftCause', () => {
  test('the drift is what a pending migration makes: migrations-pending', () => {
    expect(
      driftCause({ ...input(INDEXED, INDEXED, BASE, live(BASE)), pending: ['0002_index'] }),
    ).toStrictEqual({ reason: 'migrations-pending', pending: ['0002_index'] })
  })

  test('schemas/ says more than migrations/ build: schemas-ahead, whatever is pending', () => {
    expect(driftCause({ ...input(INDEXED, BASE, BASE, live(BASE)), pending: [] })).toStrictEqual({
      reason: 'schemas-ahead',
      pending: [],
    })
  })

  test('everything applied and still drift: changed-outside, naming the drifts', () => {
    const cause = driftCause({ ...input(INDEXED, INDEXED, INDEXED, live(BASE)), pending: [] })
    expect(cause).toMatchObject({ reason: 'changed-outside', pending: [], explained: [] })
    expect(cause.reason === 'changed-outside' && cause.outside.map((c) => c.check)).toStrictEqual([
      'gsi:byStatus',
    ])
  })

  test('a pending migration explains one drift, a change by hand the other', () => {
    // Applied: the index; pending: TTL. By hand: the index deleted.
    const cause = driftCause({ ...input(TTL, TTL, INDEXED, live(BASE)), pending: ['0003_ttl'] })
    expect(cause.reason).toBe('changed-outside')
    if (cause.reason !== 'changed-outside') return
    expect(cause.outside.map((c) => c.check)).toStrictEqual(['gsi:byStatus'])
    expect(cause.explained.map((c) => c.check)).toStrictEqual(['ttl'])
  })
})
