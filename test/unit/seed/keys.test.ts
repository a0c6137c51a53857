import { describe, expect, test } from 'vitest'
import { hash64, keyProblems, keyText } from '../../../src/seed/keys.js'
import { BLOBS, CUSTOMERS, ORDERS } from './seeds.js'

describe('keyProblems', () => {
  test('a complete item has none; a sparse index attribute may be absent', () => {
    expect(keyProblems({ PK: 'C#1', SK: 'PROFILE', score: 3 }, CUSTOMERS)).toStrictEqual([])
    expect(
      keyProblems({ PK: 'C#1', SK: 'P', activeFlag: 'Y', score: 3n }, CUSTOMERS),
    ).toStrictEqual([])
  })

  test('a missing sort key and a key of the wrong type are named', () => {
    expect(keyProblems({ PK: 42 }, CUSTOMERS)).toStrictEqual([
      'key attribute "PK" (S, the partition key) must be a string, found the number 42',
      'missing key attribute "SK" (S, the sort key)',
    ])
    expect(keyProblems({ id: '7' }, ORDERS)).toStrictEqual([
      'key attribute "id" (N, the partition key) must be a number, found string "7"',
    ])
    expect(keyProblems({ id: Number.NaN }, ORDERS)).toStrictEqual([
      'key attribute "id" (N, the partition key) must be a number, found the number NaN',
    ])
    expect(keyProblems({ key: 'abc' }, BLOBS)).toStrictEqual([
      'key attribute "key" (B, the partition key) must be binary (a Uint8Array), found string "abc"',
    ])
  })

  test('empty key values and index keys of the wrong type are refused', () => {
    expect(keyProblems({ PK: '', SK: 'x', activeFlag: 1, score: '9' }, CUSTOMERS)).toStrictEqual([
      'key attribute "PK" (S, the partition key) is an empty string; DynamoDB refuses empty key values',
      '"activeFlag" (S, a key of index Active) must be a string, found the number 1',
      '"score" (N, a key of index Active) must be a number, found string "9"',
    ])
    expect(keyProblems({ key: new Uint8Array() }, BLOBS)).toStrictEqual([
      'key attribute "key" (B, the partition key) is empty; DynamoDB refuses empty key values',
    ])
    expect(keyProblems({ key: new Uint8Array([1]) }, BLOBS)).toStrictEqual([])
  })
})

describe('keyText and hash64', () => {
  test('equal exactly for the same primary key, whatever the other attributes', () => {
    const a = keyText({ PK: 'C#1', SK: 'A', name: 'x' }, CUSTOMERS)
    expect(a).toBe('["S:C#1","S:A"]')
    expect(keyText({ SK: 'A', PK: 'C#1', name: 'y' }, CUSTOMERS)).toBe(a)
    expect(keyText({ PK: 'C#1', SK: 'B' }, CUSTOMERS)).not.toBe(a)
    // a separator inside a value cannot make two keys meet
    expect(keyText({ PK: 'a","S:b', SK: 'c' }, CUSTOMERS)).not.toBe(
      keyText({ PK: 'a', SK: 'b","S:c' }, CUSTOMERS),
    )
  })

  test('numbers compare as numbers, binary as bytes', () => {
    expect(keyText({ id: 1 }, ORDERS)).toBe(keyText({ id: 1n }, ORDERS))
    expect(keyText({ id: 1e21 }, ORDERS)).toBe(keyText({ id: 10n ** 21n }, ORDERS))
    expect(keyText({ id: 1.5 }, ORDERS)).not.toBe(keyText({ id: 15 }, ORDERS))
    expect(keyText({ key: new Uint8Array([1, 255]) }, BLOBS)).toBe('["B:01ff"]')
  })

  test('hash64 is FNV-1a 64 over UTF-8: 16 hex digits', () => {
    expect([hash64(''), hash64('a'), hash64('foobar')]).toStrictEqual([
      'cbf29ce484222325',
      'af63dc4c8601ec8c',
      '85944171f73967e8',
    ])
    expect(hash64('é')).not.toBe(hash64('e'))
    const many = new Set(Array.from({ length: 20_000 }, (_, i) => hash64(`["S:CUST#${i}"]`)))
    expect(many.size).toBe(20_000)
  })
})
