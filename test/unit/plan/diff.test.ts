import { describe, expect, test } from 'vitest'
import {
  CANDIDATES,
  candidatesTable,
  capacity,
  provisioned,
  simpleTable,
  without,
} from '../../fixtures/tables.js'
import { NOTHING, plan } from './diff-fixtures.js'

const T = 'Candidates'

describe('diff: equal after normalization plans nothing', () => {
  test('identical schemas', () => {
    expect(plan({ Candidates: CANDIDATES }, { Candidates: candidatesTable() })).toStrictEqual(
      NOTHING,
    )
  })

  test('reordered attribute definitions, GSIs, non-key attributes and tags; $schema', () => {
    const include = (attrs: string[]) => ({
      ...CANDIDATES.GlobalSecondaryIndexes![0]!,
      Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: attrs },
    })
    const tags = [
      { Key: 'Application', Value: 'CEAP' },
      { Key: 'Owner', Value: 'team-a' },
    ]
    const from = candidatesTable({ Tags: tags })
    from.GlobalSecondaryIndexes![0] = include(['name', 'email'])
    const to = candidatesTable({
      $schema: '../schema/table.schema.json',
      AttributeDefinitions: [...CANDIDATES.AttributeDefinitions].reverse(),
      Tags: [...tags].reverse(),
    })
    to.GlobalSecondaryIndexes![0] = include(['email', 'name'])
    to.GlobalSecondaryIndexes!.reverse()
    expect(plan({ Candidates: from }, { Candidates: to })).toStrictEqual(NOTHING)
  })

  test('TTL {Enabled: false} and no TTL', () => {
    const off = candidatesTable({
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: false },
    })
    const absent = without(CANDIDATES, 'TimeToLiveSpecification')
    expect(plan({ Candidates: absent }, { Candidates: off })).toStrictEqual(NOTHING)
    expect(plan({ Candidates: off }, { Candidates: absent })).toStrictEqual(NOTHING)
  })

  test('BillingMode absent and PROVISIONED', () => {
    const explicit = provisioned(CANDIDATES)
    const implicit = without(explicit, 'BillingMode')
    expect(plan({ Candidates: implicit }, { Candidates: explicit })).toStrictEqual(NOTHING)
  })

  test('defaults spelled out: STANDARD class, protection false, 35 days of PITR, KMS, settings off', () => {
    const from = without(CANDIDATES, 'PointInTimeRecoverySpecification', 'SSESpecification')
    const to = candidatesTable({
      TableClass: 'STANDARD',
      DeletionProtectionEnabled: false,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      SSESpecification: { SSEEnabled: false },
    })
    expect(plan({ Candidates: from }, { Candidates: to })).toStrictEqual(NOTHING)
    const pitr = { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 }
    const spelled = candidatesTable({
      PointInTimeRecoverySpecification: pitr,
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    })
    expect(plan({ Candidates: CANDIDATES }, { Candidates: spelled })).toStrictEqual(NOTHING)
  })

  test('throughput under PAY_PER_REQUEST and on-demand limits of -1; unused definitions', () => {
    const to = candidatesTable({
      ProvisionedThroughput: capacity(5, 5),
      OnDemandThroughput: { MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1 },
      AttributeDefinitions: [
        ...CANDIDATES.AttributeDefinitions,
        { AttributeName: 'unused', AttributeType: 'S' },
      ],
    })
    to.GlobalSecondaryIndexes![1] = {
      ...to.GlobalSecondaryIndexes![1]!,
      OnDemandThroughput: { MaxReadRequestUnits: -1 },
    }
    expect(plan({ Candidates: CANDIDATES }, { Candidates: to })).toStrictEqual(NOTHING)
  })
})

