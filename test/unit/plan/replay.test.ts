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
        path: 'up[1]',
        message: 'table "Candidate" does not exist at this point of the history',
        hint: 'a migration applies to the tables that the migrations before it leave; check the order and table names',
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
      path: 'up[1]',
      message: 'index "StatusIndex" does not exist on "Candidates" at this point of the history',
      hint: 'a migration applies to the tables that the migrations before it leave; check the order and table names',
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
      path: 'down[0]',
      message: 'index "ScoreIndex" does not exist on "Candidates" at this point of the history',
      hint: 'a migration applies to the tables that the migrations before it leave; check the order and table names',
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
