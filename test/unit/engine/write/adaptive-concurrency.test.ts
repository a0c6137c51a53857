import { describe, expect, test } from 'vitest'
import { AdaptiveConcurrency } from '../../../../src/engine/write/adaptive-concurrency.js'

describe('AdaptiveConcurrency', () => {
  test('starts at the maximum; a throttle halves it, down to 1', () => {
    const limit = new AdaptiveConcurrency(8)
    const seen = [limit.current]
    for (let i = 0; i < 4; i++) {
      limit.throttled(limit.epoch)
      seen.push(limit.current)
    }
    expect(seen).toStrictEqual([8, 4, 2, 1, 1])
  })

  test('throttles of requests sent before the last decrease count once', () => {
    const limit = new AdaptiveConcurrency(16)
    const sentAt = limit.epoch
    limit.throttled(sentAt)
    limit.throttled(sentAt)
    limit.throttled(sentAt)
    expect(limit.current).toBe(8)
    limit.throttled(limit.epoch)
    expect(limit.current).toBe(4)
  })

  test('one more per round of clean batches (current many), up to the maximum', () => {
    const limit = new AdaptiveConcurrency(5)
    limit.throttled(limit.epoch)
    limit.throttled(limit.epoch)
    expect(limit.current).toBe(1)
    const seen: number[] = []
    for (let i = 0; i < 12; i++) {
      limit.clean()
      seen.push(limit.current)
    }
    // 1 clean at 1, 2 at 2, 3 at 3, 4 at 4, then capped at 5.
    expect(seen).toStrictEqual([2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5])
  })

  test('a throttle resets the clean streak', () => {
    const limit = new AdaptiveConcurrency(4)
    limit.throttled(limit.epoch)
    limit.clean()
    limit.throttled(limit.epoch - 1)
    limit.clean()
    expect(limit.current).toBe(2)
    limit.clean()
    expect(limit.current).toBe(3)
  })

  test('refuses a limit below 1 or not an integer', () => {
    expect(() => new AdaptiveConcurrency(0)).toThrow(RangeError)
    expect(() => new AdaptiveConcurrency(2.5)).toThrow(RangeError)
  })
})
