import { describe, expect, test } from 'vitest'
import {
  createPacer,
  type Kind,
  type Pacer,
  type PacerOptions,
} from '../../../src/backfill/pacer.js'

/** A fake monotonic clock in ms. */
function fakeClock(start = 1_000) {
  let t = start
  return { now: () => t, advance: (ms: number) => (t += ms), at: () => t }
}

function pacer(
  rate: { readPerSec: number; writePerSec: number },
  extra: Partial<PacerOptions> = {},
) {
  const clock = fakeClock()
  return { clock, pacer: createPacer({ rate, now: clock.now, ...extra }) }
}

/**
 * A worker that waits as told and sends requests of `units` each for `durationMs` of fake time; returns how
 * many it sent.
 */
function run(
  p: Pacer,
  clock: ReturnType<typeof fakeClock>,
  kind: Kind,
  units: number,
  durationMs: number,
): number {
  const end = clock.at() + durationMs
  let sent = 0
  for (;;) {
    const wait = p.delay(kind)
    if (clock.at() + wait >= end) break
    clock.advance(wait)
    p.consume(kind, units)
    sent++
  }
  clock.advance(end - clock.at())
  return sent
}

describe('createPacer', () => {
  test('the first request goes at once, the next at the rate; a quiet second fills the bucket', () => {
    const { pacer: p, clock } = pacer({ readPerSec: 100, writePerSec: 50 })
    expect(p.delay('write')).toStrictEqual(0)
    p.consume('write', 1)
    // 1 unit of debt at 50 units/s: 20 ms.
    expect(p.delay('write')).toStrictEqual(20)
    expect(p.delay('read')).toStrictEqual(0)
    // Quiet for 2 s: the bucket fills to one second of the rate, no more.
    clock.advance(2000)
    p.consume('write', 50)
    expect(p.delay('write')).toStrictEqual(0)
    p.consume('write', 1)
    expect(p.delay('write')).toStrictEqual(20)
  })

  test('debt makes delay, paid back at the current rate', () => {
    const { pacer: p, clock } = pacer({ readPerSec: 128, writePerSec: 10 })
    p.consume('read', 192)
    expect(p.delay('read')).toStrictEqual(1500)
    clock.advance(750)
    expect(p.delay('read')).toStrictEqual(750)
    clock.advance(750)
    expect(p.delay('read')).toStrictEqual(0)
    expect(p.stats().consumed).toStrictEqual({ read: 192, write: 0 })
  })

  test('the rate is respected on average over many requests', () => {
    const { pacer: p, clock } = pacer({ readPerSec: 128, writePerSec: 64 })
    // 4 units per request at 128 units/s: 32 requests a second.
    expect(run(p, clock, 'read', 4, 10_000)).toStrictEqual(32 * 10)
    expect(run(p, clock, 'read', 4, 10_000)).toStrictEqual(32 * 10)
    // Requests of another size: 8 units at 64 units/s, after a burst of one second's worth (the write
    // bucket filled while idle).
    expect(run(p, clock, 'write', 8, 20_000)).toStrictEqual(8 * 20 + 8)
    expect(p.stats().consumed).toStrictEqual({ read: 4 * 640, write: 8 * 168 })
  })

  test('a burst larger than the bucket is charged as debt: the average still holds', () => {
    const { pacer: p, clock } = pacer({ readPerSec: 100, writePerSec: 100 })
    // 250 units per request at 100 units/s: at 0, 2.5, 5 and 7.5 s.
    expect(run(p, clock, 'write', 250, 10_000)).toStrictEqual(4)
    // The last one's debt is paid by 10 s.
    expect(p.delay('write')).toStrictEqual(0)
  })

  test('a throttle cuts the current rate by half, and the bucket to the new size', () => {
    const { pacer: p, clock } = pacer({ readPerSec: 200, writePerSec: 100 }, { increasePerSec: 0 })
    // Quiet for 2 s: both buckets full.
    clock.advance(2000)
    p.throttled('write')
    expect(p.stats()).toStrictEqual({
      current: { readPerSec: 200, writePerSec: 50 },
      target: { readPerSec: 200, writePerSec: 100 },
      consumed: { read: 0, write: 0 },
      throttles: 1,
      cuts: 1,
    })
    // The bucket now holds one second at 50/s: 75 units leave 25 of debt, 500 ms.
    p.consume('write', 75)
    expect(p.delay('write')).toStrictEqual(500)
    p.consume('read', 200)
    expect(p.delay('read')).toStrictEqual(0)
  })

  test('a burst of throttles within one window cuts once; the next window cuts again', () => {
    const { pacer: p, clock } = pacer({ readPerSec: 400, writePerSec: 100 }, { increasePerSec: 0 })
    p.throttled('read')
    clock.advance(300)
    p.throttled('read')
    clock.advance(699)
    p.throttled('read')
    expect(p.stats().current.readPerSec).toStrictEqual(200)
    clock.advance(1)
    p.throttled('read')
    expect(p.stats()).toMatchObject({ current: { readPerSec: 100 }, throttles: 4, cuts: 2 })
  })

  test('cuts stop at the floor (2% of the target by default)', () => {
    const { pacer: p, clock } = pacer({ readPerSec: 1000, writePerSec: 100 }, { increasePerSec: 0 })
    for (let i = 0; i < 10; i++) {
      p.throttled('write')
      clock.advance(1000)
    }
    expect(p.stats().current.writePerSec).toStrictEqual(2)
    expect(p.stats().cuts).toStrictEqual(10)
  })

  test('the rate grows back slowly while clear: 5% of the target per second, up to the target', () => {
    const { pacer: p, clock } = pacer({ readPerSec: 100, writePerSec: 200 })
    p.throttled('write')
    expect(p.stats().current.writePerSec).toStrictEqual(100)
    clock.advance(1000)
    expect(p.stats().current.writePerSec).toStrictEqual(110)
    clock.advance(4000)
    expect(p.stats().current.writePerSec).toStrictEqual(150)
    clock.advance(4000)
    expect(p.stats().current.writePerSec).toStrictEqual(190)
    clock.advance(4000)
    expect(p.stats().current.writePerSec).toStrictEqual(200)
    expect(p.stats().current.readPerSec).toStrictEqual(100)
  })

  test('decrease, increasePerSec, floor and burstSeconds are options', () => {
    const { pacer: p, clock } = pacer(
      { readPerSec: 100, writePerSec: 100 },
      { decrease: 0.25, increasePerSec: 0.5, floor: 0.5, burstSeconds: 2 },
    )
    clock.advance(5000)
    p.consume('read', 200)
    expect(p.delay('read')).toStrictEqual(0)
    p.throttled('read')
    // 100 * 0.25 = 25, below the floor of 50.
    expect(p.stats().current.readPerSec).toStrictEqual(50)
    clock.advance(1000)
    expect(p.stats().current.readPerSec).toStrictEqual(100)
  })

  test('an Infinity rate never delays, and throttles are counted but cut nothing', () => {
    const { pacer: p, clock } = pacer({ readPerSec: Infinity, writePerSec: Infinity })
    for (let i = 0; i < 1000; i++) {
      p.consume('write', 1_000_000)
      p.consume('read', 1_000_000)
      expect([p.delay('write'), p.delay('read')]).toStrictEqual([0, 0])
    }
    p.throttled('write')
    clock.advance(5000)
    p.throttled('write')
    expect(p.delay('write')).toStrictEqual(0)
    expect(p.stats()).toStrictEqual({
      current: { readPerSec: Infinity, writePerSec: Infinity },
      target: { readPerSec: Infinity, writePerSec: Infinity },
      consumed: { read: 1e9, write: 1e9 },
      throttles: 2,
      cuts: 0,
    })
  })

  test('setTarget clamps the current rate and the bucket to a lower target', () => {
    const { pacer: p, clock } = pacer({ readPerSec: 1000, writePerSec: 100 })
    p.setTarget({ readPerSec: 100, writePerSec: 100 })
    expect(p.stats().current).toStrictEqual({ readPerSec: 100, writePerSec: 100 })
    p.consume('read', 150)
    expect(p.delay('read')).toStrictEqual(1500)
    // A higher target is reached by additive growth, at 5% of the new target per second.
    p.throttled('write')
    p.setTarget({ readPerSec: 100, writePerSec: 200 })
    expect(p.stats().current.writePerSec).toStrictEqual(50)
    clock.advance(1000)
    expect(p.stats().current.writePerSec).toStrictEqual(60)
  })

  test('setTarget from and to unlimited', () => {
    const { pacer: p, clock } = pacer({ readPerSec: Infinity, writePerSec: 10 })
    p.setTarget({ readPerSec: 10, writePerSec: Infinity })
    expect(p.stats().current).toStrictEqual({ readPerSec: 10, writePerSec: 10 })
    p.consume('read', 20)
    expect(p.delay('read')).toStrictEqual(1000)
    clock.advance(1)
    expect(p.stats().current).toStrictEqual({ readPerSec: 10, writePerSec: Infinity })
    p.consume('write', 1e9)
    expect(p.delay('write')).toStrictEqual(0)
  })

  test.each([
    [{ rate: { readPerSec: 0, writePerSec: 1 } }, 'rate.readPerSec must be a number > 0'],
    [{ rate: { readPerSec: 1, writePerSec: Number.NaN } }, 'rate.writePerSec must be a number > 0'],
    [{ decrease: 0 }, 'decrease must be in (0, 1]'],
    [{ floor: 1.5 }, 'floor must be in (0, 1]'],
  ])('refuses %j', (opts, message) => {
    expect(() =>
      createPacer({ rate: { readPerSec: 1, writePerSec: 1 }, now: () => 0, ...opts }),
    ).toThrow(message)
  })

  test('against a table that throttles above 50 units/s, a target of 200 converges near 50', () => {
    const { pacer: p, clock } = pacer({ readPerSec: 200, writePerSec: 200 })
    const accepted: number[] = []
    let throttles = 0
    const end = clock.at() + 60_000
    while (clock.at() < end) {
      // Each request costs at least 1 ms (a round trip), whatever the pacer says.
      clock.advance(Math.max(1, p.delay('write')))
      while (accepted.length > 0 && accepted[0]! <= clock.at() - 1000) accepted.shift()
      if (accepted.length >= 50) {
        throttles++
        p.throttled('write')
        // The SDK retries a throttled request after a backoff.
        clock.advance(100)
      } else {
        accepted.push(clock.at())
        p.consume('write', 1)
      }
    }
    const { consumed, cuts } = p.stats()
    const perSec = consumed.write / 60
    expect([perSec > 35, perSec <= 50]).toStrictEqual([true, true])
    // Measured: 41.6 units/s, 24 cuts and 61 throttles (under 3% of the requests) in 60 s.
    expect([cuts >= 5, cuts <= 40, throttles <= consumed.write / 20]).toStrictEqual([
      true,
      true,
      true,
    ])
  })
})
