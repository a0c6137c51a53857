import { describe, expect, test } from 'vitest'
import { describeOperation } from '../../../src/plan/describe.js'
import type { Operation } from '../../../src/schema/operation.js'
import { SCORE_INDEX } from '../../fixtures/tables.js'

const candidates: Extract<Operation, { op: 'createTable' }>['definition'] = {
  TableName: 'Candidates',
  AttributeDefinitions: [
    { AttributeName: 'id', AttributeType: 'S' },
    { AttributeName: 'status', AttributeType: 'S' },
    { AttributeName: 'score', AttributeType: 'N' },
  ],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [SCORE_INDEX],
  TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
  DeletionProtectionEnabled: true,
  Tags: [{ Key: 'team', Value: 'core' }],
}

describe('describeOperation', () => {
  test('one line per operation kind, with the physical name', () => {
    const t = 'Candidates'
    const ops: Operation[] = [
      { op: 'createTable', table: t, definition: candidates },
      { op: 'deleteTable', table: t },
      {
        op: 'createGsi',
        table: t,
        index: candidates.GlobalSecondaryIndexes![0]!,
        attributeDefinitions: [],
      },
      {
        op: 'createGsi',
        table: t,
        index: {
          IndexName: 'ByProgram',
          KeySchema: [{ AttributeName: 'programId', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['name', 'email'] },
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 },
        },
        attributeDefinitions: [{ AttributeName: 'programId', AttributeType: 'S' }],
      },
      { op: 'deleteGsi', table: t, indexName: 'ScoreIndex' },
      { op: 'updateTtl', table: t, ttl: { AttributeName: 'expiresAt', Enabled: true } },
      { op: 'updateTtl', table: t, ttl: { AttributeName: 'expiresAt', Enabled: false } },
      {
        op: 'updatePitr',
        table: t,
        pitr: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
      },
      { op: 'updatePitr', table: t, pitr: { PointInTimeRecoveryEnabled: false } },
      {
        op: 'updateBilling',
        table: t,
        billingMode: 'PROVISIONED',
        provisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        indexes: [
          {
            IndexName: 'ScoreIndex',
            ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
          },
        ],
      },
      {
        op: 'updateBilling',
        table: t,
        billingMode: 'PAY_PER_REQUEST',
        onDemandThroughput: { MaxReadRequestUnits: 100 },
      },
      { op: 'updateStream', table: t, stream: { StreamViewType: 'KEYS_ONLY' } },
      { op: 'updateStream', table: t, stream: null },
      {
        op: 'updateSse',
        table: t,
        sse: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/ddbm' },
      },
      { op: 'updateSse', table: t, sse: { SSEEnabled: false } },
      { op: 'updateDeletionProtection', table: t, enabled: true },
      { op: 'updateDeletionProtection', table: t, enabled: false },
      { op: 'updateTableClass', table: t, tableClass: 'STANDARD_INFREQUENT_ACCESS' },
      {
        op: 'tag',
        table: t,
        tags: [
          { Key: 'team', Value: 'core' },
          { Key: 'env', Value: 'dev' },
        ],
      },
      { op: 'untag', table: t, keys: ['team', 'env'] },
    ]
    expect(ops.map((op) => describeOperation(op, 'Candidates-dev')).join('\n'))
      .toMatchInlineSnapshot(`
      "create table Candidates-dev (id HASH; PAY_PER_REQUEST; GSI ScoreIndex; TTL expiresAt; PITR 35 days; stream NEW_AND_OLD_IMAGES; deletion protection; tags team)
      delete table Candidates-dev
      create GSI ScoreIndex on Candidates-dev (status HASH, score RANGE; ALL)
      create GSI ByProgram on Candidates-dev (programId HASH; INCLUDE name, email; 5/2 RCU/WCU)
      delete GSI ScoreIndex on Candidates-dev
      enable TTL on Candidates-dev (attribute expiresAt)
      disable TTL on Candidates-dev (attribute expiresAt)
      enable PITR on Candidates-dev (7 days)
      disable PITR on Candidates-dev
      set billing of Candidates-dev to PROVISIONED (table 5/5 RCU/WCU, ScoreIndex 1/1 RCU/WCU)
      set billing of Candidates-dev to PAY_PER_REQUEST (table max 100/-1 RRU/WRU)
      enable stream on Candidates-dev (KEYS_ONLY)
      disable stream on Candidates-dev
      set encryption of Candidates-dev to KMS alias/ddbm
      set encryption of Candidates-dev to AWS owned key
      enable deletion protection on Candidates-dev
      disable deletion protection on Candidates-dev
      set table class of Candidates-dev to STANDARD_INFREQUENT_ACCESS
      tag Candidates-dev (team=core, env=dev)
      untag Candidates-dev (team, env)"
    `)
  })

  test('defaults to the logical name', () => {
    expect(describeOperation({ op: 'deleteTable', table: 'ScoreCache' })).toMatchInlineSnapshot(
      `"delete table ScoreCache"`,
    )
  })

  test('a minimal table: PROVISIONED is the CloudFormation default', () => {
    const op: Operation = {
      op: 'createTable',
      table: 'Items',
      definition: {
        TableName: 'Items',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        LocalSecondaryIndexes: [
          {
            IndexName: 'ByDate',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        TableClass: 'STANDARD_INFREQUENT_ACCESS',
      },
    }
    expect(describeOperation(op, 'maip-dev-Items')).toMatchInlineSnapshot(
      `"create table maip-dev-Items (pk HASH, sk RANGE; PROVISIONED; 1/1 RCU/WCU; LSI ByDate; STANDARD_INFREQUENT_ACCESS)"`,
    )
  })
})
