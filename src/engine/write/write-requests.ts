import {
  BatchWriteItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb'
import { DdbmError, messageOf } from '../../errors.js'
import { AdaptiveConcurrency } from './adaptive-concurrency.js'
import { classifyFailure, retryDelay } from './retry-policy.js'

/** BatchWriteItem's limit of requests per call. */
export const BATCH_SIZE = 25

/**
 * Requests in flight by default. Measured against DynamoDB Local in memory on 2 cores (docs/benchmarks.md,
 * "Seeding"): items/s grow up to 8 requests in flight and stay flat beyond.
 */
export const DEFAULT_CONCURRENCY = 8

/** Attempts per batch for retryable failures by default. */
export const DEFAULT_MAX_ATTEMPTS = 10

/** At most this many failed items are named in {@link WriteStats.firstErrors}. */
export const MAX_FIRST_ERRORS = 10

/** Options of the batch writer. Clock, sleep and randomness are injectable so unit tests never wait. */
export type WriteOptions = {
  /** Requests in flight (BatchWriteItem calls of up to 25 items). Default {@link DEFAULT_CONCURRENCY}, chosen by measurement. */
  concurrency?: number
  /** Called after every completed batch with the running totals (for progress bars). */
  onProgress?: (stats: WriteStats) => void
  /** Default a real `setTimeout`. */
  sleep?: (ms: number) => Promise<void>
  /** Jitter source in [0, 1); default `Math.random`. */
  random?: () => number
  /** Default `Date.now`. */
  now?: () => number
  /**
   * Test-only switch for the negative control: false stops resubmitting UnprocessedItems (they count as
   * failed). Default true. Injected by tests, never read from the environment.
   */
  resubmitUnprocessed?: boolean
  /**
   * Attempts per batch for retryable failures (throttling, 5xx, network, UnprocessedItems) before its
   * items count as failed. Default {@link DEFAULT_MAX_ATTEMPTS}. Each attempt is one call through the SDK,
   * which itself retries throttling and 5xx answers (maxAttempts of the client) before the writer sees them.
   */
  maxAttempts?: number
  /** The table's key attributes, to name failed items by their key in `firstErrors`; default the whole item. */
  keyAttributes?: readonly string[]
  /**
   * Stops at a batch boundary when aborted: no new batch is taken from the source, the batches in flight
   * finish (with their retries), and the stats come back with `interrupted: true`. Nothing is dropped
   * silently: what was not taken is neither written nor failed.
   */
  signal?: AbortSignal
}

/** Running totals of a write. */
export type WriteStats = {
  /** Requests applied (items put, or keys deleted). */
  written: number
  /** Requests given up on: never silently dropped, always counted here. */
  failed: number
  /** HTTP requests sent again: by the SDK (throttling, 5xx, network) and by the writer (UnprocessedItems, failures the SDK gave up on). */
  retries: number
  /** Throttled answers seen, including those the SDK retried by itself. */
  throttles: number
  /** Batches (of up to 25 requests) completed, written or failed. */
  batches: number
  /** Time since the write started. */
  ms: number
  /** The current limit of requests in flight (halved on throttling, raised again after clean batches). */
  concurrency: number
  /** The first failed items (at most {@link MAX_FIRST_ERRORS}) with the reason. */
  firstErrors: { key: Record<string, unknown>; error: string }[]
  /** Present (true) when `signal` stopped the write before the source was exhausted. */
  interrupted?: true
}

/** Internal hooks of the writer, for callers that need every failed request (batchWrite). */
export type WriteHooks = {
  /** Called with the requests of each failure and the error (or reason) that failed them. */
  onFailed?: (requests: readonly WriteRequest[], error: unknown) => void
}

type Source<T> = AsyncIterable<T> | Iterable<T>

/**
 * Applies every request of `requests` (PutRequest or DeleteRequest; an async or sync iterable, pulled
 * lazily) to `table` with BatchWriteItem, 25 per call, `concurrency` calls in flight; at most
 * `concurrency × 25` requests are held at a time, so memory stays flat however many there are.
 *
 * Per batch: UnprocessedItems (which the SDK never retries) are resubmitted, alone, with capped
 * exponential backoff and full jitter; throttling, 5xx and network failures the SDK's own retries gave
 * up on are resent likewise, up to `maxAttempts` calls per batch, after which the batch's remaining
 * items count as failed. Resending is safe: PutRequest and DeleteRequest are idempotent, so a batch
 * that was applied although the answer was a 500 ends in the same state when sent again.
 * A batch refused for its content (ValidationException...) is resent one request per call, so only the
 * offending requests count as failed, each with the error message. Every throttle halves the requests
 * in flight (AIMD, see {@link AdaptiveConcurrency}); clean batches raise it back up to `concurrency`.
 *
 * Returns once every request is written or counted failed. Throws DdbmError AWS_FAILED (after the
 * requests in flight settle) when a call fails in a way no batch can succeed (no such table, access
 * denied, bad credentials), DdbmError USAGE for a `concurrency` or `maxAttempts` below 1, and rethrows
 * what the source iterable throws.
 */
export async function writeRequests(
  client: DynamoDBClient,
  table: string,
  requests: Source<WriteRequest>,
  opts: WriteOptions = {},
  hooks: WriteHooks = {},
): Promise<WriteStats> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const random = opts.random ?? Math.random
  const now = opts.now ?? Date.now
  const maxAttempts = positiveInteger('maxAttempts', opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)
  const resubmit = opts.resubmitUnprocessed ?? true
  const aimd = new AdaptiveConcurrency(
    positiveInteger('concurrency', opts.concurrency ?? DEFAULT_CONCURRENCY),
  )
  const start = now()
  const stats: WriteStats = {
    written: 0,
    failed: 0,
    retries: 0,
    throttles: 0,
    batches: 0,
    ms: 0,
    concurrency: aimd.current,
    firstErrors: [],
  }
  let fatal: unknown

  const fail = (failed: readonly WriteRequest[], error: unknown): void => {
    stats.failed += failed.length
    const text = describeError(error)
    for (const request of failed.slice(0, MAX_FIRST_ERRORS - stats.firstErrors.length)) {
      stats.firstErrors.push({ key: keyOf(request, opts.keyAttributes), error: text })
    }
    hooks.onFailed?.(failed, error)
  }

  /** One call; reports every HTTP attempt (the SDK's retries included) to the stats and the AIMD limit. */
  const send = async (batch: WriteRequest[], onThrottle: () => void) => {
    const command = new BatchWriteItemCommand({ RequestItems: { [table]: batch } })
    let attempts = 0
    command.middlewareStack.add(
      (next) => async (args) => {
        if (attempts++ > 0) stats.retries++
        const epoch = aimd.epoch
        try {
          return await next(args)
        } catch (err) {
          if (classifyFailure(err) === 'throttle') {
            stats.throttles++
            aimd.throttled(epoch)
            onThrottle()
          }
          throw err
        }
      },
      // Inside the SDK's retry loop (retryMiddleware is finalizeRequest/high), so each attempt is seen.
      { step: 'finalizeRequest', priority: 'low', name: 'ddbmWriteObserver' },
    )
    return client.send(command)
  }

  /** Writes one batch to the end; never rejects except with a fatal failure. */
  const writeBatch = async (batch: WriteRequest[]): Promise<void> => {
    let pending = batch
    let throttled = false
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) {
        stats.retries++
        await sleep(retryDelay(attempt - 1, random))
      }
      let left: WriteRequest[]
      try {
        const out = await send(pending, () => (throttled = true))
        left = out.UnprocessedItems?.[table] ?? []
      } catch (err) {
        const kind = classifyFailure(err)
        if (kind === 'fatal') throw err
        if (kind === 'item') {
          if (pending.length === 1) fail(pending, err)
          else for (const one of pending) await writeBatch([one])
          return
        }
        if (attempt >= maxAttempts) return fail(pending, err)
        continue
      }
      stats.written += pending.length - left.length
      if (left.length === 0) {
        if (!throttled) aimd.clean()
        return
      }
      if (!resubmit) return fail(left, 'UnprocessedItems (not resubmitted)')
      if (attempt >= maxAttempts) {
        return fail(left, `UnprocessedItems still left after ${maxAttempts} attempts`)
      }
      pending = left
    }
  }

  const progress = (): void => {
    stats.ms = now() - start
    stats.concurrency = aimd.current
    opts.onProgress?.({ ...stats, firstErrors: [...stats.firstErrors] })
  }

  const iterator = iterate(requests)
  const inFlight = new Set<Promise<void>>()
  let exhausted = false
  try {
    while (fatal === undefined) {
      while (inFlight.size >= aimd.current) await Promise.race(inFlight)
      if (fatal !== undefined) break
      if (opts.signal?.aborted === true) {
        stats.interrupted = true
        break
      }
      const batch = await take(iterator, BATCH_SIZE)
      if (batch.length < BATCH_SIZE) exhausted = true
      if (batch.length === 0) break
      const running: Promise<void> = writeBatch(batch)
        .then(
          () => {
            stats.batches++
            progress()
          },
          (err: unknown) => {
            fatal ??= err
          },
        )
        .finally(() => inFlight.delete(running))
      inFlight.add(running)
      if (exhausted) break
    }
  } finally {
    await Promise.allSettled(inFlight)
    if (!exhausted) await iterator.return?.()
  }
  if (fatal !== undefined) {
    throw new DdbmError(
      'AWS_FAILED',
      `Writing to ${table} stopped: ${describeError(fatal)} (${stats.written} written, ${stats.failed} failed before).`,
      { table, written: stats.written, failed: stats.failed },
      {
        cause: fatal,
        ...(fatal instanceof Error && fatal.name === 'ResourceNotFoundException'
          ? {
              hint: `Create table ${table} first: \`ddbm migrate up\` creates the tables of schemas/.`,
            }
          : {}),
      },
    )
  }
  stats.ms = now() - start
  stats.concurrency = aimd.current
  return stats
}

