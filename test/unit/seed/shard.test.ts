import { describe, expect, test } from 'vitest'
import { DdbmError, isDdbmError } from '../../../src/errors.js'
import {
  checkSeedModes,
  checkShard,
  parseShard,
  rangeTotal,
  shardRange,
  type Shard,
} from '../../../src/seed/shard.js'

const HINT =
  '--shard takes I/N: N the number of runners, I this runner’s number from 1 to N (e.g. --shard 2/3 in a matrix of 3 jobs).'

/** The ranges of shards 1..count of `items`. */
const all = (items: number, count: number) =>
  Array.from({ length: count }, (_, k) => shardRange(items, { index: k + 1, count }))

/** What a refused value throws: code, message, details and hint. */
function refusal(run: () => unknown) {
  try {
    run()
  } catch (err) {
    if (isDdbmError(err)) {
      return {
        code: err.code,
        exit: err.exitCode,
        message: err.message,
        details: err.details,
        hint: err.hint,
      }
    }
    throw err
  }
  throw new Error('expected a refusal')
}

describe('parseShard', () => {
  test('I/N as typed, 1-based; spaces around the numbers allowed', () => {
    expect(parseShard('2/3')).toStrictEqual({ index: 2, count: 3 })
    expect(parseShard('1/1')).toStrictEqual({ index: 1, count: 1 })
    expect(parseShard(' 7 / 7 ')).toStrictEqual({ index: 7, count: 7 })
    expect(parseShard('10/12')).toStrictEqual({ index: 10, count: 12 })
  })

  test.each([
    ['0/3', '--shard 0/3: the runner’s number must be from 1 to 3'],
    ['4/3', '--shard 4/3: the runner’s number must be from 1 to 3'],
    ['1/0', '--shard 1/0: the number of runners must be at least 1'],
    ['a/b', '--shard must be I/N (two integers around a slash), got "a/b"'],
    ['3', '--shard must be I/N (two integers around a slash), got "3"'],
    ['-1/3', '--shard must be I/N (two integers around a slash), got "-1/3"'],
    ['1.5/3', '--shard must be I/N (two integers around a slash), got "1.5/3"'],
    ['1/3/4', '--shard must be I/N (two integers around a slash), got "1/3/4"'],
    ['', '--shard must be I/N (two integers around a slash), got ""'],
  ])('"%s" is USAGE (exit 2) with a hint', (text, message) => {
    expect(refusal(() => parseShard(text))).toStrictEqual({
      code: 'USAGE',
      exit: 2,
      message,
      details: { name: '--shard', value: text },
      hint: HINT,
    })
  })
})

describe('checkShard (the library option)', () => {
  test('a valid shard is returned as it is', () => {
    const shard: Shard = { index: 3, count: 7 }
    expect(checkShard(shard)).toBe(shard)
  })

  test.each([
    [{ index: 0, count: 3 }, '--shard 0/3: the runner’s number must be from 1 to 3'],
    [{ index: 1.5, count: 3 }, '--shard 1.5/3: the runner’s number must be from 1 to 3'],
    [{ index: 1, count: 0 }, '--shard 1/0: the number of runners must be at least 1'],
    [{ index: 1, count: Number.NaN }, '--shard 1/NaN: the number of runners must be at least 1'],
  ])('%j is USAGE', (shard, message) => {
    const err = refusal(() => checkShard(shard))
    expect([err.code, err.message, err.hint]).toStrictEqual(['USAGE', message, HINT])
  })

  test('the error is a DdbmError', () => {
    expect(() => checkShard({ index: 2, count: 1 })).toThrow(DdbmError)
  })
})

