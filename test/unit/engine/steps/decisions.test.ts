import type {
  PointInTimeRecoveryDescription,
  TableDescription,
  TimeToLiveDescription,
} from '@aws-sdk/client-dynamodb'
import { describe, expect, test } from 'vitest'
import { liveTable } from '../../../../src/engine/live/read-live-table.js'
import { createTableInput } from '../../../../src/engine/steps/create-table-input.js'
import { mergeAttributeDefinitions } from '../../../../src/engine/steps/index-steps.js'
import { billingChanges, ttlDecision } from '../../../../src/plan/in-place.js'
import {
  compareGsi,
  compareKeys,
  comparePitr,
  compareSse,
  tagsToRemove,
  tagsToSet,
} from '../../../../src/plan/part-compare.js'
import type { LiveTable } from '../../../../src/plan/live-table.js'
import type { GlobalSecondaryIndex, TableSchema } from '../../../../src/schema/table-schema.js'

/**
 * The executor's decisions, from what DynamoDB describes: each fixture is a DescribeTable answer, read
 * into the one live model (liveTable) before the pure decision of plan/in-place.ts is taken.
 */

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
  TableArn: 'arn:aws:dynamodb:us-east-1:1:table/Scores-dev',
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

/** `description` (with TTL and PITR descriptions) read into the live model, as on AWS. */
function lv(
  description: TableDescription,
  extras: { ttl?: TimeToLiveDescription; pitr?: PointInTimeRecoveryDescription } = {},
): LiveTable {
  return liveTable(
    description,
    {
      ttl: extras.ttl,
      pitr: { supported: true, value: extras.pitr },
      tags: { supported: true, value: [] },
      awsEndpoint: true,
    },
    'Scores',
  )
}

describe('compareKeys', () => {
  test('same keys and types', () => {
    expect(compareKeys(definition, lv(live).definition).same).toBe(true)
  })

  test('a type the description lacks is not compared (moto drops definitions)', () => {
    expect(
      compareKeys(definition, lv({ ...live, AttributeDefinitions: [] }).definition),
    ).toStrictEqual({
      same: true,
      expected: 'pk:S HASH, sk:N RANGE',
      actual: 'pk:S HASH, sk:N RANGE',
      detail: 'type of pk, sk not reported',
    })
  })

  test('another sort key type differs, with both keys as text', () => {
    const other = {
      ...live,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' as const },
        { AttributeName: 'sk', AttributeType: 'S' as const },
      ],
    }
    expect(compareKeys(definition, lv(other).definition)).toStrictEqual({
      same: false,
      expected: 'pk:S HASH, sk:N RANGE',
      actual: 'pk:S HASH, sk:S RANGE',
    })
  })

  test('a missing sort key differs', () => {
    const hashOnly = { ...live, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }] }
    expect(compareKeys(definition, lv(hashOnly).definition)).toStrictEqual({
      same: false,
      expected: 'pk:S HASH, sk:N RANGE',
      actual: 'pk:S HASH',
    })
  })
})

describe('compareGsi', () => {
  /** ByScore on sk, as a schema declares it, with `projection`. */
  const byScore = (projection: 'ALL' | 'KEYS_ONLY'): GlobalSecondaryIndex => ({
    IndexName: 'ByScore',
    KeySchema: [{ AttributeName: 'sk', KeyType: 'HASH' }],
    Projection: { ProjectionType: projection },
  })
  const defs = definition.AttributeDefinitions
  test('same keys and projection', () => {
    expect(compareGsi(byScore('ALL'), defs, lv(live).definition, false).same).toBe(true)
  })
  test('another projection differs', () => {
    expect(compareGsi(byScore('KEYS_ONLY'), defs, lv(live).definition, false)).toStrictEqual({
      same: false,
      expected: 'sk:N HASH; KEYS_ONLY',
      actual: 'sk:N HASH; ALL',
    })
  })
  test('a missing index', () => {
    const none = { ...live, GlobalSecondaryIndexes: [] }
    expect(compareGsi(byScore('ALL'), defs, lv(none).definition, false)).toStrictEqual({
      same: false,
      expected: 'sk:N HASH; ALL',
      actual: 'missing',
    })
  })
})