/** `value` if it is an integer >= 1; otherwise DdbmError USAGE naming the option. */
function positiveInteger(option: string, value: number): number {
  if (Number.isInteger(value) && value >= 1) return value
  throw new DdbmError('USAGE', `${option} must be an integer of at least 1, got ${value}.`, {
    name: option,
  })
}

/** The iterator of a sync or async iterable; `await` on its `next()` serves both. */
function iterate<T>(source: Source<T>): Iterator<T> | AsyncIterator<T> {
  return Symbol.asyncIterator in source
    ? source[Symbol.asyncIterator]()
    : (source as Iterable<T>)[Symbol.iterator]()
}

/** Up to `n` next values of `iterator` (fewer only at its end). */
async function take<T>(iterator: Iterator<T> | AsyncIterator<T>, n: number): Promise<T[]> {
  const out: T[] = []
  while (out.length < n) {
    const next = await iterator.next()
    if (next.done === true) break
    out.push(next.value)
  }
  return out
}

/** The key of a request: a DeleteRequest's Key, a PutRequest's item (reduced to `keyAttributes` if given). */
export function keyOf(
  request: WriteRequest,
  keyAttributes?: readonly string[],
): Record<string, AttributeValue> {
  const item = request.DeleteRequest?.Key ?? request.PutRequest?.Item ?? {}
  if (keyAttributes === undefined || request.DeleteRequest !== undefined) return item
  const key: Record<string, AttributeValue> = {}
  for (const name of keyAttributes) {
    const value = item[name]
    if (value !== undefined) key[name] = value
  }
  return key
}

/** `Name: message` of an SDK error, or the reason given as text. */
function describeError(error: unknown): string {
  if (typeof error === 'string') return error
  const name = error instanceof Error ? error.name : ''
  const message = messageOf(error)
  return name !== '' && name !== 'Error' && !message.startsWith(name)
    ? `${name}: ${message}`
    : message
}
