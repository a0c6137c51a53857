import {
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndexDescription,
  type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { DdbmError } from '../errors.js'
import { interruptibleSleep } from '../interrupt.js'

/** Default overall wait: a GSI backfill on real AWS can take hours (docs/dynamodb-rules.md). */
export const DEFAULT_WAIT_TIMEOUT_MS = 6 * 60 * 60 * 1000

/** Retry backoff of {@link backoffDelay} when none is given: 100 ms doubling up to 5 s. */
export const DEFAULT_BACKOFF = { baseMs: 100, capMs: 5_000 } as const

/**
 * Polling of the waiters: 50 ms growing by a quarter per poll up to 5 s. After a poll that finds the state
 * not reached, the sleep is on average a quarter of the time waited so far (at most a half), which bounds
 * how late the wait notices the table or index got there; doubling sleeps on average as long again as
 * the time waited (measured in docs/benchmarks.md, "db reset"). That is about 9 polls in the first second
 * and 22 in the first 20 s, far below the 2,500 control-plane requests per second DynamoDB allows
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-control-plane.html).
 */
export const POLL_BACKOFF = { baseMs: 50, capMs: 5_000, factor: 1.25 } as const

/** Backoff shape: first delay, the factor each attempt multiplies it by (default 2), and its cap. */
export type Backoff = { baseMs: number; capMs: number; factor?: number }

/** Options of every waiter. Clock, sleep and randomness are injectable so tests never really wait. */
export type WaitOptions = {
  /** Default a real `setTimeout`. */
  sleep?: (ms: number) => Promise<void>
  /** Default `Date.now`. */
  now?: () => number
  /** Give up (DdbmError AWS_FAILED) after this long; default {@link DEFAULT_WAIT_TIMEOUT_MS}. */
  timeoutMs?: number
  /** Default {@link POLL_BACKOFF}. */
  backoff?: Backoff
  /** Jitter source in [0, 1); default `Math.random`. */
  random?: () => number
  /**
   * Called with every DescribeTable answer (undefined while the table does not exist), so the caller can
   * report progress: table status, each GSI's IndexStatus and Backfilling. The SDK's
   * GlobalSecondaryIndexDescription has no OnlineIndexPercentageProgress member (that is a CloudWatch
   * metric), so no percentage can be read from DescribeTable.
   */
  onPoll?: (table: TableDescription | undefined, elapsedMs: number) => void
  /**
   * Stops the wait when aborted: the sleep between polls ends at once and the waiter throws DdbmError
   * INTERRUPTED (`while waiting for ...`). What was sent goes on in DynamoDB (an index keeps building).
   */
  signal?: AbortSignal
}

/**
 * Delay before poll number `attempt` (0-based): capped exponential backoff with "equal jitter", i.e. a
 * random value in [ceiling/2, ceiling) where ceiling = min(cap, base * factor^attempt), factor 2 unless
 * the backoff says otherwise. Never zero, so a busy endpoint is never polled in a tight loop.
 */
export function backoffDelay(
  attempt: number,
  backoff: Backoff = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * (backoff.factor ?? 2) ** attempt)
  return ceiling / 2 + (random() * ceiling) / 2
}

/** DescribeTable, or undefined when the table does not exist. Other errors propagate. */
export async function describeTable(
  client: DynamoDBClient,
  name: string,
): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table
  } catch (err) {
    if (err instanceof Error && err.name === 'ResourceNotFoundException') return undefined
    throw err
  }
}

