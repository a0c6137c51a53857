import type { TableDescription } from '@aws-sdk/client-dynamodb'
import { describe, expect, test } from 'vitest'
import {
  billingUpdate,
  indexDrift,
  keyDrift,
  mergeAttributeDefinitions,
  pitrMatches,
  sseMatches,
  tagsToRemove,
  tagsToSet,
  ttlDecision,
} from '../../../../src/engine/steps/converge.js'
import { createTableInput } from '../../../../src/engine/steps/create-table-input.js'
import type { GlobalSecondaryIndex, TableSchema } from '../../../../src/schema/table-schema.js'

const definition: TableSchema = {
  TableName: 'Scores',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
}

const live: TableDescription = {
  TableName: 'Scores-dev',
  AttributeDefinitions: definition.AttributeDefinitions,
  KeySchema: definition.KeySchema,
  BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
  GlobalSecondaryIndexes: [
    {
      IndexName: 'ByScore',
      KeySchema: [{ AttributeName: 'sk', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
      IndexStatus: 'ACTIVE',
    },
  ],
}

describe('keyDrift', () => {
  test('same keys and types: no drift', () => {
    expect(keyDrift(definition, live)).toBeUndefined()
  })

  test('a type the description lacks is not compared (moto drops definitions)', () => {
    expect(keyDrift(definition, { ...live, AttributeDefinitions: [] })).toBeUndefined()
  })

  test('another sort key type is drift, named with both keys', () => {
    const other = {
      ...live,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' as const },
        { AttributeName: 'sk', AttributeType: 'S' as const },
      ],
    }
    expect(keyDrift(definition, other)).toMatchInlineSnapshot(
      `"table Scores-dev already exists with key pk HASH (S), sk RANGE (S), not pk HASH (S), sk RANGE (N): that is drift, not a re-run (delete or rename the table, or fix the migration)"`,
    )
  })

  test('a missing sort key is drift', () => {
    expect(
      keyDrift(definition, { ...live, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }),
    ).toMatch(/already exists with key pk HASH \(S\), not/)
  })
})

describe('indexDrift', () => {
  const gsi = live.GlobalSecondaryIndexes![0]!
  /** ByScore on sk, as a schema declares it, with `projection`. */
  const byScore = (projection: 'ALL' | 'KEYS_ONLY'): GlobalSecondaryIndex => ({
    IndexName: 'ByScore',
    KeySchema: [{ AttributeName: 'sk', KeyType: 'HASH' }],
    Projection: { ProjectionType: projection },
  })
  test('same keys and projection', () => {
    expect(indexDrift(byScore('ALL'), gsi)).toBeUndefined()
  })
  test('another projection is drift', () => {
    expect(indexDrift(byScore('KEYS_ONLY'), gsi)).toMatchInlineSnapshot(
      `"index ByScore already exists as (sk HASH; ALL), not (sk HASH; KEYS_ONLY): delete it first or give the new index another name"`,
    )
  })
})

describe('mergeAttributeDefinitions', () => {
  test('adds what the index needs, keeps what exists', () => {
    expect(
      mergeAttributeDefinitions(live.AttributeDefinitions!, [
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'status', AttributeType: 'S' },
      ]),
    ).toStrictEqual([
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'status', AttributeType: 'S' },
    ])
  })
  test('refuses a type conflict', () => {
    expect(() =>
      mergeAttributeDefinitions(live.AttributeDefinitions!, [
        { AttributeName: 'sk', AttributeType: 'S' },
      ]),
    ).toThrow('attribute sk is already a key attribute of type N, the index wants S')
  })
})

