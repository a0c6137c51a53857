import { describe, expect, test } from 'vitest'
import { CANDIDATES, candidatesTable, simpleTable } from '../../fixtures/tables.js'
import { NOTHING, plan } from './diff-fixtures.js'

const T = 'Candidates'

const NEW_TABLE_WAY_OUT =
  'create a new table and a backfill migration (`ddbm migrate create <name> --ts`), then remove the old one'

describe('diff: refused changes', () => {
  test('a primary key change', () => {
    const to = candidatesTable({ KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }] })
    expect(plan({ Candidates: CANDIDATES }, { Candidates: to })).toStrictEqual({
      ...NOTHING,
      problems: [
        {
          table: T,
          message:
            'the primary key changes from (PK HASH S, SK RANGE S) to (PK HASH S): DynamoDB cannot change the primary key of a table',
          hint: NEW_TABLE_WAY_OUT,
        },
      ],
    })
  })

  test("a key attribute's type change is a primary key change", () => {
    const to = candidatesTable()
    to.AttributeDefinitions[1] = { AttributeName: 'SK', AttributeType: 'N' }
    expect(plan({ Candidates: CANDIDATES }, { Candidates: to }).problems).toStrictEqual([
      {
        table: T,
        message:
          'the primary key changes from (PK HASH S, SK RANGE S) to (PK HASH S, SK RANGE N): DynamoDB cannot change the primary key of a table',
        hint: NEW_TABLE_WAY_OUT,
      },
    ])
  })

  const BY_CREATED = {
    IndexName: 'ByCreatedIndex',
    KeySchema: [
      { AttributeName: 'PK', KeyType: 'HASH' as const },
      { AttributeName: 'createdAt', KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  }
  const LSI_HINT = `${NEW_TABLE_WAY_OUT}; or use a global secondary index, which can be added to an existing table`

  test('an LSI added to an existing table', () => {
    const to = candidatesTable({ LocalSecondaryIndexes: [BY_CREATED] })
    expect(plan({ Candidates: CANDIDATES }, { Candidates: to })).toStrictEqual({
      ...NOTHING,
      problems: [
        {
          table: T,
          message:
            'the local secondary indexes change (none → ByCreatedIndex): DynamoDB creates LSIs only with the table (CreateTable) and cannot change or remove them',
          hint: LSI_HINT,
        },
      ],
    })
  })

  test("an LSI's projection change", () => {
    const from = candidatesTable({ LocalSecondaryIndexes: [BY_CREATED] })
    const to = candidatesTable({
      LocalSecondaryIndexes: [{ ...BY_CREATED, Projection: { ProjectionType: 'KEYS_ONLY' } }],
    })
    expect(plan({ Candidates: from }, { Candidates: to }).problems).toStrictEqual([
      {
        table: T,
        message:
          'the local secondary indexes change (ByCreatedIndex → ByCreatedIndex): DynamoDB creates LSIs only with the table (CreateTable) and cannot change or remove them',
        hint: LSI_HINT,
      },
    ])
  })

  test('a TTL attribute rename', () => {
    const to = candidatesTable({ TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } })
    expect(plan({ Candidates: CANDIDATES }, { Candidates: to })).toStrictEqual({
      ...NOTHING,
      problems: [
        {
          table: T,
          message:
            'TTL moves from attribute expiresAt to ttl: DynamoDB allows one TTL change per table per hour, and a rename is two (disable, then enable)',
          hint: 'disable TTL now (remove TimeToLiveSpecification), and enable it on the new attribute in a later migration',
        },
      ],
    })
  })

  test('every refused change of a table is reported; other tables are still planned', () => {
    const to = candidatesTable({
      KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      Tags: [],
    })
    const result = plan(
      { Candidates: CANDIDATES, ScoreCache: simpleTable('ScoreCache') },
      {
        Candidates: to,
        ScoreCache: simpleTable('ScoreCache', { TableClass: 'STANDARD_INFREQUENT_ACCESS' }),
      },
    )
    expect(result.up).toStrictEqual([
      { op: 'updateTableClass', table: 'ScoreCache', tableClass: 'STANDARD_INFREQUENT_ACCESS' },
    ])
    expect(result.problems.map((p) => [p.table, p.message.split(':')[0]])).toStrictEqual([
      [T, 'the primary key changes from (PK HASH S, SK RANGE S) to (PK HASH S)'],
      [T, 'TTL moves from attribute expiresAt to ttl'],
    ])
  })
})
