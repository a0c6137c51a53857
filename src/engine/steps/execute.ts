import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DEFAULT_WAIT_TIMEOUT_MS } from '../../dynamo/wait.js'
import { DdbmError, messageOf } from '../../errors.js'
import type { Emit } from '../../events.js'
import { interruptedError, interruptibleSleep, isInterruption } from '../../interrupt.js'
import { describeOperation } from '../../plan/describe.js'
import type { BackupRecord } from '../../plan/history.js'
import type { LiveTable } from '../../plan/live-table.js'
import { dispatch, type Operation, type PerKind } from '../../schema/operation.js'
import {
  requireLive,
  settle,
  type Outcome,
  type PartResult,
  type StepContext,
} from './step-context.js'
import type { BackupPolicy } from './backup.js'
import { createGsi, deleteGsi } from './index-steps.js'
import { convergePitr, convergeTtl } from './property-steps.js'
import {
  tag,
  untag,
  updateBilling,
  updateDeletionProtection,
  updateSse,
  updateStream,
  updateTableClass,
} from './setting-steps.js'
import { createTable, deleteTable } from './table-steps.js'
import { DEFAULT_TABLE_CONCURRENCY } from './table-concurrency.js'

export type { PartResult } from './step-context.js'

/** What the executor needs; clock and sleep are injectable so tests never really wait. */
export type EngineDeps = {
  client: DynamoDBClient
  emit: Emit
  /** Physical table name of a logical one (the environment's template). */
  tableName(logical: string): string
  /** Default a real `setTimeout`. */
  sleep?: (ms: number) => Promise<void>
  /** Default `Date.now`. */
  now?: () => number
  /**
   * Bound of each wait (table/GSI ACTIVE, deletion) and of each busy-retry loop (LimitExceeded,
   * ResourceInUse); default {@link DEFAULT_WAIT_TIMEOUT_MS} (6 h: a GSI backfill can take that long).
   */
  waitTimeoutMs?: number
  /**
   * Take an on-demand backup before each deleteTable and deleteGsi, where the endpoint supports it (the
   * environment's `backups: "before-destructive"`). Default false.
   */
  backupBeforeDelete?: boolean
  /** Hears of each backup once it is AVAILABLE, before its deletion is sent (the runner records it). */
  onBackup?: (backup: BackupRecord) => void | Promise<void>
  /** Tables worked on at once (each table's operations stay in order); default {@link DEFAULT_TABLE_CONCURRENCY}. */
  concurrency?: number
  /**
   * Stops at a safe point when aborted: no further step starts, a call already sent is answered, and a
   * wait under way (a GSI backfill, a table becoming ACTIVE) is abandoned, DynamoDB going on with it.
   */
  signal?: AbortSignal
}

/**
 * Status of a step: `not-run` for the steps after a failed one (or never started because of an
 * interruption); `interrupted` for a step whose wait was abandoned.
 */
export type StepStatus = 'done' | 'skipped' | 'unsupported' | 'failed' | 'interrupted' | 'not-run'

/** The result of one operation. JSON-safe: it goes into `details.results` of MIGRATION_FAILED. */
export type StepResult = {
  /** 0-based position in the list. */
  index: number
  op: Operation['op']
  /** Physical table name. */
  table: string
  status: StepStatus
  ms: number
  /** What happened (skip reason, unsupported reason, failure message). */
  detail?: string
  /** The parts of a step made of several calls (createTable: table, ttl, pitr, tags, sse, tableClass). */
  parts?: PartResult[]
  /** The backup taken before this deletion. */
  backup?: BackupRecord
}

/**
 * SDK command names (as `context.commandName` in SDK middleware) the executor may send that change state.
 * Every other call it makes is a read (Describe*, ListTagsOfResource): a re-run over converged tables
 * sends none of these.
 */
export const mutatingCommands: ReadonlySet<string> = new Set([
  'CreateTableCommand',
  'DeleteTableCommand',
  'UpdateTableCommand',
  'UpdateTimeToLiveCommand',
  'UpdateContinuousBackupsCommand',
  'TagResourceCommand',
  'UntagResourceCommand',
  'CreateBackupCommand',
])

export { DEFAULT_TABLE_CONCURRENCY }

/**
 * Runs `ops` against live tables: each table's operations in order, different tables' chains concurrently
 * (operations on different tables are independent in DynamoDB), at most `deps.concurrency` chains at once
 * (default {@link DEFAULT_TABLE_CONCURRENCY}). Every step converges: it reads the live state first and skips
 * what is already in place, so re-running after a crash is safe. Between a table's steps (and before
 * returning) the table and all its GSIs are ACTIVE. An operation the endpoint does not implement (DynamoDB
 * Local: PITR, tags) is `unsupported`, emitted as such, and the run continues: it is never reported as done;
 * a step that did its job with parts the endpoint could not do (createTable with PITR on DynamoDB Local) is
 * `done`, its `parts` saying which are unsupported, and its event listing them in `unsupported`.
 * The first failure stops the run: no further step starts, the steps of other tables already under way
 * finish (so no call is left in flight), the failed step is `failed`, the steps never started `not-run`,
 * and a DdbmError MIGRATION_FAILED is thrown naming the first failed step, with `details.results` (in
 * operation order, like the returned results) and the cause kept.
 */
