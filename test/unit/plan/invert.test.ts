import { describe, expect, test } from 'vitest'
import { DdbmError } from '../../../src/errors.js'
import { invert } from '../../../src/plan/invert.js'
import { normalizeTable } from '../../../src/plan/normalize.js'
import type { Operation } from '../../../src/schema/operation.js'
import { CANDIDATES, simpleTable } from '../../fixtures/tables.js'
import { fold } from './diff-fixtures.js'

/** invert(up, from), after checking that folding up, then down, comes back to `from`. */
function down(up: Operation[], from: Record<string, ReturnType<typeof simpleTable>>): Operation[] {
  const result = invert(up, from)
  const back = fold(fold(from, up), result)
  expect(Object.keys(back).sort()).toStrictEqual(Object.keys(from).sort())
  for (const [name, t] of Object.entries(from)) {
    expect(normalizeTable(back[name]!)).toStrictEqual(normalizeTable(t))
  }
  return result
}

describe('invert', () => {
  test('nothing to undo', () => {
    expect(down([], { Candidates: CANDIDATES })).toStrictEqual([])
  })

  test('inverses in reverse order, each from the state just before its operation', () => {
    const from = { Items: simpleTable('Items', { Tags: [{ Key: 'Owner', Value: 'team-a' }] }) }
    const up: Operation[] = [
      { op: 'tag', table: 'Items', tags: [{ Key: 'Owner', Value: 'team-b' }] },
      { op: 'tag', table: 'Items', tags: [{ Key: 'Owner', Value: 'team-c' }] },
      { op: 'updateTtl', table: 'Items', ttl: { AttributeName: 'ttl', Enabled: true } },
    ]
    expect(down(up, from)).toStrictEqual([
      { op: 'updateTtl', table: 'Items', ttl: { AttributeName: 'ttl', Enabled: false } },
      { op: 'tag', table: 'Items', tags: [{ Key: 'Owner', Value: 'team-b' }] },
      { op: 'tag', table: 'Items', tags: [{ Key: 'Owner', Value: 'team-a' }] },
    ])
  })

  test('a deleted table comes back as its normalized definition; untag of an absent key has no inverse', () => {
    const from = { Items: simpleTable('Items', { TableClass: 'STANDARD' }) }
    const up: Operation[] = [
      { op: 'untag', table: 'Items', keys: ['Nope'] },
      { op: 'deleteTable', table: 'Items' },
    ]
    expect(down(up, from)).toStrictEqual([
      { op: 'createTable', table: 'Items', definition: simpleTable('Items') },
    ])
  })

  test('an operation that does not apply is a bug (INTERNAL)', () => {
    const up: Operation[] = [{ op: 'deleteGsi', table: 'Items', indexName: 'Missing' }]
    expect(() => invert(up, { Items: simpleTable('Items') })).toThrow(DdbmError)
    expect(() => invert(up, { Items: simpleTable('Items') })).toThrow(
      'cannot invert deleteGsi on Items: index "Missing" does not exist on "Items" at this point of the history',
    )
  })
})
