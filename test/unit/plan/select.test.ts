import { describe, expect, test } from 'vitest'
import { DdbmError } from '../../../src/errors.js'
import type { MigrationState, StatusRow } from '../../../src/plan/history.js'
import { selectDown, selectUp } from '../../../src/plan/select.js'

function rows(...states: [name: string, state: MigrationState][]): StatusRow[] {
  return states.map(([name, state]) => ({ name, state }))
}

/** Three applied, then a failed one, one left running and two pending. */
const MIXED = rows(
  ['0001_a', 'applied'],
  ['0002_b', 'applied'],
  ['0003_c', 'applied'],
  ['0004_d', 'failed'],
  ['0005_e', 'running'],
  ['0006_f', 'pending'],
  ['0007_g', 'pending'],
)

const ALL_APPLIED = rows(
  ['0001_a', 'applied'],
  ['0002_b', 'applied'],
  ['0003_c', 'applied'],
  ['0004_d', 'applied'],
)

/** The error `run` throws; fails the test when it does not throw. */
function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (err) {
    return err
  }
  throw new Error('expected an error')
}

describe('selectUp', () => {
  test('by default every migration not applied, failed and running included, in order', () => {
    expect(selectUp(MIXED, {})).toStrictEqual(['0004_d', '0005_e', '0006_f', '0007_g'])
  })

  test('nothing when all are applied', () => {
    expect(selectUp(ALL_APPLIED, {})).toStrictEqual([])
  })

  test('skips a missing one (its file is gone)', () => {
    const withMissing = rows(['0001_a', 'applied'], ['0002_b', 'missing'], ['0003_c', 'pending'])
    expect(selectUp(withMissing, {})).toStrictEqual(['0003_c'])
  })

  test('to: up to and including that migration', () => {
    expect(selectUp(MIXED, { to: '0006_f' })).toStrictEqual(['0004_d', '0005_e', '0006_f'])
  })

  test('to: an applied migration selects nothing after it', () => {
    expect(selectUp(MIXED, { to: '0002_b' })).toStrictEqual([])
  })

  test('step: at most that many', () => {
    expect(selectUp(MIXED, { step: 1 })).toStrictEqual(['0004_d'])
    expect(selectUp(MIXED, { step: 3 })).toStrictEqual(['0004_d', '0005_e', '0006_f'])
    expect(selectUp(MIXED, { step: 10 })).toStrictEqual(['0004_d', '0005_e', '0006_f', '0007_g'])
  })

  test('an unknown to is a USAGE error listing the names', () => {
    const err = thrown(() => selectUp(MIXED, { to: '0008_h' }))
    expect(err).toBeInstanceOf(DdbmError)
    const e = err as DdbmError
    expect([e.code, e.exitCode, e.details]).toStrictEqual(['USAGE', 2, { name: '0008_h' }])
    expect(e.message).toMatchInlineSnapshot(`"No migration named "0008_h""`)
    expect(e.hint).toMatchInlineSnapshot(
      `"Use a name from \`ddbm migrate status\`: 0001_a, 0002_b, 0003_c, 0004_d, 0005_e, 0006_f, 0007_g"`,
    )
  })

  test('an unknown to with no migrations at all says (none)', () => {
    const err = thrown(() => selectUp([], { to: '0001_a' })) as DdbmError
    expect(err.code).toBe('USAGE')
    expect(err.hint).toMatchInlineSnapshot(`"Use a name from \`ddbm migrate status\`: (none)"`)
  })
})

describe('selectDown', () => {
  test('by default the last applied one', () => {
    expect(selectDown(ALL_APPLIED, {})).toStrictEqual(['0004_d'])
  })

  test('nothing when none is applied', () => {
    expect(selectDown(rows(['0001_a', 'pending']), {})).toStrictEqual([])
  })

  test('failed and running count as applied: they may have changed tables', () => {
    expect(selectDown(MIXED, {})).toStrictEqual(['0005_e'])
  })

  test('step: the last N, newest first', () => {
    expect(selectDown(ALL_APPLIED, { step: 2 })).toStrictEqual(['0004_d', '0003_c'])
  })

  test('to: 0 reverts all of them, newest first', () => {
    expect(selectDown(ALL_APPLIED, { to: 0 })).toStrictEqual([
      '0004_d',
      '0003_c',
      '0002_b',
      '0001_a',
    ])
  })

  test("to: '0' (as the command line passes it) means the same", () => {
    expect(selectDown(ALL_APPLIED, { to: '0' })).toStrictEqual(selectDown(ALL_APPLIED, { to: 0 }))
  })

  test('to: NAME reverts that one and every applied one after it', () => {
    expect(selectDown(ALL_APPLIED, { to: '0002_b' })).toStrictEqual(['0004_d', '0003_c', '0002_b'])
  })

  test('to: NAME skips pending ones after it', () => {
    expect(selectDown(MIXED, { to: '0003_c' })).toStrictEqual(['0005_e', '0004_d', '0003_c'])
  })

  test('an unknown to is a USAGE error', () => {
    const err = thrown(() => selectDown(ALL_APPLIED, { to: '0002' }))
    expect(err).toBeInstanceOf(DdbmError)
    expect((err as DdbmError).code).toBe('USAGE')
    expect((err as DdbmError).message).toBe('No migration named "0002"')
  })
})
