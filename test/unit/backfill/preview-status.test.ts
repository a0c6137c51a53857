import { describe, expect, test } from 'vitest'
import { exampleOf, jsonSafe } from '../../../src/backfill/preview.js'
import { ZERO_COUNTS } from '../../../src/backfill/segments.js'
import { backfillStatusOf } from '../../../src/backfill/status.js'

const item = { PK: 'C#1', status: 'PENDING', old: 1 }
const key = { PK: 'C#1' }

describe('exampleOf', () => {
  test('an update shows the item with set and remove applied, and its condition', () => {
    expect(
      exampleOf(
        {
          kind: 'update',
          key,
          set: { activeFlag: 'Y', gone: undefined },
          remove: ['old'],
          conditional: { condition: '#s = :p' },
        },
        item,
      ),
    ).toStrictEqual({
      action: 'update',
      key,
      before: item,
      after: { PK: 'C#1', status: 'PENDING', activeFlag: 'Y' },
      condition: '#s = :p',
    })
  })

  test('a raw expression has no after but the expression; a delete has after null; a put its item', () => {
    expect([
      exampleOf({ kind: 'update', key, expression: 'ADD n :one', conditional: {} }, item),
      exampleOf({ kind: 'delete', key, conditional: {} }, item),
      exampleOf({ kind: 'put', key, item: { PK: 'C#1' }, conditional: {} }, item),
    ]).toStrictEqual([
      { action: 'update', key, before: item, expression: 'ADD n :one' },
      { action: 'delete', key, before: item, after: null },
      { action: 'put', key, before: item, after: { PK: 'C#1' } },
    ])
  })

  test('jsonSafe turns Sets into arrays, bytes into base64 and bigints into strings, nested too', () => {
    expect(
      jsonSafe({ s: new Set(['a']), b: new Uint8Array([1, 2]), n: 10n, m: { l: [new Set([1])] } }),
    ).toStrictEqual({ s: ['a'], b: 'AQI=', n: '10', m: { l: [[1]] } })
  })
})

describe('backfillStatusOf', () => {
  test('segments done, counts summed, holders with their open segments, unheld ones, last checkpoint', () => {
    const counts = { ...ZERO_COUNTS, scanned: 10, matched: 5, written: 4, skipped: 1 }
    const lease = (holder: string) => ({ owner: `${holder}-id`, holder, counter: 3 })
    const status = backfillStatusOf(
      {
        migration: '0003_x',
        name: 'backfill',
        table: 'T-dev',
        direction: 'up',
        startedBy: 'me@host pid 1',
        startedAt: '2025-01-01T00:00:00.000Z',
        segments: 5,
        itemCount: 100,
      },
      [
        { index: 0, status: 'done', counts, updatedAt: '2025-01-01T00:00:03.000Z' },
        {
          index: 1,
          status: 'open',
          counts,
          lease: lease('a'),
          updatedAt: '2025-01-01T00:00:05.000Z',
        },
        { index: 2, status: 'open', counts: ZERO_COUNTS },
        { index: 3, status: 'open', counts, lease: lease('b') },
        {
          index: 4,
          status: 'open',
          counts,
          lease: lease('a'),
          updatedAt: '2025-01-01T00:00:04.000Z',
        },
      ],
    )
    expect(status).toStrictEqual({
      migration: '0003_x',
      name: 'backfill',
      table: 'T-dev',
      direction: 'up',
      startedBy: 'me@host pid 1',
      startedAt: '2025-01-01T00:00:00.000Z',
      segmentsDone: 1,
      segments: 5,
      counts: { ...ZERO_COUNTS, scanned: 40, matched: 20, written: 16, skipped: 4 },
      itemCount: 100,
      lastCheckpointAt: '2025-01-01T00:00:05.000Z',
      holders: [
        { holder: 'a', segments: [1, 4] },
        { holder: 'b', segments: [3] },
      ],
      unheld: [2],
    })
  })
})