describe('shardRange', () => {
  test('an even split: equal contiguous ranges', () => {
    expect(all(300, 3)).toStrictEqual([
      { from: 0, to: 100 },
      { from: 100, to: 200 },
      { from: 200, to: 300 },
    ])
  })

  test('an uneven split: floor(count*(I-1)/N) to floor(count*I/N), sizes differ by at most one', () => {
    expect(all(10, 3)).toStrictEqual([
      { from: 0, to: 3 },
      { from: 3, to: 6 },
      { from: 6, to: 10 },
    ])
    expect(all(500, 7).map((r) => r.to - r.from)).toStrictEqual([71, 71, 72, 71, 72, 71, 72])
  })

  test('more shards than items: some shards write nothing, each item exactly once', () => {
    expect(all(2, 5)).toStrictEqual([
      { from: 0, to: 0 },
      { from: 0, to: 0 },
      { from: 0, to: 1 },
      { from: 1, to: 1 },
      { from: 1, to: 2 },
    ])
    expect(all(0, 3)).toStrictEqual([
      { from: 0, to: 0 },
      { from: 0, to: 0 },
      { from: 0, to: 0 },
    ])
  })

  test('one shard is the whole seed', () => {
    expect(shardRange(1765, { index: 1, count: 1 })).toStrictEqual({ from: 0, to: 1765 })
  })

  test('for many sizes and shard counts: contiguous, disjoint, covering 0..count', () => {
    for (const items of [0, 1, 2, 7, 55, 100, 1000, 1001, 99_999]) {
      for (const count of [1, 2, 3, 7, 8, 64, 1000]) {
        const ranges = all(items, count)
        const next = ranges.map((r, k) => [r.to, ranges[k + 1]?.from ?? items])
        expect(ranges[0]?.from).toBe(0)
        expect(next.every(([a, b]) => a === b)).toBe(true)
        const sizes = ranges.map((r) => r.to - r.from)
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
      }
    }
  })

  test('a count too large for exact products still ends at the count', () => {
    expect(shardRange(2 ** 52, { index: 3, count: 3 }).to).toBe(2 ** 52)
  })
})

describe('rangeTotal', () => {
  test('the items of a table over its seed files', () => {
    expect(
      rangeTotal([
        { file: 'seeds/items.json', from: 1, to: 3, of: 5 },
        { file: 'seeds/items.seed.ts', from: 16, to: 33, of: 50 },
      ]),
    ).toStrictEqual(19)
  })
})

describe('checkSeedModes', () => {
  test('the allowed combinations pass', () => {
    const shard = { index: 1, count: 2 }
    for (const modes of [
      {},
      { shard },
      { shard, dryRun: true },
      { clear: true },
      { verifyOnly: true },
    ]) {
      expect(checkSeedModes(modes)).toBe(undefined)
    }
  })

  test('--clear with --shard: USAGE, with the one-off clear step as the hint', () => {
    expect(
      refusal(() => checkSeedModes({ shard: { index: 1, count: 2 }, clear: true })),
    ).toStrictEqual({
      code: 'USAGE',
      exit: 2,
      message:
        "Can't use --clear with --shard: each runner would delete the items the others wrote",
      details: { name: '--clear' },
      hint: 'Clear once before the sharded jobs, in a step of its own: `ddbm seed --clear --count 0` (empties the seeded tables, writes only the fixtures) or `ddbm db reset --count 0` (new, migrated tables); then run the shards without --clear.',
    })
  })

  test.each([
    [{ shard: { index: 1, count: 2 } }, '--shard'],
    [{ clear: true }, '--clear'],
    [{ dryRun: true }, '--dry-run'],
  ])('--verify-only with %j: USAGE naming the other flag', (modes, other) => {
    expect(refusal(() => checkSeedModes({ ...modes, verifyOnly: true }))).toStrictEqual({
      code: 'USAGE',
      exit: 2,
      message: `Can't use --verify-only with ${other}: it checks the whole seed and writes nothing`,
      details: { name: '--verify-only' },
      hint: 'Run `ddbm seed --verify-only` once, after every shard has finished, with the --seed, --count and --table of the shards.',
    })
  })

  test('an invalid shard is refused first', () => {
    const err = refusal(() => checkSeedModes({ shard: { index: 5, count: 2 }, clear: true }))
    expect(err.message).toBe('--shard 5/2: the runner’s number must be from 1 to 2')
  })
})