describe('ttlDecision', () => {
  const on = { AttributeName: 'exp', Enabled: true }
  const off = { AttributeName: 'exp', Enabled: false }
  test.each([
    ['enable, DISABLED', on, { TimeToLiveStatus: 'DISABLED' as const }, 'update'],
    ['enable, nothing described', on, undefined, 'update'],
    [
      'enable, ENABLED same attribute',
      on,
      { TimeToLiveStatus: 'ENABLED' as const, AttributeName: 'exp' },
      'skip',
    ],
    [
      'enable, ENABLING same attribute',
      on,
      { TimeToLiveStatus: 'ENABLING' as const, AttributeName: 'exp' },
      'skip',
    ],
    [
      'enable, ENABLED other attribute',
      on,
      { TimeToLiveStatus: 'ENABLED' as const, AttributeName: 'ttl' },
      'refuse',
    ],
    [
      'enable, DISABLING',
      on,
      { TimeToLiveStatus: 'DISABLING' as const, AttributeName: 'exp' },
      'refuse',
    ],
    ['disable, DISABLED', off, { TimeToLiveStatus: 'DISABLED' as const }, 'skip'],
    ['disable, DISABLING', off, { TimeToLiveStatus: 'DISABLING' as const }, 'skip'],
    [
      'disable, ENABLED',
      off,
      { TimeToLiveStatus: 'ENABLED' as const, AttributeName: 'exp' },
      'update',
    ],
  ])('%s → %s', (_name, wanted, described, action) => {
    expect(ttlDecision(wanted, described).action).toBe(action)
  })
  test('disabling uses the live attribute name (the API requires one)', () => {
    expect(
      ttlDecision({ Enabled: false }, { TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' }),
    ).toStrictEqual({
      action: 'update',
      attributeName: 'ttl',
      enabled: false,
    })
  })
})

describe('pitrMatches', () => {
  test('enabled with the default period of 35 days', () => {
    expect(
      pitrMatches(
        { PointInTimeRecoveryEnabled: true },
        { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35 },
      ),
    ).toBe(true)
    expect(
      pitrMatches(
        { PointInTimeRecoveryEnabled: true },
        { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 7 },
      ),
    ).toBe(false)
    expect(
      pitrMatches({ PointInTimeRecoveryEnabled: true }, { PointInTimeRecoveryStatus: 'DISABLED' }),
    ).toBe(false)
  })
  test('disabled', () => {
    expect(
      pitrMatches({ PointInTimeRecoveryEnabled: false }, { PointInTimeRecoveryStatus: 'DISABLED' }),
    ).toBe(true)
    expect(pitrMatches({}, undefined)).toBe(true)
  })
})

describe('billingUpdate', () => {
  test('switch to PROVISIONED sends every throughput', () => {
    expect(
      billingUpdate(
        {
          op: 'updateBilling',
          table: 'Scores',
          billingMode: 'PROVISIONED',
          provisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
          indexes: [
            {
              IndexName: 'ByScore',
              ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
            },
          ],
        },
        live,
      ),
    ).toStrictEqual({
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
      GlobalSecondaryIndexUpdates: [
        {
          Update: {
            IndexName: 'ByScore',
            ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
          },
        },
      ],
    })
  })

  test('matching mode: nothing to send', () => {
    expect(
      billingUpdate({ op: 'updateBilling', table: 'Scores', billingMode: 'PAY_PER_REQUEST' }, live),
    ).toBeUndefined()
  })

  test('no BillingModeSummary means PROVISIONED; only changed throughput is sent', () => {
    const provisioned: TableDescription = {
      ...live,
      BillingModeSummary: undefined,
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
      GlobalSecondaryIndexes: [
        {
          ...live.GlobalSecondaryIndexes![0]!,
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        },
      ],
    }
    const op = {
      op: 'updateBilling' as const,
      table: 'Scores',
      billingMode: 'PROVISIONED' as const,
      provisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
      indexes: [
        {
          IndexName: 'ByScore',
          ProvisionedThroughput: { ReadCapacityUnits: 4, WriteCapacityUnits: 1 },
        },
      ],
    }
    expect(billingUpdate(op, provisioned)).toStrictEqual({
      BillingMode: 'PROVISIONED',
      GlobalSecondaryIndexUpdates: [
        {
          Update: {
            IndexName: 'ByScore',
            ProvisionedThroughput: { ReadCapacityUnits: 4, WriteCapacityUnits: 1 },
          },
        },
      ],
    })
    expect(billingUpdate({ ...op, indexes: [] }, provisioned)).toBeUndefined()
  })
})

describe('sseMatches', () => {
  test('no SSEDescription is the AWS owned key', () => {
    expect(sseMatches({ SSEEnabled: false }, undefined)).toBe(true)
    expect(sseMatches({ SSEEnabled: true }, undefined)).toBe(false)
  })
  test('a key id matches the ARN DescribeTable reports; an alias is not compared', () => {
    const d = { Status: 'ENABLED' as const, KMSMasterKeyArn: 'arn:aws:kms:us-east-1:1:key/abcd' }
    expect(sseMatches({ SSEEnabled: true, KMSMasterKeyId: 'abcd' }, d)).toBe(true)
    expect(sseMatches({ SSEEnabled: true, KMSMasterKeyId: 'ef01' }, d)).toBe(false)
    expect(sseMatches({ SSEEnabled: true, KMSMasterKeyId: 'alias/x' }, d)).toBe(true)
  })
})

describe('tags', () => {
  const liveTags = [
    { Key: 'team', Value: 'core' },
    { Key: 'env', Value: 'dev' },
  ]
  test('only missing or changed tags are set, only present keys removed', () => {
    expect(
      tagsToSet(
        [
          { Key: 'team', Value: 'core' },
          { Key: 'env', Value: 'prod' },
          { Key: 'x', Value: '1' },
        ],
        liveTags,
      ),
    ).toStrictEqual([
      { Key: 'env', Value: 'prod' },
      { Key: 'x', Value: '1' },
    ])
    expect(tagsToRemove(['team', 'gone'], liveTags)).toStrictEqual(['team'])
  })
})

describe('createTableInput', () => {
  test('maps the CloudFormation shape to CreateTable, tags optional', () => {
    const d: TableSchema = {
      ...definition,
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true },
      DeletionProtectionEnabled: false,
      TableClass: 'STANDARD',
      Tags: [{ Key: 'team', Value: 'core' }],
    }
    expect(createTableInput('Scores-dev', d, false)).toStrictEqual({
      TableName: 'Scores-dev',
      AttributeDefinitions: definition.AttributeDefinitions,
      KeySchema: definition.KeySchema,
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { Enabled: true, SSEType: 'KMS' },
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      TableClass: 'STANDARD',
      DeletionProtectionEnabled: false,
    })
    expect(createTableInput('Scores-dev', d, true).Tags).toStrictEqual([
      { Key: 'team', Value: 'core' },
    ])
  })
})

describe('backupName', () => {
  test('table, purpose and a UTC timestamp', async () => {
    const { backupName } = await import('../../../../src/engine/steps/backup.js')
    expect(backupName('Orders-prod', Date.UTC(2026, 10, 21, 23, 36, 0))).toBe(
      'Orders-prod-before-delete-20261121T233600Z',
    )
  })
})
