import { describe, expect, test } from 'vitest'
import {
  buildExpressions,
  decodeCursor,
  encodeCursor,
  parseBrowseRequest,
  plainItem,
  type KeyAttr,
} from '../../../../src/engine/browse/expression.js'
import { csvCell } from '../../../../src/studio/export.js'

const KEYS: KeyAttr[] = [
  { name: 'status', type: 'S', role: 'HASH' },
  { name: 'total', type: 'N', role: 'RANGE' },
]

describe('browse expressions', () => {
  test('a query with a between sort key and filters: placeholders for every name, typed values', () => {
    const req = parseBrowseRequest({
      mode: 'query',
      key: { partition: { value: 'open' }, sort: { op: 'between', value: '20', value2: 90 } },
      filters: [
        { attribute: 'a.b', op: 'begins_with', value: 'x' },
        { attribute: 'tags', op: 'contains', value: 1 },
        { attribute: 'gone', op: 'attribute_not_exists' },
      ],
    })
    expect(buildExpressions(req, KEYS)).toStrictEqual({
      keyCondition: '#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2',
      filter: 'begins_with(#n2, :v3) AND contains(#n3, :v4) AND attribute_not_exists(#n4)',
      names: { '#n0': 'status', '#n1': 'total', '#n2': 'a.b', '#n3': 'tags', '#n4': 'gone' },
      values: {
        ':v0': { S: 'open' },
        ':v1': { N: '20' },
        ':v2': { N: '90' },
        ':v3': { S: 'x' },
        ':v4': { N: '1' },
      },
    })
  })

  test('bad requests are USAGE errors naming the problem', () => {
    expect(() => parseBrowseRequest({ mode: 'query' })).toThrow('a query needs key.partition.value')
    expect(() => parseBrowseRequest({ mode: 'scan', limit: 501 })).toThrow(/limit/)
    expect(() =>
      parseBrowseRequest({ mode: 'scan', filters: [{ attribute: 'a', op: '=' }] }),
    ).toThrow('filter = on a needs value')
    const req = parseBrowseRequest({
      mode: 'query',
      key: { partition: { value: 'x' }, sort: { op: '=', value: 'abc' } },
    })
    expect(() => buildExpressions(req, KEYS)).toThrow('Key attribute total (N): expected a number')
    expect(() => decodeCursor('not-a-cursor')).toThrow('cursor is not one this studio gave')
  })

  test('a cursor round-trips S, N and B keys; items come back as plain JSON', () => {
    const key = { PK: { S: 'a' }, n: { N: '1' }, b: { B: new Uint8Array([1, 2, 255]) } }
    expect(decodeCursor(encodeCursor(key))).toStrictEqual(key)
    expect(
      plainItem({
        s: { S: 'x' },
        n: { N: '1.5' },
        big: { N: '12345678901234567890' },
        ss: { SS: ['a'] },
        b: { B: new Uint8Array([104, 105]) },
        m: { M: { l: { L: [{ BOOL: true }, { NULL: true }] } } },
      }),
    ).toStrictEqual({
      s: 'x',
      n: 1.5,
      big: '12345678901234567890',
      ss: ['a'],
      b: 'aGk=',
      m: { l: [true, null] },
    })
  })

  test('CSV cells are quoted only when they must be', () => {
    expect([
      csvCell('a'),
      csvCell('a,"b"'),
      csvCell(3),
      csvCell(null),
      csvCell([1]),
      csvCell({ a: 1, b: 2 }),
    ]).toStrictEqual(['a', '"a,""b"""', '3', '', '[1]', '"{""a"":1,""b"":2}"'])
  })
})