describe('diff: tables', () => {
  test('a new table is one createTable with the full normalized definition', () => {
    const to = candidatesTable({ $schema: '../schema/table.schema.json' })
    expect(plan({}, { Candidates: to })).toStrictEqual({
      up: [
        {
          op: 'createTable',
          table: T,
          definition: {
            TableName: T,
            AttributeDefinitions: [
              { AttributeName: 'PK', AttributeType: 'S' },
              { AttributeName: 'SK', AttributeType: 'S' },
              { AttributeName: 'activeFlag', AttributeType: 'S' },
              { AttributeName: 'createdAt', AttributeType: 'S' },
              { AttributeName: 'score', AttributeType: 'N' },
              { AttributeName: 'status', AttributeType: 'S' },
            ],
            KeySchema: [
              { AttributeName: 'PK', KeyType: 'HASH' },
              { AttributeName: 'SK', KeyType: 'RANGE' },
            ],
            BillingMode: 'PAY_PER_REQUEST',
            GlobalSecondaryIndexes: [
              {
                IndexName: 'ActiveCandidatesIndex',
                KeySchema: [
                  { AttributeName: 'activeFlag', KeyType: 'HASH' },
                  { AttributeName: 'score', KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'KEYS_ONLY' },
              },
              {
                IndexName: 'ScoreIndex',
                KeySchema: [
                  { AttributeName: 'status', KeyType: 'HASH' },
                  { AttributeName: 'score', KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'ALL' },
              },
              {
                IndexName: 'StatusIndex',
                KeySchema: [
                  { AttributeName: 'status', KeyType: 'HASH' },
                  { AttributeName: 'createdAt', KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'ALL' },
              },
            ],
            TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
            PointInTimeRecoverySpecification: {
              PointInTimeRecoveryEnabled: true,
              RecoveryPeriodInDays: 35,
            },
            SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
            Tags: [{ Key: 'Application', Value: 'CEAP' }],
          },
        },
      ],
      down: [{ op: 'deleteTable', table: T }],
      notes: [],
      problems: [],
    })
  })

  test('the down of a new protected table lifts the protection before deleting it', () => {
    const to = simpleTable('ScoreCache', { DeletionProtectionEnabled: true })
    expect(plan({}, { ScoreCache: to })).toStrictEqual({
      up: [{ op: 'createTable', table: 'ScoreCache', definition: to }],
      down: [
        { op: 'updateDeletionProtection', table: 'ScoreCache', enabled: false },
        { op: 'deleteTable', table: 'ScoreCache' },
      ],
      notes: [],
      problems: [],
    })
  })

  test('a removed table is deleted; down recreates its definition, not its data', () => {
    const from = simpleTable('ScoreCache', { Tags: [{ Key: 'Owner', Value: 'team-a' }] })
    expect(
      plan({ ScoreCache: from, Candidates: CANDIDATES }, { Candidates: CANDIDATES }),
    ).toStrictEqual({
      up: [{ op: 'deleteTable', table: 'ScoreCache' }],
      down: [{ op: 'createTable', table: 'ScoreCache', definition: from }],
      notes: [
        'ScoreCache: the table is deleted with its data; `down` recreates its definition, not its data',
      ],
      problems: [],
    })
  })

  test('a removed table with deletion protection is refused', () => {
    const from = simpleTable('ScoreCache', { DeletionProtectionEnabled: true })
    expect(plan({ ScoreCache: from }, {})).toStrictEqual({
      ...NOTHING,
      problems: [
        {
          table: 'ScoreCache',
          message:
            'schemas/ScoreCache.json is gone, but the table has deletion protection: DynamoDB refuses to delete it',
          hint: 'set "DeletionProtectionEnabled": false in schemas/ScoreCache.json and generate that migration first; remove the file in a later one',
        },
      ],
    })
  })

  test('several tables: creates, then updates, then deletes, each by name', () => {
    const from = {
      OldTwo: simpleTable('OldTwo'),
      KeepTwo: simpleTable('KeepTwo'),
      OldOne: simpleTable('OldOne'),
      KeepOne: simpleTable('KeepOne'),
    }
    const to = {
      NewTwo: simpleTable('NewTwo'),
      KeepTwo: simpleTable('KeepTwo', { Tags: [{ Key: 'Owner', Value: 'team-a' }] }),
      NewOne: simpleTable('NewOne'),
      KeepOne: simpleTable('KeepOne', {
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      }),
    }
    expect(plan(from, to)).toStrictEqual({
      up: [
        { op: 'createTable', table: 'NewOne', definition: simpleTable('NewOne') },
        { op: 'createTable', table: 'NewTwo', definition: simpleTable('NewTwo') },
        { op: 'updateTtl', table: 'KeepOne', ttl: { AttributeName: 'ttl', Enabled: true } },
        { op: 'tag', table: 'KeepTwo', tags: [{ Key: 'Owner', Value: 'team-a' }] },
        { op: 'deleteTable', table: 'OldOne' },
        { op: 'deleteTable', table: 'OldTwo' },
      ],
      down: [
        { op: 'createTable', table: 'OldTwo', definition: simpleTable('OldTwo') },
        { op: 'createTable', table: 'OldOne', definition: simpleTable('OldOne') },
        { op: 'untag', table: 'KeepTwo', keys: ['Owner'] },
        { op: 'updateTtl', table: 'KeepOne', ttl: { AttributeName: 'ttl', Enabled: false } },
        { op: 'deleteTable', table: 'NewTwo' },
        { op: 'deleteTable', table: 'NewOne' },
      ],
      notes: [
        'OldOne: the table is deleted with its data; `down` recreates its definition, not its data',
        'OldTwo: the table is deleted with its data; `down` recreates its definition, not its data',
      ],
      problems: [],
    })
  })
})