describe('mergeAttributeDefinitions', () => {
  test('adds what the index needs, keeps what exists', () => {
    expect(
      mergeAttributeDefinitions(definition.AttributeDefinitions, [
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
      mergeAttributeDefinitions(definition.AttributeDefinitions, [
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
    expect(ttlDecision(wanted, lv(live, { ttl: described })).action).toBe(action)
  })
  test('disabling uses the live attribute name (the API requires one)', () => {
    expect(
      ttlDecision(
        { Enabled: false },
        lv(live, { ttl: { TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' } }),
      ),
    ).toStrictEqual({
      action: 'update',
      attributeName: 'ttl',
      enabled: false,
    })
  })
})

describe('comparePitr', () => {
  const pitr = (value: PointInTimeRecoveryDescription | undefined) =>
    lv(live, { pitr: value }).definition
  test('enabled with the default period of 35 days', () => {
    const on = { PointInTimeRecoveryEnabled: true }
    expect(
      comparePitr(on, pitr({ PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35 }))
        .same,
    ).toBe(true)
    expect(
      comparePitr(on, pitr({ PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 7 })),
    ).toStrictEqual({ same: false, expected: 'ENABLED (35 days)', actual: 'ENABLED (7 days)' })
    expect(comparePitr(on, pitr({ PointInTimeRecoveryStatus: 'DISABLED' })).same).toBe(false)
  })
  test('disabled', () => {
    expect(
      comparePitr(
        { PointInTimeRecoveryEnabled: false },
        pitr({ PointInTimeRecoveryStatus: 'DISABLED' }),
      ).same,
    ).toBe(true)
    expect(comparePitr(undefined, pitr(undefined)).same).toBe(true)
  })
})

describe('billingChanges', () => {
  test('switch to PROVISIONED sends every throughput', () => {
    expect(
      billingChanges(
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
        lv(live).definition,
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
      billingChanges(
        { op: 'updateBilling', table: 'Scores', billingMode: 'PAY_PER_REQUEST' },
        lv(live).definition,
      ),
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
    expect(billingChanges(op, lv(provisioned).definition)).toStrictEqual({
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
    expect(billingChanges({ ...op, indexes: [] }, lv(provisioned).definition)).toBeUndefined()
  })

  test('an on-demand maximum the wanted state leaves out is removed with -1, as verify expects', () => {
    const limited: TableDescription = {
      ...live,
      OnDemandThroughput: { MaxReadRequestUnits: 100, MaxWriteRequestUnits: -1 },
    }
    const op = {
      op: 'updateBilling' as const,
      table: 'Scores',
      billingMode: 'PAY_PER_REQUEST' as const,
      onDemandThroughput: { MaxWriteRequestUnits: 50 },
    }
    expect(billingChanges(op, lv(limited).definition)).toStrictEqual({
      BillingMode: 'PAY_PER_REQUEST',
      OnDemandThroughput: { MaxReadRequestUnits: -1, MaxWriteRequestUnits: 50 },
    })
    const { onDemandThroughput: _none, ...unlimited } = op
    expect(billingChanges(unlimited, lv(limited).definition)).toStrictEqual({
      BillingMode: 'PAY_PER_REQUEST',
      OnDemandThroughput: { MaxReadRequestUnits: -1 },
    })
  })
})

describe('compareSse', () => {
  const sse = (d: TableDescription['SSEDescription']) =>
    lv({ ...live, SSEDescription: d }).definition
  test('no SSEDescription is the AWS owned key', () => {
    expect(compareSse({ SSEEnabled: false }, sse(undefined)).same).toBe(true)
    expect(compareSse({ SSEEnabled: true }, sse(undefined)).same).toBe(false)
  })
  test('a key id matches the ARN DescribeTable reports; an alias is not compared', () => {
    const d = sse({ Status: 'ENABLED', KMSMasterKeyArn: 'arn:aws:kms:us-east-1:1:key/abcd' })
    expect(compareSse({ SSEEnabled: true, KMSMasterKeyId: 'abcd' }, d).same).toBe(true)
    expect(compareSse({ SSEEnabled: true, KMSMasterKeyId: 'ef01' }, d).same).toBe(false)
    expect(compareSse({ SSEEnabled: true, KMSMasterKeyId: 'alias/x' }, d).same).toBe(true)
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
  test('table, purpose (and the GSI) and a UTC timestamp', async () => {
    const { backupName } = await import('../../../../src/engine/steps/backup.js')
    expect(backupName('Orders-prod', Date.UTC(2026, 10, 21, 23, 36, 0))).toBe(
      'Orders-prod-before-delete-20261121T233600Z',
    )
    expect(backupName('Orders-prod', Date.UTC(2026, 10, 21, 23, 36, 0), 'byStatus')).toBe(
      'Orders-prod-before-delete-gsi-byStatus-20261121T233600Z',
    )
  })
})
