import { describe, expect, test } from 'vitest'
import { replay, type ReplayInput } from '../../../src/plan/replay.js'
import type { MigrationFile } from '../../../src/schema/operation.js'
import type { GlobalSecondaryIndex, TableSchema } from '../../../src/schema/table-schema.js'
import { pkSkTable } from '../../fixtures/tables.js'

const CANDIDATES: TableSchema = pkSkTable('Candidates')

const ITEMS: TableSchema = {
  TableName: 'items',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
}

const STATUS_INDEX: GlobalSecondaryIndex = {
  IndexName: 'StatusIndex',
  KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
  Projection: { ProjectionType: 'ALL' },
}

/** A migration input named `name`, in migrations/, with `up` and `down`. */
function json(name: string, up: MigrationFile['up'], down: MigrationFile['down']): ReplayInput {
  return { name, file: `migrations/${name}.json`, content: { version: 1, up, down } }
}

const CREATE_TABLES = json(
  '0001_create_tables',
  [
    { op: 'createTable', table: 'Candidates', definition: CANDIDATES },
    { op: 'createTable', table: 'items', definition: ITEMS },
  ],
  [
    { op: 'deleteTable', table: 'items' },
    { op: 'deleteTable', table: 'Candidates' },
  ],
)

const ADD_STATUS_INDEX = json(
  '0002_add_status_index',
  [
    {
      op: 'createGsi',
      table: 'Candidates',
      index: STATUS_INDEX,
      attributeDefinitions: [{ AttributeName: 'status', AttributeType: 'S' }],
    },
    { op: 'updateTtl', table: 'Candidates', ttl: { AttributeName: 'expiresAt', Enabled: true } },
  ],
  [
    { op: 'updateTtl', table: 'Candidates', ttl: { AttributeName: 'expiresAt', Enabled: false } },
    { op: 'deleteGsi', table: 'Candidates', indexName: 'StatusIndex' },
  ],
)

const DROP_ITEMS = json(
  '0003_drop_items',
  [{ op: 'deleteTable', table: 'items' }],
  [{ op: 'createTable', table: 'items', definition: ITEMS }],
)

const CANDIDATES_WITH_INDEX: TableSchema = {
  ...CANDIDATES,
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
    { AttributeName: 'status', AttributeType: 'S' },
  ],
  GlobalSecondaryIndexes: [STATUS_INDEX],
  TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
}

describe('a chain of three migrations', () => {
  test('no migrations: no tables', () => {
    expect(replay([])).toStrictEqual({ states: {}, issues: [] })
  })

  test('after 0001 both tables exist', () => {
    expect(replay([CREATE_TABLES])).toStrictEqual({
      states: { Candidates: CANDIDATES, items: ITEMS },
      issues: [],
    })
  })

  test('after 0002 Candidates has the index, its attribute and TTL', () => {
    expect(replay([CREATE_TABLES, ADD_STATUS_INDEX])).toStrictEqual({
      states: { Candidates: CANDIDATES_WITH_INDEX, items: ITEMS },
      issues: [],
    })
  })

  test('after 0003 items is gone', () => {
    expect(replay([CREATE_TABLES, ADD_STATUS_INDEX, DROP_ITEMS])).toStrictEqual({
      states: { Candidates: CANDIDATES_WITH_INDEX },
      issues: [],
    })
  })
})

test('.ts migrations (no content) are skipped', () => {
  const backfill: ReplayInput = { name: '0002_backfill', file: 'migrations/0002_backfill.ts' }
  expect(replay([CREATE_TABLES, backfill, DROP_ITEMS])).toStrictEqual({
    states: { Candidates: CANDIDATES },
    issues: [],
  })
})

