import type { DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb'
import { isResourceInUse } from '../../dynamo/aws-errors.js'
import {
  backoffDelay,
  describeTable,
  isSettled,
  pendingSummary,
  waitForTableActive,
  type Backoff,
  type WaitOptions,
} from '../../dynamo/wait.js'
import { DdbmError, messageOf } from '../../errors.js'
import type { Emit } from '../../events.js'
import type { BackupRecord } from '../../plan/history.js'
import type { LiveTable } from '../../plan/live-table.js'
import type { OperationKind } from '../../schema/operation.js'
import { readLiveTable } from '../live/read-live-table.js'

/** What one step works with: the client, the physical table, the emitter and the injectable clock. */
export type StepContext = {
  client: DynamoDBClient
  emit: Emit
  /** Physical table name. */
  table: string
  op: OperationKind
  sleep: (ms: number) => Promise<void>
  now: () => number
  /** Bound of every wait and of every busy-retry loop of the step. */
  waitTimeoutMs: number
  random?: () => number
  /** Abandons the step's waits when aborted (`sleep` stops too); calls already sent are not cut off. */
  signal?: AbortSignal
}

/** Status of one part of a step (createTable has parts: table, ttl, pitr, tags, sse, tableClass). */
export type PartStatus = 'done' | 'skipped' | 'unsupported'

/** The result of one part of a step. */
export type PartResult = { part: string; status: PartStatus; detail?: string }

/**
 * What a step function returns; failures are thrown. `backup`: the one taken before a deletion.
 * `unsupported`: the parts of a step that did its job which the endpoint could not do or report (they are
 * in `parts` too).
 */
export type Outcome = {
  status: PartStatus
  detail?: string
  parts?: PartResult[]
  unsupported?: string[]
  backup?: BackupRecord
}

/** Backoff between retries of a refused control-plane call: 1 s doubling to 1 min (account-wide limits). */
export const BUSY_BACKOFF: Backoff = { baseMs: 1_000, capMs: 60_000 }

/**
 * DynamoDB Local runs index builds and TTL sweeps on one pool of 10 job threads, and every table with TTL
 * enabled holds a thread for as long as it exists: with about seven TTL tables an index build is queued
 * forever, CREATING without backfilling (measured with DynamoDB Local 3.3). A build that has not started
 * after this long on DynamoDB Local fails with the way out instead of waiting for hours.
 */
export const LOCAL_INDEX_STALL_MS = 60_000

/** ResourceInUse answers tolerated while the table looks settled before the refusal is surfaced. */
const SETTLED_REFUSALS = 3

/** Emits a step event for the context's table and operation. */
export function report(ctx: StepContext, status: 'sent' | 'waiting', detail: string): void {
  ctx.emit({ kind: 'step', table: ctx.table, op: ctx.op, status, detail })
}

/**
 * Wait options bound to the step: its clock and timeout, and an `onPoll` that emits a `waiting` step
 * event each time the table's pending state changes (e.g. `index ScoreIndex CREATING (backfilling)`).
 * `untilGone`: the wait is for the table's deletion, so a table that no longer exists is the end of the
 * wait, not something to wait on.
 */
export function waitOptions(ctx: StepContext, untilGone = false): WaitOptions {
  let last = ''
  let stalledSince: number | undefined
  return {
    sleep: ctx.sleep,
    now: ctx.now,
    timeoutMs: ctx.waitTimeoutMs,
    ...(ctx.random ? { random: ctx.random } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onPoll: (table: TableDescription | undefined) => {
      if (table === undefined ? untilGone : isSettled(table)) return
      if (table !== undefined && localIndexQueued(table)) {
        stalledSince ??= ctx.now()
        if (ctx.now() - stalledSince >= LOCAL_INDEX_STALL_MS) throw localStall(ctx.table)
      } else stalledSince = undefined
      const summary = pendingSummary(table)
      if (summary !== last) report(ctx, 'waiting', summary)
      last = summary
    },
  }
}

/** On DynamoDB Local (its ARNs name the region `ddblocal`), an index still CREATING and not backfilling. */
function localIndexQueued(table: TableDescription): boolean {
  if (!(table.TableArn ?? '').startsWith('arn:aws:dynamodb:ddblocal:')) return false
  return (table.GlobalSecondaryIndexes ?? []).some(
    (g) => g.IndexStatus === 'CREATING' && g.Backfilling !== true,
  )
}

function localStall(table: string): DdbmError {
  return new DdbmError(
    'MIGRATION_FAILED',
    `DynamoDB Local has not started building the index of ${table} in ${LOCAL_INDEX_STALL_MS / 1000} s`,
    { table },
    {
      hint: 'DynamoDB Local builds indexes on 10 job threads and every table with TTL enabled holds one; delete tables you no longer need (or restart it: `ddbm local stop`), then re-run.',
    },
  )
}

/** Waits until the table and every GSI are ACTIVE, emitting progress; returns the description. */
export function settle(ctx: StepContext): Promise<TableDescription> {
  return waitForTableActive(ctx.client, ctx.table, waitOptions(ctx))
}

/** The live table in the one model verify uses too, or undefined when it does not exist. */
export function readLive(ctx: StepContext): Promise<LiveTable | undefined> {
  return readLiveTable(ctx.client, ctx.table)
}

/** The live table, or a MIGRATION_FAILED error naming it when it does not exist. */
export async function requireLive(ctx: StepContext): Promise<LiveTable> {
  const live = await readLive(ctx)
  if (live === undefined) {
    throw new DdbmError('MIGRATION_FAILED', `table ${ctx.table} does not exist`)
  }
  return live
}

/** True for the SDK's LimitExceededException (too many control-plane operations, or one GSI at a time). */
export function isLimitExceeded(err: unknown): boolean {
  return err instanceof Error && err.name === 'LimitExceededException'
}

/**
 * Sends one state-changing call (`command` names it in the `sent` event). LimitExceededException and
 * (unless `retryInUse` is false) ResourceInUseException are waited out, never surfaced while the step's
 * time budget lasts: wait until the table and its GSIs are ACTIVE (or back off when they already are, as
 * account-wide limits need), then send again. A ResourceInUse answered repeatedly while the table is
 * settled is surfaced, since waiting cannot change it.
 */
export async function mutate<T>(
  ctx: StepContext,
  command: string,
  send: () => Promise<T>,
  retryInUse = true,
): Promise<T> {
  const start = ctx.now()
  let settledRefusals = 0
  for (let attempt = 0; ; attempt++) {
    report(ctx, 'sent', command)
    try {
      return await send()
    } catch (err) {
      const inUse = retryInUse && isResourceInUse(err)
      if (!(inUse || isLimitExceeded(err))) throw err
      if (ctx.now() - start >= ctx.waitTimeoutMs) throw err
      report(ctx, 'waiting', `${command} refused (${messageOf(err)}); retrying`)
      const live = await describeTable(ctx.client, ctx.table)
      if (live === undefined || isSettled(live)) {
        if (inUse && ++settledRefusals > SETTLED_REFUSALS) throw err
        await ctx.sleep(backoffDelay(attempt, BUSY_BACKOFF, ctx.random))
      } else {
        await settle(ctx)
      }
    }
  }
}

/**
 * One outcome from a step's parts: `done` when any part changed something, else `skipped` when any part
 * was already in place, else (every part unsupported) `unsupported`. A step that did its job is never
 * labelled by the parts the endpoint could not do: those are listed apart in `unsupported` (and stay in
 * `parts` with their reasons, for --json and --verbose). The detail says what changed (`created, TTL
 * enabled on expiresAt`), or `already in place` when nothing did.
 */
export function combine(parts: PartResult[]): Outcome {
  const status: PartStatus = parts.some((p) => p.status === 'done')
    ? 'done'
    : parts.some((p) => p.status === 'skipped')
      ? 'skipped'
      : 'unsupported'
  const unsupported = parts.filter((p) => p.status === 'unsupported').map((p) => p.part)
  const detail =
    status === 'done'
      ? parts
          .filter((p) => p.status === 'done')
          .map((p) => p.detail ?? p.part)
          .join(', ')
      : status === 'skipped'
        ? 'already in place'
        : parts.map((p) => p.detail ?? p.part).join('; ')
  return {
    status,
    parts,
    ...(detail ? { detail } : {}),
    ...(status !== 'unsupported' && unsupported.length > 0 ? { unsupported } : {}),
  }
}

/** A part result from a sub-step's outcome. */
export function part(name: string, outcome: Outcome): PartResult {
  return {
    part: name,
    status: outcome.status,
    ...(outcome.detail ? { detail: outcome.detail } : {}),
  }
}
