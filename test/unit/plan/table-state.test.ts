import { describe, expect, test } from 'vitest'
import { applyOperation, type TableStates } from '../../../src/plan/table-state.js'
import type { Operation } from '../../../src/schema/operation.js'
import type { GlobalSecondaryIndex, TableSchema } from '../../../src/schema/table-schema.js'

const STATUS_INDEX: GlobalSecondaryIndex = {
  IndexName: 'StatusIndex',
  KeySchema: [
    { AttributeName: 'status', KeyType: 'HASH' },
    { AttributeName: 'createdAt', KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'ALL' },
}

const SCORE_INDEX: GlobalSecondaryIndex = {
  IndexName: 'ScoreIndex',
  KeySchema: [
    { AttributeName: 'status', KeyType: 'HASH' },
    { AttributeName: 'score', KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'ALL' },
}

/** schemas/Candidates.json of this repository, without `$schema`. */
const CANDIDATES: TableSchema = {
  TableName: 'Candidates',
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
    { AttributeName: 'status', AttributeType: 'S' },
    { AttributeName: 'createdAt', AttributeType: 'S' },
    { AttributeName: 'score', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [STATUS_INDEX, SCORE_INDEX],
  TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  SSESpecification: { SSEEnabled: true },
  Tags: [{ Key: 'Application', Value: 'CEAP' }],
}

/** Candidates as the only table, as a fresh copy. */
function base(): TableStates {
  return { Candidates: structuredClone(CANDIDATES) }
}

/** Candidates after `op`, which must apply without a problem. */
function candidatesAfter(op: Operation): TableSchema | undefined {
  const result = applyOperation(base(), op)
  expect(result.problem).toBeUndefined()
  return result.states.Candidates
}

/** `t` without the given top-level properties. */
function without(t: TableSchema, ...keys: (keyof TableSchema)[]): TableSchema {
  const copy: Partial<TableSchema> = { ...t }
  for (const key of keys) delete copy[key]
  return copy as TableSchema
}

describe('createTable', () => {
  test('adds the definition without $schema', () => {
    const op: Operation = {
      op: 'createTable',
      table: 'Candidates',
      definition: { $schema: '../schema/table.schema.json', ...CANDIDATES },
    }
    expect(applyOperation({}, op)).toStrictEqual({ states: { Candidates: CANDIDATES } })
  })

  test('keeps the other tables', () => {
    const items: TableSchema = {
      TableName: 'items',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }
    const result = applyOperation(base(), { op: 'createTable', table: 'items', definition: items })
    expect(result).toStrictEqual({ states: { Candidates: CANDIDATES, items } })
  })

  test('refuses a table that already exists', () => {
    const states = base()
    const op: Operation = { op: 'createTable', table: 'Candidates', definition: CANDIDATES }
    const result = applyOperation(states, op)
    expect(result.problem).toMatchInlineSnapshot(`"table "Candidates" already exists here"`)
    expect(result.states).toBe(states)
  })

  test('refuses a definition whose TableName is not the table', () => {
    const op: Operation = {
      op: 'createTable',
      table: 'Candidates',
      definition: { ...CANDIDATES, TableName: 'Candidate' },
    }
    const result = applyOperation({}, op)
    expect(result.problem).toMatchInlineSnapshot(
      `"definition.TableName "Candidate" differs from table "Candidates""`,
    )
    expect(result.states).toStrictEqual({})
  })
})

describe('deleteTable', () => {
  test('removes the table and keeps the others', () => {
    const other = { ...CANDIDATES, TableName: 'Other' }
    const result = applyOperation(
      { ...base(), Other: other },
      { op: 'deleteTable', table: 'Candidates' },
    )
    expect(result).toStrictEqual({ states: { Other: other } })
  })
})

describe('an operation on a table that does not exist', () => {
  const ops: Operation[] = [
    { op: 'deleteTable', table: 'Missing' },
    { op: 'deleteGsi', table: 'Missing', indexName: 'StatusIndex' },
    { op: 'tag', table: 'Missing', tags: [{ Key: 'a', Value: 'b' }] },
    { op: 'updateTtl', table: 'Missing', ttl: { Enabled: false } },
  ]
  test.each(ops)('$op is refused and the states are unchanged', (op) => {
    const states = base()
    const result = applyOperation(states, op)
    expect(result).toStrictEqual({
      states: base(),
      problem: 'table "Missing" does not exist at this point of the history',
    })
    expect(result.states).toBe(states)
  })
})

describe('createGsi', () => {
  test('appends the index and adds its new attribute definitions', () => {
    const index = {
      IndexName: 'ByOwner',
      KeySchema: [
        { AttributeName: 'ownerId', KeyType: 'HASH' as const },
        { AttributeName: 'createdAt', KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' as const },
    }
    const after = candidatesAfter({
      op: 'createGsi',
      table: 'Candidates',
      index,
      // createdAt is already defined; it is not added twice
      attributeDefinitions: [
        { AttributeName: 'ownerId', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'S' },
      ],
    })
    expect(after).toStrictEqual({
      ...CANDIDATES,
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'S' },
        { AttributeName: 'score', AttributeType: 'N' },
        { AttributeName: 'ownerId', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [STATUS_INDEX, SCORE_INDEX, index],
    })
  })

  test('drops attribute definitions that no key uses', () => {
    const index = {
      IndexName: 'ByOwner',
      KeySchema: [{ AttributeName: 'ownerId', KeyType: 'HASH' as const }],
      Projection: { ProjectionType: 'ALL' as const },
    }
    const after = candidatesAfter({
      op: 'createGsi',
      table: 'Candidates',
      index,
      attributeDefinitions: [
        { AttributeName: 'ownerId', AttributeType: 'S' },
        { AttributeName: 'unused', AttributeType: 'N' },
      ],
    })
    expect(after?.AttributeDefinitions).toStrictEqual([
      { AttributeName: 'PK', AttributeType: 'S' },
      { AttributeName: 'SK', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
      { AttributeName: 'createdAt', AttributeType: 'S' },
      { AttributeName: 'score', AttributeType: 'N' },
      { AttributeName: 'ownerId', AttributeType: 'S' },
    ])
  })

  test('creates GlobalSecondaryIndexes on a table that had none', () => {
    const plain = without(CANDIDATES, 'GlobalSecondaryIndexes')
    const index = {
      IndexName: 'ByOwner',
      KeySchema: [{ AttributeName: 'ownerId', KeyType: 'HASH' as const }],
      Projection: { ProjectionType: 'ALL' as const },
    }
    const result = applyOperation(
      { Candidates: plain },
      {
        op: 'createGsi',
        table: 'Candidates',
        index,
        attributeDefinitions: [{ AttributeName: 'ownerId', AttributeType: 'S' }],
      },
    )
    expect(result).toStrictEqual({
      states: {
        Candidates: {
          ...plain,
          AttributeDefinitions: [
            { AttributeName: 'PK', AttributeType: 'S' },
            { AttributeName: 'SK', AttributeType: 'S' },
            { AttributeName: 'ownerId', AttributeType: 'S' },
          ],
          GlobalSecondaryIndexes: [index],
        },
      },
    })
  })

  test('refuses an index name that a GSI already has', () => {
    const result = applyOperation(base(), {
      op: 'createGsi',
      table: 'Candidates',
      index: {
        IndexName: 'ScoreIndex',
        KeySchema: [{ AttributeName: 'score', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
      attributeDefinitions: [],
    })
    expect(result).toStrictEqual({
      states: base(),
      problem: 'index "ScoreIndex" already exists on "Candidates"',
    })
  })

  test('refuses an index name that an LSI already has', () => {
    const withLsi: TableSchema = {
      ...CANDIDATES,
      LocalSecondaryIndexes: [
        {
          IndexName: 'ByCreatedAt',
          KeySchema: [
            { AttributeName: 'PK', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }
    const result = applyOperation(
      { Candidates: withLsi },
      {
        op: 'createGsi',
        table: 'Candidates',
        index: {
          IndexName: 'ByCreatedAt',
          KeySchema: [{ AttributeName: 'createdAt', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        attributeDefinitions: [],
      },
    )
    expect(result.problem).toMatchInlineSnapshot(
      `"index "ByCreatedAt" already exists on "Candidates""`,
    )
    expect(result.states).toStrictEqual({ Candidates: withLsi })
  })
})

describe('deleteGsi', () => {
  test('removes the index and the attribute definitions only it used', () => {
    const after = candidatesAfter({
      op: 'deleteGsi',
      table: 'Candidates',
      indexName: 'ScoreIndex',
    })
    expect(after).toStrictEqual({
      ...CANDIDATES,
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [STATUS_INDEX],
    })
  })

  test('keeps a definition that another index still uses', () => {
    // status is used by StatusIndex as well; createdAt only by StatusIndex
    const after = candidatesAfter({
      op: 'deleteGsi',
      table: 'Candidates',
      indexName: 'StatusIndex',
    })
    expect(after?.AttributeDefinitions).toStrictEqual([
      { AttributeName: 'PK', AttributeType: 'S' },
      { AttributeName: 'SK', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
      { AttributeName: 'score', AttributeType: 'N' },
    ])
    expect(after?.GlobalSecondaryIndexes).toStrictEqual([SCORE_INDEX])
  })

  test('removes GlobalSecondaryIndexes with the last index', () => {
    let states = base()
    for (const indexName of ['StatusIndex', 'ScoreIndex']) {
      const result = applyOperation(states, { op: 'deleteGsi', table: 'Candidates', indexName })
      expect(result.problem).toBeUndefined()
      states = result.states
    }
    expect(states).toStrictEqual({
      Candidates: {
        ...without(CANDIDATES, 'GlobalSecondaryIndexes'),
        AttributeDefinitions: [
          { AttributeName: 'PK', AttributeType: 'S' },
          { AttributeName: 'SK', AttributeType: 'S' },
        ],
      },
    })
  })

  test('refuses an index that does not exist', () => {
    const result = applyOperation(base(), {
      op: 'deleteGsi',
      table: 'Candidates',
      indexName: 'OwnerIndex',
    })
    expect(result).toStrictEqual({
      states: base(),
      problem: 'index "OwnerIndex" does not exist on "Candidates" at this point of the history',
    })
  })
})

describe('updateTtl', () => {
  test('enabling sets the specification', () => {
    const after = candidatesAfter({
      op: 'updateTtl',
      table: 'Candidates',
      ttl: { AttributeName: 'ttl', Enabled: true },
    })
    expect(after).toStrictEqual({
      ...CANDIDATES,
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    })
  })

  test('disabling removes the specification', () => {
    const after = candidatesAfter({
      op: 'updateTtl',
      table: 'Candidates',
      ttl: { AttributeName: 'expiresAt', Enabled: false },
    })
    expect(after).toStrictEqual(without(CANDIDATES, 'TimeToLiveSpecification'))
  })
})

describe('updatePitr', () => {
  test('enabling sets the specification', () => {
    const pitr = { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 }
    const after = candidatesAfter({ op: 'updatePitr', table: 'Candidates', pitr })
    expect(after).toStrictEqual({ ...CANDIDATES, PointInTimeRecoverySpecification: pitr })
  })

  test('disabling removes the specification', () => {
    const after = candidatesAfter({
      op: 'updatePitr',
      table: 'Candidates',
      pitr: { PointInTimeRecoveryEnabled: false },
    })
    expect(after).toStrictEqual(without(CANDIDATES, 'PointInTimeRecoverySpecification'))
  })
})

describe('updateBilling', () => {
  test('to PROVISIONED sets the table and index throughput', () => {
    const after = candidatesAfter({
      op: 'updateBilling',
      table: 'Candidates',
      billingMode: 'PROVISIONED',
      provisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 },
      indexes: [
        {
          IndexName: 'StatusIndex',
          ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 1 },
        },
      ],
    })
    expect(after).toStrictEqual({
      ...CANDIDATES,
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 },
      GlobalSecondaryIndexes: [
        {
          ...STATUS_INDEX,
          ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 1 },
        },
        SCORE_INDEX,
      ],
    })
  })

  test('to PAY_PER_REQUEST drops the old throughput and sets on-demand limits', () => {
    const provisioned: TableSchema = {
      ...CANDIDATES,
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 },
      GlobalSecondaryIndexes: [
        {
          ...STATUS_INDEX,
          ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 1 },
        },
        {
          ...SCORE_INDEX,
          ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 1 },
        },
      ],
    }
    const result = applyOperation(
      { Candidates: provisioned },
      {
        op: 'updateBilling',
        table: 'Candidates',
        billingMode: 'PAY_PER_REQUEST',
        onDemandThroughput: { MaxReadRequestUnits: 100 },
        indexes: [{ IndexName: 'ScoreIndex', OnDemandThroughput: { MaxWriteRequestUnits: 10 } }],
      },
    )
    expect(result).toStrictEqual({
      states: {
        Candidates: {
          ...CANDIDATES,
          OnDemandThroughput: { MaxReadRequestUnits: 100 },
          GlobalSecondaryIndexes: [
            STATUS_INDEX,
            { ...SCORE_INDEX, OnDemandThroughput: { MaxWriteRequestUnits: 10 } },
          ],
        },
      },
    })
  })

  test('on a table without indexes adds no GlobalSecondaryIndexes', () => {
    const plain = without(CANDIDATES, 'GlobalSecondaryIndexes')
    const result = applyOperation(
      { Candidates: plain },
      { op: 'updateBilling', table: 'Candidates', billingMode: 'PAY_PER_REQUEST' },
    )
    expect(result).toStrictEqual({ states: { Candidates: plain } })
  })
})

describe('updateStream', () => {
  test('enabling sets the specification', () => {
    const after = candidatesAfter({
      op: 'updateStream',
      table: 'Candidates',
      stream: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    })
    expect(after).toStrictEqual({
      ...CANDIDATES,
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    })
  })

  test('null removes the specification', () => {
    const streaming = {
      ...CANDIDATES,
      StreamSpecification: { StreamViewType: 'KEYS_ONLY' as const },
    }
    const result = applyOperation(
      { Candidates: streaming },
      { op: 'updateStream', table: 'Candidates', stream: null },
    )
    expect(result).toStrictEqual({ states: { Candidates: CANDIDATES } })
  })
})

describe('updateSse', () => {
  test('KMS sets the specification', () => {
    const sse = { SSEEnabled: true, SSEType: 'KMS' as const, KMSMasterKeyId: 'alias/ddbm' }
    const after = candidatesAfter({ op: 'updateSse', table: 'Candidates', sse })
    expect(after).toStrictEqual({ ...CANDIDATES, SSESpecification: sse })
  })

  test('SSEEnabled false (the AWS owned key) removes the specification', () => {
    const after = candidatesAfter({
      op: 'updateSse',
      table: 'Candidates',
      sse: { SSEEnabled: false },
    })
    expect(after).toStrictEqual(without(CANDIDATES, 'SSESpecification'))
  })
})

describe('updateDeletionProtection', () => {
  test('enabled sets true', () => {
    const after = candidatesAfter({
      op: 'updateDeletionProtection',
      table: 'Candidates',
      enabled: true,
    })
    expect(after).toStrictEqual({ ...CANDIDATES, DeletionProtectionEnabled: true })
  })

  test('disabled removes the property', () => {
    const result = applyOperation(
      { Candidates: { ...CANDIDATES, DeletionProtectionEnabled: true } },
      { op: 'updateDeletionProtection', table: 'Candidates', enabled: false },
    )
    expect(result).toStrictEqual({ states: { Candidates: CANDIDATES } })
  })
})

describe('updateTableClass', () => {
  test('STANDARD_INFREQUENT_ACCESS is set', () => {
    const after = candidatesAfter({
      op: 'updateTableClass',
      table: 'Candidates',
      tableClass: 'STANDARD_INFREQUENT_ACCESS',
    })
    expect(after).toStrictEqual({ ...CANDIDATES, TableClass: 'STANDARD_INFREQUENT_ACCESS' })
  })

  test('STANDARD (the default) removes the property', () => {
    const result = applyOperation(
      { Candidates: { ...CANDIDATES, TableClass: 'STANDARD_INFREQUENT_ACCESS' } },
      { op: 'updateTableClass', table: 'Candidates', tableClass: 'STANDARD' },
    )
    expect(result).toStrictEqual({ states: { Candidates: CANDIDATES } })
  })
})

describe('tag', () => {
  test('adds new keys and replaces the value of existing ones', () => {
    const after = candidatesAfter({
      op: 'tag',
      table: 'Candidates',
      tags: [
        { Key: 'Application', Value: 'Hiring' },
        { Key: 'Owner', Value: 'team-a' },
      ],
    })
    expect(after).toStrictEqual({
      ...CANDIDATES,
      Tags: [
        { Key: 'Application', Value: 'Hiring' },
        { Key: 'Owner', Value: 'team-a' },
      ],
    })
  })

  test('creates Tags on a table that had none', () => {
    const plain = without(CANDIDATES, 'Tags')
    const result = applyOperation(
      { Candidates: plain },
      { op: 'tag', table: 'Candidates', tags: [{ Key: 'Owner', Value: 'team-a' }] },
    )
    expect(result).toStrictEqual({
      states: { Candidates: { ...plain, Tags: [{ Key: 'Owner', Value: 'team-a' }] } },
    })
  })
})

describe('untag', () => {
  test('removes the given keys and keeps the others', () => {
    const result = applyOperation(
      {
        Candidates: {
          ...CANDIDATES,
          Tags: [
            { Key: 'Application', Value: 'CEAP' },
            { Key: 'Owner', Value: 'team-a' },
          ],
        },
      },
      { op: 'untag', table: 'Candidates', keys: ['Owner', 'NotThere'] },
    )
    expect(result).toStrictEqual({ states: { Candidates: CANDIDATES } })
  })

  test('removing the last tag removes Tags', () => {
    const after = candidatesAfter({ op: 'untag', table: 'Candidates', keys: ['Application'] })
    expect(after).toStrictEqual(without(CANDIDATES, 'Tags'))
  })
})

test('never mutates the states it is given', () => {
  const states = base()
  const ops: Operation[] = [
    { op: 'deleteGsi', table: 'Candidates', indexName: 'ScoreIndex' },
    { op: 'updateTtl', table: 'Candidates', ttl: { Enabled: false } },
    { op: 'tag', table: 'Candidates', tags: [{ Key: 'Owner', Value: 'team-a' }] },
    { op: 'untag', table: 'Candidates', keys: ['Application'] },
    { op: 'deleteTable', table: 'Candidates' },
  ]
  for (const op of ops) applyOperation(states, op)
  expect(states).toStrictEqual(base())
})