test('an up operation on a table that does not exist there is an Issue on its path', () => {
  const tagMissing = json(
    '0002_tag',
    [
      { op: 'tag', table: 'Candidates', tags: [{ Key: 'Owner', Value: 'team-a' }] },
      { op: 'tag', table: 'Candidate', tags: [{ Key: 'Owner', Value: 'team-a' }] },
    ],
    [{ op: 'untag', table: 'Candidates', keys: ['Owner'] }],
  )
  expect(replay([CREATE_TABLES, tagMissing])).toStrictEqual({
    states: {
      Candidates: { ...CANDIDATES, Tags: [{ Key: 'Owner', Value: 'team-a' }] },
      items: ITEMS,
    },
    issues: [
      {
        file: 'migrations/0002_tag.json',
        path: 'up[1].table',
        message: 'table "Candidate" does not exist at this point of the history',
        hint: 'did you mean "Candidates"? known tables: "Candidates", "items"',
      },
    ],
  })
})

test('an index that a later migration deletes twice is an Issue on that operation', () => {
  const dropTwice = json(
    '0003_drop_index',
    [
      { op: 'deleteGsi', table: 'Candidates', indexName: 'StatusIndex' },
      { op: 'deleteGsi', table: 'Candidates', indexName: 'StatusIndex' },
    ],
    [],
  )
  const { issues } = replay([CREATE_TABLES, ADD_STATUS_INDEX, dropTwice])
  expect(issues).toStrictEqual([
    {
      file: 'migrations/0003_drop_index.json',
      path: 'up[1].indexName',
      message: 'index "StatusIndex" does not exist on "Candidates" at this point of the history',
      hint: 'table "Candidates" has no global secondary index at this point',
    },
  ])
})

test('a down operation that cannot apply after up is an Issue on its down path', () => {
  const wrongDown = json('0002_add_status_index', ADD_STATUS_INDEX.content?.up ?? [], [
    { op: 'deleteGsi', table: 'Candidates', indexName: 'ScoreIndex' },
  ])
  const { issues } = replay([CREATE_TABLES, wrongDown])
  expect(issues).toStrictEqual([
    {
      file: 'migrations/0002_add_status_index.json',
      path: 'down[0].indexName',
      message: 'index "ScoreIndex" does not exist on "Candidates" at this point of the history',
      hint: 'indexes of "Candidates" at this point: "StatusIndex"',
    },
  ])
})

test('a down that does not undo the tables of up is an Issue on "down"', () => {
  const keepsItems = json('0001_create_tables', CREATE_TABLES.content?.up ?? [], [
    { op: 'deleteTable', table: 'Candidates' },
  ])
  const { states, issues } = replay([keepsItems])
  expect(states).toStrictEqual({ Candidates: CANDIDATES, items: ITEMS })
  expect(issues).toHaveLength(1)
  expect(issues[0]?.file).toBe('migrations/0001_create_tables.json')
  expect(issues[0]?.path).toBe('down')
  expect(issues[0]?.message).toMatchInlineSnapshot(
    `"does not undo the tables of "up": after up and down the tables are [items], before they were []"`,
  )
  expect(issues[0]?.hint).toMatchInlineSnapshot(
    `"make "down" delete the tables "up" creates and recreate the ones it deletes"`,
  )
})

test('a down that does not recreate the table up deleted is reported too', () => {
  const overreaching = json('0003_drop_items', [{ op: 'deleteTable', table: 'items' }], [])
  const { issues } = replay([CREATE_TABLES, overreaching])
  expect(issues.map((i) => [i.path, i.message])).toStrictEqual([
    [
      'down',
      'does not undo the tables of "up": after up and down the tables are [Candidates], before they were [Candidates,items]',
    ],
  ])
})

