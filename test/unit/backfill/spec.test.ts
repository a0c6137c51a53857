import { describe, expect, test } from 'vitest'
import { converged } from '../../../src/backfill/converge.js'
import {
  BACKFILL_DEFAULTS,
  resolveSpec,
  writeOf,
  type BackfillSpec,
} from '../../../src/backfill/spec.js'
import { DdbmError } from '../../../src/errors.js'

const transform = () => 'skip' as const
const FILE = 'migrations/0003_x.ts'

function refusal(spec: unknown): { message: string; details: unknown; hint: string } {
  try {
    resolveSpec(spec as BackfillSpec, FILE)
  } catch (err) {
    if (!(err instanceof DdbmError)) throw err
    return { message: err.message, details: err.details, hint: err.hint }
  }
  throw new Error('not refused')
}

describe('resolveSpec', () => {
  test('fills in the defaults; concurrency defaults to the segments', () => {
    expect(resolveSpec({ table: 'T', transform, segments: 4 }, FILE)).toStrictEqual({
      name: BACKFILL_DEFAULTS.name,
      table: 'T',
      transform,
      segments: 4,
      concurrency: 4,
      pageSize: 500,
      writeConcurrency: 8,
      leaseSeconds: 30,
      check: 100,
    })
  })

  test.each([
    [
      { transform },
      'table',
      'migrations/0003_x.ts: ctx.backfill table must be the logical name of a table',
    ],
    [
      { table: 'T' },
      'transform',
      'migrations/0003_x.ts: ctx.backfill transform must be a function of one item',
    ],
    [
      { table: 'T', transform, segments: 0 },
      'segments',
      'migrations/0003_x.ts: ctx.backfill segments must be a whole number from 1 to 1000000 (got 0)',
    ],
    [
      { table: 'T', transform, pageSize: 2.5 },
      'pageSize',
      'migrations/0003_x.ts: ctx.backfill pageSize must be a whole number from 1 to 10000 (got 2.5)',
    ],
    [
      { table: 'T', transform, name: 'a#b' },
      'name',
      'migrations/0003_x.ts: ctx.backfill name "a#b" is not 1-64 of A-Z a-z 0-9 _ . -',
    ],
    [
      { table: 'T', transform, rate: { fraction: 1.5 } },
      'rate.fraction',
      'migrations/0003_x.ts: ctx.backfill rate.fraction must be above 0 and at most 1 (got 1.5)',
    ],
    [
      { table: 'T', transform, rate: { writePerSec: -1 } },
      'rate.writePerSec',
      'migrations/0003_x.ts: ctx.backfill rate.writePerSec must be a positive number (got -1)',
    ],
  ])('refuses %j naming %s, the file and a hint', (spec, field, message) => {
    const r = refusal(spec)
    expect([r.message, r.details]).toStrictEqual([message, { file: FILE, field }])
    expect(r.hint).toMatch(/docs\/backfills\.md/)
  })
})

describe('writeOf and converged', () => {
  const item = { PK: 'a', SK: 'b', status: 'PENDING', flag: 'Y' }
  const keys = ['PK', 'SK']

  test('an update keyed by the item; converged when its values are there already', () => {
    const write = writeOf(
      { update: { set: { flag: 'Y' }, remove: ['gone'] }, condition: 'c' },
      item,
      keys,
    )
    expect(write).toStrictEqual({
      kind: 'update',
      key: { PK: 'a', SK: 'b' },
      set: { flag: 'Y' },
      remove: ['gone'],
      conditional: { condition: 'c' },
    })
    expect(converged(write, item)).toBe(true)
    expect(converged(write, { ...item, flag: 'N' })).toBe(false)
    expect(converged(write, { ...item, gone: 1 })).toBe(false)
  })

  test('skip converges; a delete never; a put when equal; a raw expression is unknown', () => {
    expect([
      writeOf('skip', item, keys),
      writeOf(undefined, item, keys),
      writeOf(null, item, keys),
    ]).toStrictEqual([undefined, undefined, undefined])
    expect(converged(undefined, item)).toBe(true)
    expect(converged(writeOf({ delete: true }, item, keys), item)).toBe(false)
    expect(converged(writeOf({ put: { ...item, tags: new Set(['x']) } }, item, keys), item)).toBe(
      false,
    )
    expect(converged(writeOf({ put: { ...item } }, item, keys), item)).toBe(true)
    expect(converged(writeOf({ update: { expression: 'SET a = :a' } }, item, keys), item)).toBe(
      'unknown',
    )
  })

  test('a put that moves the item, and an action of another shape, fail naming it', () => {
    expect(() => writeOf({ put: { ...item, SK: 'c' } }, item, keys)).toThrow(
      "The backfill's transform put changes the key attribute SK; a backfill writes items in place",
    )
    expect(() => writeOf({ nope: 1 } as never, item, keys)).toThrow(
      'The backfill\'s transform returned {"nope":1}',
    )
  })
})
