import type { TableDescription } from '@aws-sdk/client-dynamodb'
import { describe, expect, test } from 'vitest'
import { liveTable, type LiveExtras } from '../../../../src/engine/live/read-live-table.js'

const BASE: TableDescription = {
  TableName: 'Orders-dev',
  TableStatus: 'ACTIVE',
  TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders-dev',
  AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
  BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
  ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
}

const EXTRAS: LiveExtras = {
  ttl: { TimeToLiveStatus: 'DISABLED' },
  pitr: { supported: true, value: { PointInTimeRecoveryStatus: 'DISABLED' } },
  tags: { supported: true, value: [] },
  awsEndpoint: true,
}

describe('liveTable', () => {
  test('AWS: absent SSEDescription is the owned key, absent TableClassSummary is STANDARD', () => {
    expect(liveTable(BASE, EXTRAS, 'Orders')).toStrictEqual({
      definition: {
        TableName: 'Orders',
        AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      },
      arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders-dev',
      indexes: {},
      tableStatus: 'ACTIVE',
      ttlStatus: 'DISABLED',
      unsupported: [],
      unsupportedReasons: {},
    })
  })

  test('DynamoDB Local (ARN region ddblocal): sse and table class unsupported, as PITR and tags', () => {
    const live = liveTable(
      { ...BASE, TableArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/Orders-dev' },
      {
        ...EXTRAS,
        pitr: { supported: false, reason: 'not implemented' },
        tags: { supported: false, reason: 'no tagging' },
        awsEndpoint: false,
      },
      'Orders',
    )
    expect(live.unsupported).toStrictEqual(['pitr', 'sse', 'tableClass', 'tags'])
  })

  test('another endpoint without TableClassSummary (moto): table class unsupported, SSE read', () => {
    const live = liveTable(
      {
        ...BASE,
        SSEDescription: {
          Status: 'ENABLED',
          SSEType: 'KMS',
          KMSMasterKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k1',
        },
      },
      { ...EXTRAS, awsEndpoint: false },
      'Orders',
    )
    expect(live.unsupported).toStrictEqual(['tableClass'])
    expect(live.definition.SSESpecification).toStrictEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1',
    })
  })

  test('TTL, PITR, indexes, throughput and tags as a schema says them; aws: tags left out', () => {
    const live = liveTable(
      {
        ...BASE,
        BillingModeSummary: undefined,
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 4 },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byStatus',
            KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['b', 'a'] },
            ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 1 },
            IndexStatus: 'CREATING',
            Backfilling: true,
          },
        ],
        TableClassSummary: { TableClass: 'STANDARD_INFREQUENT_ACCESS' },
      },
      {
        ttl: { TimeToLiveStatus: 'DISABLING', AttributeName: 'expiresAt' },
        pitr: {
          supported: true,
          value: { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 7 },
        },
        tags: {
          supported: true,
          value: [
            { Key: 'team', Value: 'core' },
            { Key: 'aws:cloudformation:stack-name', Value: 's' },
          ],
        },
        awsEndpoint: true,
      },
      'Orders',
    )
    expect(live).toMatchObject({
      definition: {
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 4 },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byStatus',
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['b', 'a'] },
            ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 1 },
          },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: false },
        PointInTimeRecoverySpecification: {
          PointInTimeRecoveryEnabled: true,
          RecoveryPeriodInDays: 7,
        },
        TableClass: 'STANDARD_INFREQUENT_ACCESS',
        Tags: [{ Key: 'team', Value: 'core' }],
      },
      indexes: { byStatus: { status: 'CREATING', backfilling: true } },
      ttlStatus: 'DISABLING',
      unsupported: [],
    })
  })
})