export async function execute(ops: readonly Operation[], deps: EngineDeps): Promise<StepResult[]> {
  const now = deps.now ?? Date.now
  const backup: BackupPolicy | undefined =
    deps.backupBeforeDelete === true
      ? deps.onBackup === undefined
        ? {}
        : { taken: deps.onBackup }
      : undefined
  const results: StepResult[] = ops.map((op, index) => ({
    index,
    op: op.op,
    table: deps.tableName(op.table),
    status: 'not-run',
    ms: 0,
  }))
  const chains = new Map<string, number[]>()
  for (const r of results) chains.set(r.table, [...(chains.get(r.table) ?? []), r.index])
  let failure: { index: number; text: string; err: unknown } | undefined
  let stopped: { index: number; text: string } | undefined
  const { signal } = deps

  const runStep = async (i: number): Promise<void> => {
    const op = ops[i] as Operation
    const result = results[i] as StepResult
    const text = describeOperation(op, result.table)
    const ctx: StepContext = {
      client: deps.client,
      emit: deps.emit,
      table: result.table,
      op: op.op,
      sleep: interruptibleSleep(deps.sleep, signal, `during ${text}`),
      now,
      waitTimeoutMs: deps.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS,
      ...(signal === undefined ? {} : { signal }),
    }
    deps.emit({ kind: 'log', level: 'debug', message: `step ${i + 1}/${ops.length}: ${text}` })
    const start = now()
    try {
      const outcome = await dispatch(STEPS, op, ctx, backup)
      Object.assign(result, {
        status: outcome.status,
        ms: now() - start,
        ...(outcome.detail ? { detail: outcome.detail } : {}),
        ...(outcome.parts ? { parts: outcome.parts } : {}),
        ...(outcome.backup ? { backup: outcome.backup } : {}),
      })
      deps.emit({
        kind: 'step',
        table: result.table,
        op: op.op,
        status: outcome.status,
        ...(outcome.detail ? { detail: outcome.detail } : {}),
        ...(outcome.unsupported ? { unsupported: outcome.unsupported } : {}),
      })
    } catch (err) {
      const status = isInterruption(err, signal) ? 'interrupted' : 'failed'
      const message = messageOf(err)
      Object.assign(result, { status, ms: now() - start, detail: message })
      deps.emit({ kind: 'step', table: result.table, op: op.op, status, detail: message })
      if (status === 'failed') failure ??= { index: i, text, err }
      else stopped ??= { index: i, text }
    }
  }
  await pool([...chains.values()], deps.concurrency ?? DEFAULT_TABLE_CONCURRENCY, async (chain) => {
    for (const i of chain) {
      if (failure !== undefined || signal?.aborted === true) return
      await runStep(i)
    }
  })
  if (
    failure === undefined &&
    results.some((r) => r.status === 'not-run' || r.status === 'interrupted')
  ) {
    // Only an abort leaves steps unfinished without a failure.
    const first = results.find(
      (r) => r.status !== 'done' && r.status !== 'skipped' && r.status !== 'unsupported',
    ) as StepResult
    const at = stopped ?? {
      index: first.index,
      text: describeOperation(ops[first.index] as Operation, first.table),
    }
    const where =
      stopped === undefined
        ? `before step ${at.index + 1}/${ops.length} (${at.text})`
        : `during step ${at.index + 1}/${ops.length} (${at.text}): its wait was abandoned, and DynamoDB goes on with what was sent`
    throw interruptedError(signal, where, { results })
  }
  if (failure !== undefined) {
    const { index, text, err } = failure
    throw new DdbmError(
      'MIGRATION_FAILED',
      `step ${index + 1}/${ops.length} (${text}) failed: ${messageOf(err)}`,
      { results },
      { cause: err },
    )
  }
  return results
}

/** Runs `work` on every item, at most `limit` at once, in the items' order of starting. */
async function pool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T)
  }
  const cap = Number.isFinite(limit) ? Math.floor(limit) : items.length
  const n = Math.max(1, Math.min(cap, items.length))
  await Promise.all(Array.from({ length: n }, worker))
}

/**
 * The step of every operation kind: `(op, ctx, backup)`, `backup` being set for deleteTable and deleteGsi
 * when the environment takes backups before deletions. Each reads the live table first and skips what plan/in-place.ts calls in place, so
 * re-running after a crash is safe. A new operation kind fails to compile until it has an entry here (and
 * in the planner's FOLD, INVERT and DESCRIBE maps).
 */
export const STEPS: PerKind<
  [ctx: StepContext, backup: BackupPolicy | undefined],
  Promise<Outcome>
> = {
  createTable: (op, ctx) => createTable(ctx, op),
  deleteTable: (_op, ctx, backup) => deleteTable(ctx, backup),
  createGsi: (op, ctx) => createGsi(ctx, op),
  deleteGsi: (op, ctx, backup) => deleteGsi(ctx, op, backup),
  updateTtl: (op, ctx) => settled(ctx, (live) => convergeTtl(ctx, op.ttl, live)),
  updatePitr: (op, ctx) => settled(ctx, (live) => convergePitr(ctx, op.pitr, live)),
  updateBilling: (op, ctx) => updateBilling(ctx, op),
  updateStream: (op, ctx) => updateStream(ctx, op),
  updateSse: (op, ctx) => updateSse(ctx, op),
  updateDeletionProtection: (op, ctx) => updateDeletionProtection(ctx, op),
  updateTableClass: (op, ctx) => updateTableClass(ctx, op),
  tag: (op, ctx) => tag(ctx, op),
  untag: (op, ctx) => untag(ctx, op),
}

/**
 * Runs a TTL or PITR step once the table exists and is settled (their Describe calls answer
 * differently per engine for a missing table; UpdateTimeToLive is refused while the table is busy).
 */
async function settled(
  ctx: StepContext,
  step: (live: LiveTable) => Promise<Outcome>,
): Promise<Outcome> {
  await requireLive(ctx)
  await settle(ctx)
  return step(await requireLive(ctx))
}