describe('the rules of each operation, given the tables at its point of the history', () => {
  /** `count` GSIs on `status` named index0..., for a table at the GSI limit. */
  const gsis = (count: number): GlobalSecondaryIndex[] =>
    Array.from({ length: count }, (_, i) => ({ ...STATUS_INDEX, IndexName: `index${i}` }))
  const WIDE: TableSchema = {
    ...ITEMS,
    TableName: 'Wide',
    AttributeDefinitions: [
      ...ITEMS.AttributeDefinitions,
      { AttributeName: 'status', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: gsis(20),
  }
  const createWide = json(
    '0001_wide',
    [{ op: 'createTable', table: 'Wide', definition: WIDE }],
    [{ op: 'deleteTable', table: 'Wide' }],
  )

  test('a 21st GSI on a table that has 20 at that point', () => {
    const one = json(
      '0002_one_more',
      [
        {
          op: 'createGsi',
          table: 'Wide',
          index: { ...STATUS_INDEX, IndexName: 'index20' },
          attributeDefinitions: [{ AttributeName: 'status', AttributeType: 'S' }],
        },
      ],
      [{ op: 'deleteGsi', table: 'Wide', indexName: 'index20' }],
    )
    expect(replay([createWide, one]).issues).toStrictEqual([
      {
        file: 'migrations/0002_one_more.json',
        path: 'up[0].index',
        message:
          'would be global secondary index number 21 of table "Wide"; DynamoDB allows at most 20',
        hint: 'delete an index first (deleteGsi), or ask AWS to raise the quota (20 is the default)',
      },
    ])
    // after a deletion in the same migration, the 20th fits
    const swap = json(
      '0002_swap',
      [{ op: 'deleteGsi', table: 'Wide', indexName: 'index0' }, ...(one.content?.up ?? [])],
      [
        { op: 'deleteGsi', table: 'Wide', indexName: 'index20' },
        {
          op: 'createGsi',
          table: 'Wide',
          index: { ...STATUS_INDEX, IndexName: 'index0' },
          attributeDefinitions: [{ AttributeName: 'status', AttributeType: 'S' }],
        },
      ],
    )
    expect(replay([createWide, swap]).issues).toStrictEqual([])
  })

  test('a key attribute whose type clashes with the table, and an index name too short', () => {
    const clash = json(
      '0002_clash',
      [
        {
          op: 'createGsi',
          table: 'items',
          index: {
            ...STATUS_INDEX,
            IndexName: 'X',
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          },
          attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
        },
      ],
      [{ op: 'deleteGsi', table: 'items', indexName: 'X' }],
    )
    expect(replay([CREATE_TABLES, clash]).issues).toStrictEqual([
      {
        file: 'migrations/0002_clash.json',
        path: 'up[0].index.IndexName',
        message: '"X" is 1 character long; index names are 3-255',
        hint: 'use a name of at least 3 characters',
      },
      {
        file: 'migrations/0002_clash.json',
        path: 'up[0].attributeDefinitions[0].AttributeType',
        message: '"N" clashes with table "items", where "id" is a key attribute of type "S"',
        hint: 'write "AttributeType": "S" (an attribute has one type in all the keys of a table), or key the index on another attribute',
      },
      {
        file: 'migrations/0002_clash.json',
        path: 'down[0].indexName',
        message: '"X" is 1 character long; index names are 3-255',
        hint: 'use a name of at least 3 characters',
      },
    ])
  })

  test('a table that a later migration creates, or that only schemas/ has', () => {
    const early = json(
      '0001_index_first',
      [{ op: 'updateTtl', table: 'items', ttl: { AttributeName: 'expiresAt', Enabled: true } }],
      [{ op: 'updateTtl', table: 'items', ttl: { AttributeName: 'expiresAt', Enabled: false } }],
    )
    const late = {
      ...CREATE_TABLES,
      name: '0002_create_tables',
      file: 'migrations/0002_create_tables.json',
    }
    const { issues } = replay([early, late], { tables: ['items', 'Orders'] })
    expect(issues.map((i) => [i.path, i.hint])).toStrictEqual([
      [
        'up[0].table',
        'migrations/0002_create_tables.json creates it, after this migration: renumber this migration to follow it',
      ],
      [
        'down[0].table',
        'migrations/0002_create_tables.json creates it, after this migration: renumber this migration to follow it',
      ],
    ])
    const onSchemaOnly = json(
      '0002_tag',
      [{ op: 'tag', table: 'Orders', tags: [{ Key: 'team', Value: 'a' }] }],
      [{ op: 'untag', table: 'Orders', keys: ['team'] }],
    )
    expect(replay([CREATE_TABLES, onSchemaOnly], { tables: ['Orders'] }).issues[0]).toStrictEqual({
      file: 'migrations/0002_tag.json',
      path: 'up[0].table',
      message: 'table "Orders" does not exist at this point of the history',
      hint: 'it is in schemas/ but no migration before this one creates it: `ddbm migrate generate <name>` writes its createTable',
    })
    const misspelt = json(
      '0002_tag',
      [{ op: 'tag', table: 'order', tags: [{ Key: 'team', Value: 'a' }] }],
      [{ op: 'untag', table: 'order', keys: ['team'] }],
    )
    expect(replay([misspelt], { tables: ['Orders'] }).issues[0]?.hint).toBe(
      'did you mean "Orders"? known tables: "Orders"',
    )
    expect(replay([misspelt]).issues[0]?.hint).toBe(
      'create it first: a createTable operation in this or an earlier migration',
    )
  })

  test('createTable of a table that exists, or whose definition names another table', () => {
    const again = json(
      '0002_again',
      [
        { op: 'createTable', table: 'items', definition: ITEMS },
        { op: 'createTable', table: 'Other', definition: ITEMS },
      ],
      [],
    )
    const { issues } = replay([CREATE_TABLES, again])
    expect(issues.filter((i) => i.path !== 'down')).toStrictEqual([
      {
        file: 'migrations/0002_again.json',
        path: 'up[0].table',
        message: 'table "items" already exists here',
        hint: 'change the existing table with other operations (createGsi, updateTtl...), or delete it first (deleteTable)',
      },
      {
        file: 'migrations/0002_again.json',
        path: 'up[1].definition.TableName',
        message: 'definition.TableName "items" differs from table "Other"',
        hint: 'write "TableName": "Other": the definition is of the table the operation creates',
      },
    ])
  })

  test('deleteGsi of a local secondary index', () => {
    const withLsi: TableSchema = {
      ...CANDIDATES,
      AttributeDefinitions: [
        ...CANDIDATES.AttributeDefinitions,
        { AttributeName: 'createdAt', AttributeType: 'S' },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'byCreatedAt',
          KeySchema: [
            { AttributeName: 'PK', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }
    const create = json(
      '0001_create',
      [{ op: 'createTable', table: 'Candidates', definition: withLsi }],
      [{ op: 'deleteTable', table: 'Candidates' }],
    )
    const drop = json(
      '0002_drop_lsi',
      [{ op: 'deleteGsi', table: 'Candidates', indexName: 'byCreatedAt' }],
      [{ op: 'deleteGsi', table: 'Candidates', indexName: 'byCreatedAt' }],
    )
    expect(replay([create, drop]).issues.filter((i) => i.path.startsWith('up'))).toStrictEqual([
      {
        file: 'migrations/0002_drop_lsi.json',
        path: 'up[0].indexName',
        message:
          'index "byCreatedAt" of "Candidates" is a local secondary index; DynamoDB cannot delete one',
        hint: 'a local secondary index lives as long as its table: recreate the table without it',
      },
    ])
  })

  test('an irreversible migration is not asked to undo its tables', () => {
    const drop: ReplayInput = {
      name: '0002_drop_items',
      file: 'migrations/0002_drop_items.json',
      content: {
        version: 1,
        irreversible: true,
        up: [{ op: 'deleteTable', table: 'items' }],
        down: [],
      },
    }
    expect(replay([CREATE_TABLES, drop])).toStrictEqual({
      states: { Candidates: CANDIDATES },
      issues: [],
    })
  })
})
