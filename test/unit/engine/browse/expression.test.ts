import { describe, expect, test } from 'vitest'
import {
  buildExpressions,
  decodeCursor,
  encodeCursor,
  parseBrowseRequest,
  type KeyAttr,
} from '../../../../src/engine/browse/expression.js'
import { plainItem, wireItem, wireLike } from '../../../../src/engine/browse/wire.js'
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

  test('an edited item keeps the types of the item it replaces where its plain value still fits', () => {
    const keys: KeyAttr[] = [{ name: 'PK', type: 'S', role: 'HASH' }]
    const bytes = new Uint8Array([0, 1, 254, 255])
    const stored = {
      PK: { S: 'c1' },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2.5'] },
      bs: { BS: [bytes] },
      b: { B: bytes },
      big: { N: '12345678901234567890' },
      text: { S: 'AAAA' },
      m: { M: { tags: { SS: ['x'] }, n: { N: '3' } } },
      l: { L: [{ B: bytes }, { S: 'y' }] },
    }
    // What the page shows, saved unchanged, is the stored item again, type for type.
    expect(wireItem(plainItem(stored), keys, stored)).toStrictEqual(stored)
    // Without the stored item, every attribute is typed by its JSON type.
    expect(wireItem(plainItem(stored), keys)).toStrictEqual({
      PK: { S: 'c1' },
      ss: { L: [{ S: 'a' }, { S: 'b' }] },
      ns: { L: [{ N: '1' }, { N: '2.5' }] },
      bs: { L: [{ S: 'AAH+/w==' }] },
      b: { S: 'AAH+/w==' },
      big: { S: '12345678901234567890' },
      text: { S: 'AAAA' },
      m: { M: { tags: { L: [{ S: 'x' }] }, n: { N: '3' } } },
      l: { L: [{ S: 'AAH+/w==' }, { S: 'y' }] },
    })
    // Edited values: a set stays a set while it is one, and is a list once it cannot be.
    expect([
      wireLike(['a', 'c'], stored.ss),
      wireLike(['a', 'a'], stored.ss),
      wireLike([], stored.ss),
      wireLike([1, '2'], stored.ns),
      wireLike([1, 'two'], stored.ns),
      wireLike('aGk=', stored.b),
      wireLike('not base64!', stored.b),
      wireLike('7', stored.big),
      wireLike(7, stored.text),
      wireLike({ tags: ['x', 'z'], added: ['q'] }, stored.m),
    ]).toStrictEqual([
      { SS: ['a', 'c'] },
      { L: [{ S: 'a' }, { S: 'a' }] },
      { L: [] },
      { NS: ['1', '2'] },
      { L: [{ N: '1' }, { S: 'two' }] },
      { B: new Uint8Array([104, 105]) },
      { S: 'not base64!' },
      { N: '7' },
      { N: '7' },
      { M: { tags: { SS: ['x', 'z'] }, added: { L: [{ S: 'q' }] } } },
    ])
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
