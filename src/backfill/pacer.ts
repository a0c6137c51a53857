/** Capacity units per second for reads and writes; `Infinity` means unlimited. */
export type Rate = { readPerSec: number; writePerSec: number }

/** The two kinds of request a pacer meters separately. */
export type Kind = 'read' | 'write'

export type PacerOptions = {
  /** The target rates: the share of capacity this process may use. */
  rate: Rate
  /** Monotonic clock in milliseconds (injected: the pacer reads no clock of its own). */
  now: () => number
  /** Size of each bucket, in seconds of its current rate: the burst allowed after a quiet spell. Default 1. */
  burstSeconds?: number
  /** Multiplicative cut of the current rate on a throttle. Default 0.5. */
  decrease?: number
  /** Additive growth per second without throttles, as a fraction of the target. Default 0.05. */
  increasePerSec?: number
  /** Lowest current rate, as a fraction of the target. Default 0.02. */
  floor?: number
  /** Throttles within this many ms of the last cut do not cut again. Default 1000. */
  cutWindowMs?: number
}

/** What a pacer has done so far. */
export type PacerStats = {
  /** The rates allowed now (the targets after AIMD cuts and growth). */
  current: Rate
  target: Rate
  /** Units charged through {@link Pacer.consume}, per kind. */
  consumed: { read: number; write: number }
  /** Throttles reported, of both kinds. */
  throttles: number
  /** Throttles that cut a rate (at most one per kind per cut window). */
  cuts: number
}

/**
 * A token bucket per kind, refilled at that kind's current rate, with additive-increase /
 * multiplicative-decrease of the current rate between the floor and the target. Requests are charged
 * after the fact (the units DynamoDB reports), so a bucket may go into debt; the next request of that
 * kind then waits until the debt is paid back.
 */
export type Pacer = {
  /** ms to wait before sending a request of `kind` (0 when the bucket is not in debt). */
  delay(kind: Kind): number
  /** Charges units actually consumed (from ReturnConsumedCapacity, or an estimate); the bucket may go into debt. */
  consume(kind: Kind, units: number): void
  /**
   * A throttle seen for `kind`: cuts that kind's current rate by `decrease` (not below the floor), at most
   * once per cut window so a burst of throttles from one overloaded moment counts once. An unlimited (Infinity) target is not cut: there is no rate to cut from, and the
   * SDK's retries with backoff are the brake.
   */
  throttled(kind: Kind): void
  /** Changes the target (the process's share changed); the current rate is clamped to it. */
  setTarget(rate: Rate): void
  /** Current allowed rates (after AIMD), the targets, and totals consumed / throttles seen. */
  stats(): PacerStats
}

type Bucket = {
  target: number
  current: number
  tokens: number
  /** Last time tokens and growth were brought up to date. */
  updatedAt: number
  /** Last cut; -Infinity before any. */
  cutAt: number
  consumed: number
}

const KEY = { read: 'readPerSec', write: 'writePerSec' } as const

/** Throws a RangeError unless `value` is a number > 0 (Infinity allowed: unlimited). */
function checkRate(name: string, value: number): void {
  if (!(value > 0)) throw new RangeError(`${name} must be a number > 0 (or Infinity), got ${value}`)
}

function checkFraction(name: string, value: number, max: number): void {
  if (!(value > 0 && value <= max)) {
    throw new RangeError(`${name} must be in (0, ${max}], got ${value}`)
  }
}

/**
 * Creates a {@link Pacer}. Both buckets start empty at the target rate: the first request goes at once,
 * the next ones at the rate; a burst is allowed only after a quiet spell has filled the bucket.
 * Rates must be > 0; the options' fractions must be in range (RangeError otherwise: a programming error,
 * user input is validated by resolveRate).
 */
export function createPacer(opts: PacerOptions): Pacer {
  const burstSeconds = opts.burstSeconds ?? 1
  const decrease = opts.decrease ?? 0.5
  const increasePerSec = opts.increasePerSec ?? 0.05
  const floor = opts.floor ?? 0.02
  const cutWindowMs = opts.cutWindowMs ?? 1000
  checkRate('burstSeconds', burstSeconds)
  checkFraction('decrease', decrease, 1)
  if (!(increasePerSec >= 0)) {
    throw new RangeError(`increasePerSec must be a number >= 0, got ${increasePerSec}`)
  }
  checkFraction('floor', floor, 1)
  checkRate('rate.readPerSec', opts.rate.readPerSec)
  checkRate('rate.writePerSec', opts.rate.writePerSec)

  const start = opts.now()
  const bucket = (target: number): Bucket => ({
    target,
    current: target,
    tokens: target === Infinity ? Infinity : 0,
    updatedAt: start,
    cutAt: -Infinity,
    consumed: 0,
  })
  const buckets: Record<Kind, Bucket> = {
    read: bucket(opts.rate.readPerSec),
    write: bucket(opts.rate.writePerSec),
  }
  let throttles = 0
  let cuts = 0

  /** Refills the bucket for the time since its last update (at the rate of that time), then grows the rate. */
  function update(b: Bucket): void {
    const now = opts.now()
    const elapsed = Math.max(0, now - b.updatedAt)
    if (elapsed === 0) return
    if (b.current !== Infinity) {
      b.tokens = Math.min(b.current * burstSeconds, b.tokens + (b.current * elapsed) / 1000)
    }
    if (b.current < b.target) {
      b.current = Math.min(b.target, b.current + (b.target * increasePerSec * elapsed) / 1000)
    }
    if (b.current === Infinity) b.tokens = Infinity
    b.updatedAt = now
  }

  return {
    delay(kind) {
      const b = buckets[kind]
      update(b)
      if (b.tokens >= 0) return 0
      return (-b.tokens / b.current) * 1000
    },
    consume(kind, units) {
      const b = buckets[kind]
      update(b)
      b.consumed += units
      if (b.current !== Infinity) b.tokens -= units
    },
    throttled(kind) {
      const b = buckets[kind]
      update(b)
      throttles++
      const now = opts.now()
      if (b.target === Infinity || now - b.cutAt < cutWindowMs) return
      b.cutAt = now
      cuts++
      b.current = Math.max(b.target * floor, b.current * decrease)
      b.tokens = Math.min(b.tokens, b.current * burstSeconds)
    },
    setTarget(rate) {
      checkRate('rate.readPerSec', rate.readPerSec)
      checkRate('rate.writePerSec', rate.writePerSec)
      for (const kind of ['read', 'write'] as const) {
        const b = buckets[kind]
        update(b)
        b.target = rate[KEY[kind]]
        b.current = Math.min(b.current, b.target)
        if (b.current === Infinity) b.tokens = Infinity
        else b.tokens = Math.min(b.tokens, b.current * burstSeconds)
      }
    },
    stats() {
      update(buckets.read)
      update(buckets.write)
      return {
        current: { readPerSec: buckets.read.current, writePerSec: buckets.write.current },
        target: { readPerSec: buckets.read.target, writePerSec: buckets.write.target },
        consumed: { read: buckets.read.consumed, write: buckets.write.consumed },
        throttles,
        cuts,
      }
    },
  }
}
