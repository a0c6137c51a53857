import { describe, expect, test } from 'vitest'
import { compareTable, type Check, type LiveTable } from '../../../src/plan/compare.js'
import type { TableSchema } from '../../../src/schema/table-schema.js'

const ORDERS: TableSchema = {
  $schema: '../schema/table.schema.json',
  TableName: 'Orders',
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
    { AttributeName: 'status', AttributeType: 'S' },
    { AttributeName: 'createdAt', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byStatus',
      KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total', 'customer'] },
    },
  ],
  LocalSecondaryIndexes: [
    {
      IndexName: 'byCreated',
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'createdAt', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
  TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  SSESpecification: { SSEEnabled: false },
  StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
  DeletionProtectionEnabled: false,
  TableClass: 'STANDARD',
  Tags: [
    { Key: 'team', Value: 'core' },
    { Key: 'app', Value: 'shop' },
  ],
}

/** The live state a migration of `def` produces, as inspect-live reports it (orders shuffled). */
function live(def: TableSchema, patch: Partial<LiveTable> = {}): LiveTable {
  const { $schema: _s, ...d } = structuredClone(def)
  return {
    definition: {
      ...d,
      AttributeDefinitions: [...d.AttributeDefinitions].reverse(),
      GlobalSecondaryIndexes: d.GlobalSecondaryIndexes?.map((g) => ({
        ...g,
        Projection: { ...g.Projection, NonKeyAttributes: ['customer', 'total'] },
      })),
      Tags: [...(d.Tags ?? [])].reverse(),
      PointInTimeRecoverySpecification: {
        PointInTimeRecoveryEnabled: true,
        RecoveryPeriodInDays: 35,
      },
    },
    indexes: Object.fromEntries(
      (d.GlobalSecondaryIndexes ?? []).map((g) => [
        g.IndexName,
        { status: 'ACTIVE', backfilling: false },
      ]),
    ),
    tableStatus: 'ACTIVE',
    ttlStatus: def.TimeToLiveSpecification?.Enabled ? 'ENABLED' : 'DISABLED',
    unsupported: [],
    ...patch,
  }
}

const not = (status: Check['status']) => (checks: Check[]) =>
  checks.filter((c) => c.status !== status)
const notOk = not('ok')
const names = (checks: Check[]) => checks.map((c) => c.check)

describe('compareTable', () => {
  test('an identical table is ok in every check, with stable names', () => {
    const checks = compareTable('Orders', ORDERS, live(ORDERS))
    expect(notOk(checks)).toStrictEqual([])
    expect(names(checks)).toStrictEqual([
      'exists',
      'keys',
      'gsi:byStatus',
      'lsi:byCreated',
      'billing',
      'ttl',
      'pitr',
      'sse',
      'stream',
      'deletionProtection',
      'tableClass',
      'tags',
    ])
    expect(checks.find((c) => c.check === 'gsi:byStatus')).toStrictEqual({
      table: 'Orders',
      check: 'gsi:byStatus',
      status: 'ok',
      expected: 'status:S HASH; INCLUDE [customer, total]',
      actual: 'status:S HASH; INCLUDE [customer, total]',
    })
  })

  test('a missing table is one exists drift', () => {
    expect(compareTable('Orders', ORDERS, undefined)).toStrictEqual([
      { table: 'Orders', check: 'exists', status: 'drift', expected: 'exists', actual: 'missing' },
    ])
  })

  test('a live table without a schema is one exists drift', () => {
    const checks = compareTable('Stray', undefined, live({ ...ORDERS, TableName: 'Stray' }))
    expect(checks).toStrictEqual([
      expect.objectContaining({
        check: 'exists',
        status: 'drift',
        expected: 'absent',
        actual: 'exists',
      }),
    ])
  })

  test('each kind of drift names its check, with expected and actual', () => {
    const l = live(ORDERS)
    const d = l.definition
    d.KeySchema = [{ AttributeName: 'PK', KeyType: 'HASH' }]
    d.GlobalSecondaryIndexes = [
      {
        IndexName: 'byStatus',
        KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'byOther',
        KeySchema: [{ AttributeName: 'createdAt', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ]
    l.indexes.byOther = { status: 'ACTIVE', backfilling: false }
    d.LocalSecondaryIndexes = []
    d.BillingMode = 'PROVISIONED'
    d.ProvisionedThroughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
    d.TimeToLiveSpecification = { AttributeName: 'ttl', Enabled: true }
    d.PointInTimeRecoverySpecification = {
      PointInTimeRecoveryEnabled: true,
      RecoveryPeriodInDays: 7,
    }
    d.SSESpecification = {
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: 'arn:aws:kms:us-east-1:1:key/k1',
    }
    d.StreamSpecification = { StreamViewType: 'KEYS_ONLY' }
    d.DeletionProtectionEnabled = true
    d.TableClass = 'STANDARD_INFREQUENT_ACCESS'
    d.Tags = [{ Key: 'team', Value: 'other' }]
    const drifts = compareTable('Orders', ORDERS, l).filter((c) => c.status === 'drift')
    expect(drifts.map(({ table: _t, status: _s, ...c }) => c)).toStrictEqual([
      { check: 'keys', expected: 'PK:S HASH, SK:S RANGE', actual: 'PK:S HASH' },
      {
        check: 'gsi:byStatus',
        expected: 'status:S HASH; INCLUDE [customer, total]',
        actual: 'status:S HASH; ALL',
      },
      { check: 'gsi:byOther:extra', expected: 'absent', actual: 'createdAt:N HASH; KEYS_ONLY' },
      {
        check: 'lsi:byCreated',
        expected: 'PK:S HASH, createdAt:N RANGE; KEYS_ONLY',
        actual: 'missing',
      },
      { check: 'billing', expected: 'PAY_PER_REQUEST', actual: 'PROVISIONED (read 5, write 5)' },
      { check: 'ttl', expected: 'ENABLED on expiresAt', actual: 'ENABLED on ttl' },
      { check: 'pitr', expected: 'ENABLED (35 days)', actual: 'ENABLED (7 days)' },
      { check: 'sse', expected: 'DISABLED', actual: 'KMS arn:aws:kms:us-east-1:1:key/k1' },
      { check: 'stream', expected: 'NEW_AND_OLD_IMAGES', actual: 'KEYS_ONLY' },
      { check: 'deletionProtection', expected: false, actual: true },
      { check: 'tableClass', expected: 'STANDARD', actual: 'STANDARD_INFREQUENT_ACCESS' },
      { check: 'tags', expected: { app: 'shop', team: 'core' }, actual: { team: 'other' } },
    ])
  })

  test('a missing GSI, a disabled TTL and an extra LSI', () => {
    const l = live(ORDERS, { ttlStatus: 'DISABLED' })
    delete l.definition.GlobalSecondaryIndexes
    delete l.definition.TimeToLiveSpecification
    l.definition.LocalSecondaryIndexes?.push({
      IndexName: 'bySK',
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })
    expect(notOk(compareTable('Orders', ORDERS, l))).toStrictEqual([
      {
        table: 'Orders',
        check: 'gsi:byStatus',
        status: 'drift',
        expected: 'status:S HASH; INCLUDE [customer, total]',
        actual: 'missing',
      },
      {
        table: 'Orders',
        check: 'lsi:bySK:extra',
        status: 'drift',
        expected: 'absent',
        actual: 'PK:S HASH, SK:S RANGE; ALL',
      },
      {
        table: 'Orders',
        check: 'ttl',
        status: 'drift',
        expected: 'ENABLED on expiresAt',
        actual: 'DISABLED',
      },
    ])
  })

  test('a key attribute of another type is drift; one the endpoint does not report is not', () => {
    const retyped = live(ORDERS)
    retyped.definition.AttributeDefinitions = retyped.definition.AttributeDefinitions.map((a) =>
      a.AttributeName === 'SK' ? { ...a, AttributeType: 'N' } : a,
    )
    expect(notOk(compareTable('Orders', ORDERS, retyped))).toStrictEqual([
      expect.objectContaining({ check: 'keys', status: 'drift', actual: 'PK:S HASH, SK:N RANGE' }),
    ])
    const dropped = live(ORDERS)
    dropped.definition.AttributeDefinitions = dropped.definition.AttributeDefinitions.filter(
      (a) => a.AttributeName !== 'SK',
    )
    const keys = compareTable('Orders', ORDERS, dropped).find((c) => c.check === 'keys')
    expect(keys).toMatchObject({ status: 'ok', detail: 'type of SK not reported' })
  })

  test('GSI throughput is compared under PROVISIONED', () => {
    const prov: TableSchema = {
      ...ORDERS,
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      GlobalSecondaryIndexes: ORDERS.GlobalSecondaryIndexes?.map((g) => ({
        ...g,
        ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
      })),
    }
    expect(notOk(compareTable('Orders', prov, live(prov)))).toStrictEqual([])
    const l = live(prov)
    const gsi = l.definition.GlobalSecondaryIndexes?.[0]
    if (gsi) gsi.ProvisionedThroughput = { ReadCapacityUnits: 2, WriteCapacityUnits: 9 }
    expect(notOk(compareTable('Orders', prov, l))).toStrictEqual([
      expect.objectContaining({
        check: 'gsi:byStatus',
        status: 'drift',
        expected: 'status:S HASH; INCLUDE [customer, total]; read 2, write 2',
        actual: 'status:S HASH; INCLUDE [customer, total]; read 2, write 9',
      }),
    ])
  })

  test('a GSI still building, a table updating and TTL on its way are pending, not drift', () => {
    const l = live(ORDERS, {
      tableStatus: 'UPDATING',
      indexes: { byStatus: { status: 'CREATING', backfilling: true } },
      ttlStatus: 'ENABLING',
    })
    expect(notOk(compareTable('Orders', ORDERS, l))).toStrictEqual([
      {
        table: 'Orders',
        check: 'exists',
        status: 'pending',
        expected: 'ACTIVE',
        actual: 'UPDATING',
        detail: 'table is UPDATING',
      },
      {
        table: 'Orders',
        check: 'gsi:byStatus',
        status: 'pending',
        expected: 'ACTIVE',
        actual: 'CREATING',
        detail: 'CREATING (backfilling)',
      },
      {
        table: 'Orders',
        check: 'ttl',
        status: 'pending',
        expected: 'ENABLED on expiresAt',
        actual: 'ENABLING on expiresAt',
        detail: 'TTL is being enabled',
      },
    ])
    const disabling = live(
      { ...ORDERS, TimeToLiveSpecification: { Enabled: false } },
      {
        ttlStatus: 'DISABLING',
      },
    )
    disabling.definition.TimeToLiveSpecification = { AttributeName: 'expiresAt', Enabled: false }
    const ttl = compareTable('Orders', { ...ORDERS, TimeToLiveSpecification: undefined }, disabling)
    expect(ttl.find((c) => c.check === 'ttl')?.status).toBe('pending')
  })

  test('an extra GSI being deleted is pending', () => {
    const l = live(ORDERS)
    l.definition.GlobalSecondaryIndexes?.push({
      IndexName: 'old',
      KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    })
    l.indexes.old = { status: 'DELETING', backfilling: false }
    expect(notOk(compareTable('Orders', ORDERS, l))).toStrictEqual([
      expect.objectContaining({ check: 'gsi:old:extra', status: 'pending', detail: 'DELETING' }),
    ])
  })

  test('what the endpoint cannot answer is unsupported, never ok', () => {
    const l = live(ORDERS, {
      unsupported: ['pitr', 'tags', 'sse', 'tableClass'],
      unsupportedReasons: { pitr: 'PITR: not implemented' },
    })
    delete l.definition.PointInTimeRecoverySpecification
    delete l.definition.Tags
    expect(notOk(compareTable('Orders', ORDERS, l))).toStrictEqual([
      { table: 'Orders', check: 'pitr', status: 'unsupported', detail: 'PITR: not implemented' },
      {
        table: 'Orders',
        check: 'sse',
        status: 'unsupported',
        detail: 'the endpoint does not report it',
      },
      {
        table: 'Orders',
        check: 'tableClass',
        status: 'unsupported',
        detail: 'the endpoint does not report it',
      },
      {
        table: 'Orders',
        check: 'tags',
        status: 'unsupported',
        detail: 'the endpoint does not report it',
      },
    ])
  })

  describe('SSE', () => {
    const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab'
    const ARN = `arn:aws:kms:us-east-1:123456789012:key/${KEY}`
    const sse = (want: TableSchema['SSESpecification'], have: TableSchema['SSESpecification']) => {
      const l = live(ORDERS)
      l.definition.SSESpecification = have
      return compareTable('Orders', { ...ORDERS, SSESpecification: want }, l).find(
        (c) => c.check === 'sse',
      )
    }
    test('a key id and the ARN DescribeTable reports are the same key', () => {
      const live = { SSEEnabled: true, SSEType: 'KMS' as const, KMSMasterKeyId: ARN }
      expect(sse({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY }, live)).toStrictEqual({
        table: 'Orders',
        check: 'sse',
        status: 'ok',
        expected: `KMS ${KEY}`,
        actual: `KMS ${ARN}`,
      })
      expect(sse({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: ARN }, live)?.status).toBe(
        'ok',
      )
      expect(
        sse({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: 'other-key' }, live)?.status,
      ).toBe('drift')
    })
    test('SSEEnabled without type is KMS with the AWS managed key; an alias is not resolved', () => {
      const live = { SSEEnabled: true, SSEType: 'KMS' as const, KMSMasterKeyId: ARN }
      expect(sse({ SSEEnabled: true }, live)).toMatchObject({
        status: 'ok',
        expected: 'KMS',
        detail: expect.stringContaining('AWS managed key'),
      })
      expect(
        sse({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/app' }, live),
      ).toMatchObject({
        status: 'ok',
        detail: expect.stringContaining('alias/app cannot be resolved'),
      })
      expect(sse({ SSEEnabled: true }, undefined)).toMatchObject({
        status: 'drift',
        expected: 'KMS',
        actual: 'DISABLED',
      })
      expect(sse({ SSEEnabled: false }, undefined)?.status).toBe('ok')
    })
  })
})
