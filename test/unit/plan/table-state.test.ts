import { describe, expect, test } from 'vitest'
import { applyOperation, type TableStates } from '../../../src/plan/table-state.js'
import type { Operation } from '../../../src/schema/operation.js'
import type { GlobalSecondaryIndex, TableSchema } from '../../../src/schema/table-schema.js'
import {
  CREATED_AT_LSI,
  SCORE_INDEX,
  STATUS_INDEX,
  candidatesTable,
  without,
} from '../../fixtures/tables.js'

/** schemas/Candidates.json of this repository without `$schema`, activeFlag and ActiveCandidatesIndex. */
const CANDIDATES: TableSchema = candidatesTable({
  AttributeDefinitions: candidatesTable().AttributeDefinitions.filter(
    (a) => a.AttributeName !== 'activeFlag',
  ),
  GlobalSecondaryIndexes: [STATUS_INDEX, SCORE_INDEX],
})

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
  /** A GSI on ownerId, which Candidates does not define. */
  const BY_OWNER: GlobalSecondaryIndex = {
    IndexName: 'ByOwner',
    KeySchema: [{ AttributeName: 'ownerId', KeyType: 'HASH' }],
    Projection: { ProjectionType: 'ALL' },
  }

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
    const after = candidatesAfter({
      op: 'createGsi',
      table: 'Candidates',
      index: BY_OWNER,
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
    const result = applyOperation(
      { Candidates: plain },
      {
        op: 'createGsi',
        table: 'Candidates',
        index: BY_OWNER,
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
          GlobalSecondaryIndexes: [BY_OWNER],
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
    const withLsi: TableSchema = { ...CANDIDATES, LocalSecondaryIndexes: [CREATED_AT_LSI] }
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

/**
 * Operations that set one property of a table: `set` applied to Candidates gives it `value`; `remove`
 * applied to Candidates with the property at `before` removes it. Candidates has TTL, PITR and SSE.
 */
const SETTINGS: {
  name: Operation['op']
  prop: keyof TableSchema
  set: [title: string, op: Operation, value: unknown]
  remove: [title: string, op: Operation, before: unknown]
}[] = [
  {
    name: 'updateTtl',
    prop: 'TimeToLiveSpecification',
    set: [
      'enabling sets the specification',
      { op: 'updateTtl', table: 'Candidates', ttl: { AttributeName: 'ttl', Enabled: true } },
      { AttributeName: 'ttl', Enabled: true },
    ],
    remove: [
      'disabling removes the specification',
      { op: 'updateTtl', table: 'Candidates', ttl: { AttributeName: 'expiresAt', Enabled: false } },
      { AttributeName: 'expiresAt', Enabled: true },
    ],
  },
  {
    name: 'updatePitr',
    prop: 'PointInTimeRecoverySpecification',
    set: [
      'enabling sets the specification',
      {
        op: 'updatePitr',
        table: 'Candidates',
        pitr: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
      },
      { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
    ],
    remove: [
      'disabling removes the specification',
      { op: 'updatePitr', table: 'Candidates', pitr: { PointInTimeRecoveryEnabled: false } },
      { PointInTimeRecoveryEnabled: true },
    ],
  },
  {
    name: 'updateStream',
    prop: 'StreamSpecification',
    set: [
      'enabling sets the specification',
      { op: 'updateStream', table: 'Candidates', stream: { StreamViewType: 'NEW_AND_OLD_IMAGES' } },
      { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    ],
    remove: [
      'null removes the specification',
      { op: 'updateStream', table: 'Candidates', stream: null },
      { StreamViewType: 'KEYS_ONLY' },
    ],
  },
  {
    name: 'updateSse',
    prop: 'SSESpecification',
    set: [
      'KMS sets the specification',
      {
        op: 'updateSse',
        table: 'Candidates',
        sse: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/ddbm' },
      },
      { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/ddbm' },
    ],
    remove: [
      'SSEEnabled false (the AWS owned key) removes the specification',
      { op: 'updateSse', table: 'Candidates', sse: { SSEEnabled: false } },
      { SSEEnabled: true },
    ],
  },
  {
    name: 'updateDeletionProtection',
    prop: 'DeletionProtectionEnabled',
    set: [
      'enabled sets true',
      { op: 'updateDeletionProtection', table: 'Candidates', enabled: true },
      true,
    ],
    remove: [
      'disabled removes the property',
      { op: 'updateDeletionProtection', table: 'Candidates', enabled: false },
      true,
    ],
  },
  {
    name: 'updateTableClass',
    prop: 'TableClass',
    set: [
      'STANDARD_INFREQUENT_ACCESS is set',
      { op: 'updateTableClass', table: 'Candidates', tableClass: 'STANDARD_INFREQUENT_ACCESS' },
      'STANDARD_INFREQUENT_ACCESS',
    ],
    remove: [
      'STANDARD (the default) removes the property',
      { op: 'updateTableClass', table: 'Candidates', tableClass: 'STANDARD' },
      'STANDARD_INFREQUENT_ACCESS',
    ],
  },
]

for (const { name, prop, set, remove } of SETTINGS) {
  const [setTitle, setOp, value] = set
  const [removeTitle, removeOp, before] = remove

  describe(name, () => {
    test(setTitle, () => {
      expect(candidatesAfter(setOp)).toStrictEqual({ ...CANDIDATES, [prop]: value })
    })

    test(removeTitle, () => {
      const from = { ...CANDIDATES, [prop]: before } as TableSchema
      const result = applyOperation({ Candidates: from }, removeOp)
      expect(result).toStrictEqual({ states: { Candidates: without(CANDIDATES, prop) } })
    })
  })
}

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
