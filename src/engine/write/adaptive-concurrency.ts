/**
 * Additive-increase / multiplicative-decrease limit of requests in flight. Starts at `max`; a throttle
 * halves it (never below 1); every `current` clean batches in a row (one round of the pipeline) add 1,
 * up to `max`. Throttles answered to requests sent before the last decrease do not halve it again, so
 * a burst of throttles from one overloaded moment counts once.
 */
export class AdaptiveConcurrency {
  readonly max: number
  #current: number
  #clean = 0
  #epoch = 0

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`concurrency must be an integer >= 1, got ${max}`)
    this.max = max
    this.#current = max
  }

  /** The current limit of requests in flight. */
  get current(): number {
    return this.#current
  }

  /** A token to take when a request is sent, and give back to {@link throttled}. */
  get epoch(): number {
    return this.#epoch
  }

  /** A request sent at `epoch` was throttled: halve the limit unless that already happened since. */
  throttled(epoch: number): void {
    this.#clean = 0
    if (epoch !== this.#epoch) return
    this.#current = Math.max(1, Math.floor(this.#current / 2))
    this.#epoch++
  }

  /** A batch completed without a throttle. */
  clean(): void {
    if (this.#current >= this.max) return
    if (++this.#clean >= this.#current) {
      this.#current++
      this.#clean = 0
    }
  }
}