/** True when the table is ACTIVE and every GSI is ACTIVE: the next UpdateTable may be sent. */
export function isSettled(table: TableDescription): boolean {
  return (
    table.TableStatus === 'ACTIVE' &&
    (table.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE')
  )
}

/**
 * What a table is busy with, for progress lines and timeout messages, e.g.
 * `table ACTIVE; index ScoreIndex CREATING (backfilling)`. Lists only the GSIs that are not ACTIVE.
 */
export function pendingSummary(table: TableDescription | undefined): string {
  if (table === undefined) return 'table does not exist'
  const indexes = (table.GlobalSecondaryIndexes ?? [])
    .filter((g) => g.IndexStatus !== 'ACTIVE')
    .map(
      (g) =>
        `index ${g.IndexName} ${g.IndexStatus ?? 'UNKNOWN'}${g.Backfilling ? ' (backfilling)' : ''}`,
    )
  return [`table ${table.TableStatus ?? 'UNKNOWN'}`, ...indexes].join('; ')
}

/** The named GSI of a description, if present. */
export function findIndex(
  table: TableDescription | undefined,
  index: string,
): GlobalSecondaryIndexDescription | undefined {
  return table?.GlobalSecondaryIndexes?.find((g) => g.IndexName === index)
}

/**
 * Polls DescribeTable until `done` returns a value other than undefined, and returns it. `what` names the
 * awaited state in the timeout error.
 */
async function poll<T>(
  client: DynamoDBClient,
  name: string,
  what: string,
  opts: WaitOptions,
  done: (table: TableDescription | undefined) => T | undefined,
): Promise<T> {
  const sleep = interruptibleSleep(opts.sleep, opts.signal, `while waiting for ${what}`)
  const now = opts.now ?? Date.now
  const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS
  const start = now()
  for (let attempt = 0; ; attempt++) {
    const table = await describeTable(client, name)
    opts.onPoll?.(table, now() - start)
    const result = done(table)
    if (result !== undefined) return result
    const elapsed = now() - start
    if (elapsed >= timeoutMs) {
      throw new DdbmError(
        'AWS_FAILED',
        `Timed out after ${formatMs(elapsed)} waiting for ${what} (last seen: ${pendingSummary(table)}).`,
        { table: name, waitedMs: elapsed },
        { hint: 'Re-run later: every step converges, so it resumes where this one stopped.' },
      )
    }
    const delay = backoffDelay(attempt, opts.backoff ?? POLL_BACKOFF, opts.random)
    await sleep(Math.min(delay, timeoutMs - elapsed))
  }
}

/**
 * Waits until table `name` is settled: TableStatus ACTIVE **and** every GSI ACTIVE (a table can be ACTIVE
 * while an index is still CREATING/backfilling; the next UpdateTable would then be refused). A table that
 * does not exist yet is polled on (right after CreateTable, AWS may answer ResourceNotFound). Returns the
 * settled description; throws DdbmError AWS_FAILED on timeout.
 */
export async function waitForTableActive(
  client: DynamoDBClient,
  name: string,
  opts: WaitOptions = {},
): Promise<TableDescription> {
  return poll(client, name, `table ${name} and its indexes to be ACTIVE`, opts, (t) =>
    t !== undefined && isSettled(t) ? t : undefined,
  )
}

/**
 * Waits until GSI `index` of `table` is ACTIVE (so no longer CREATING nor backfilling). Fails at once when
 * the table is gone, and after a few polls and 2 s when the index does not appear (it was never created or
 * was deleted meanwhile), rather than waiting for the timeout.
 */
export async function waitForIndexActive(
  client: DynamoDBClient,
  table: string,
  index: string,
  opts: WaitOptions = {},
): Promise<TableDescription> {
  const now = opts.now ?? Date.now
  let missing = 0
  let missingSince: number | undefined
  return poll(client, table, `index ${index} of ${table} to be ACTIVE`, opts, (t) => {
    const gsi = findIndex(t, index)
    if (t === undefined || gsi === undefined) {
      missingSince ??= now()
      const givenUp = ++missing > MISSING_INDEX_POLLS && now() - missingSince >= MISSING_INDEX_MS
      if (t === undefined || givenUp) {
        throw new DdbmError(
          'AWS_FAILED',
          t === undefined
            ? `Table ${table} disappeared while waiting for index ${index}.`
            : `Index ${index} of ${table} does not exist (was it deleted meanwhile?).`,
          { table, index },
        )
      }
      return undefined
    }
    return gsi.IndexStatus === 'ACTIVE' ? t : undefined
  })
}

/** Waits until GSI `index` is no longer listed by DescribeTable (a missing table counts as gone). */
export async function waitForIndexGone(
  client: DynamoDBClient,
  table: string,
  index: string,
  opts: WaitOptions = {},
): Promise<void> {
  await poll(client, table, `index ${index} of ${table} to be deleted`, opts, (t) =>
    findIndex(t, index) === undefined ? true : undefined,
  )
}

/** Waits until DescribeTable answers ResourceNotFound for `name`. */
export async function waitForTableGone(
  client: DynamoDBClient,
  name: string,
  opts: WaitOptions = {},
): Promise<void> {
  await poll(client, name, `table ${name} to be deleted`, opts, (t) =>
    t === undefined ? true : undefined,
  )
}

/**
 * Polls, and time, tolerated without the awaited index in the description (DescribeTable is eventually
 * consistent): both must have passed before the index counts as missing.
 */
const MISSING_INDEX_POLLS = 5
const MISSING_INDEX_MS = 2_000

function formatMs(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`
  return `${Math.round(ms / 360_000) / 10} h`
}
