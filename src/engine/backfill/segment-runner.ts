import {
  DeleteItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type ConsumedCapacity,
  type DynamoDBClient,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { DdbmError, messageOf } from '../../errors.js'
import type { Pacer } from '../../backfill/pacer.js'
import { addCounts, ZERO_COUNTS, type Counts, type SegmentState } from '../../backfill/segments.js'
import { writeOf, type Item, type ResolvedSpec, type Write } from '../../backfill/spec.js'
import { updateExpression } from '../runner/update-expression.js'
import { classifyFailure, retryDelay } from '../write/retry-policy.js'
import type { BackfillRef, BackfillStore, CheckpointOutcome } from './backfill-store.js'

/** Resends of one write (throttled or a 5xx) before the backfill fails. */
const MAX_ATTEMPTS = 10

/** What a segment's run needs; `stopped()` is polled between pages (interrupt, failure, lost lease). */
export type SegmentDeps = {
  /** Watched by `watchThrottles` feeding `pacer`: every throttled attempt reaches the pacer that way. */
  client: DynamoDBClient
  /** Physical table written (and scanned, unless spec.index). */
  table: string
  spec: ResolvedSpec
  keyNames: readonly string[]
  pacer: Pacer
  store: BackfillStore
  ref: BackfillRef
  owner: string
  /**
   * Writes a checkpoint fenced by the migration lock's current owner. The caller handles a lock that
   * changed hands (a worker re-reads it); it returns the final outcome.
   */
  checkpoint: (
    index: number,
    progress: { lastKey?: string; counts: Counts; done: boolean },
  ) => Promise<CheckpointOutcome>
  /** Counts of a page, as soon as it is checkpointed (this process's totals). */
  onPage: (delta: Counts) => void
  stopped: () => boolean
  sleep: (ms: number) => Promise<void>
  random?: () => number
}

/** How a segment's run ended: done, its lease taken by another process, or stopped at a page boundary. */
export type SegmentOutcome = 'done' | 'lease-lost' | 'stopped'

/**
 * Works on claimed segment `state` from its checkpoint: reads a page (Scan with Segment/TotalSegments and
 * the spec's Limit, the next page prefetched while this one is written), transforms and writes its items
 * (`writeConcurrency` in flight, paced), then checkpoints the page's LastEvaluatedKey and counts. Items
 * between two checkpoints are processed again when the run dies in between: transforms must converge.
 * A write refused for its content, or a transform that throws, fails the backfill (MIGRATION_FAILED naming
 * the item) before the page is checkpointed, so nothing is skipped silently.
 */
export async function runSegment(state: SegmentState, deps: SegmentDeps): Promise<SegmentOutcome> {
  const { spec } = deps
  let counts: Counts = state.counts
  const scan = (startKey: string | undefined) => scanPage(deps, state.index, startKey)
  let next: Promise<ScanCommandOutput> | undefined = scan(state.lastKey)
  try {
    while (next !== undefined) {
      const page = await next
      next = undefined
      if (deps.stopped()) return 'stopped'
      const lastKey =
        page.LastEvaluatedKey === undefined ? undefined : JSON.stringify(page.LastEvaluatedKey)
      if (lastKey !== undefined) next = scan(lastKey)
      const delta = await writePage(deps, page)
      counts = addCounts(counts, delta)
      const outcome = await deps.checkpoint(state.index, {
        ...(lastKey === undefined ? {} : { lastKey }),
        counts,
        done: lastKey === undefined,
      })
      if (outcome === 'lease-lost') return 'lease-lost'
      if (outcome === 'lock-lost') {
        throw new DdbmError(
          'LOCK_LOST',
          `Backfill ${spec.name}: the migration lock changed hands; segment ${state.index} stopped`,
          {
            holder: undefined,
            table: deps.table,
          },
        )
      }
      deps.onPage(delta)
      if (lastKey === undefined) return 'done'
    }
    return 'done'
  } finally {
    // A prefetched page nobody reads: settle it quietly.
    next?.catch(() => {})
  }
}

async function scanPage(
  deps: SegmentDeps,
  segment: number,
  startKey: string | undefined,
): Promise<ScanCommandOutput> {
  const { spec, pacer } = deps
  const values =
    spec.values === undefined ? undefined : marshall(spec.values, { removeUndefinedValues: true })
  for (let attempt = 1; ; attempt++) {
    await wait(deps, pacer.delay('read'))
    try {
      const out = await deps.client.send(
        new ScanCommand({
          TableName: deps.table,
          ...(spec.index === undefined ? {} : { IndexName: spec.index }),
          Segment: segment,
          TotalSegments: spec.segments,
          Limit: spec.pageSize,
          ReturnConsumedCapacity: 'TOTAL',
          ...(startKey === undefined
            ? {}
            : { ExclusiveStartKey: JSON.parse(startKey) as Record<string, AttributeValue> }),
          ...(spec.filter === undefined ? {} : { FilterExpression: spec.filter }),
          ...(spec.names === undefined ? {} : { ExpressionAttributeNames: spec.names }),
          ...(values === undefined || Object.keys(values).length === 0
            ? {}
            : { ExpressionAttributeValues: values }),
        }),
      )
      pacer.consume('read', unitsOf(out.ConsumedCapacity) ?? readEstimate(out.Items ?? []))
      return out
    } catch (err) {
      // A throttle was already reported to the pacer by the watcher on the client (every attempt).
      const kind = classifyFailure(err)
      if ((kind !== 'throttle' && kind !== 'retryable') || attempt >= MAX_ATTEMPTS) {
        throw new DdbmError(
          'MIGRATION_FAILED',
          `Backfill ${spec.name}: scanning segment ${segment} of ${deps.table} failed: ${messageOf(err)}`,
          { table: deps.table },
          { cause: err },
        )
      }
      await wait(deps, retryDelay(attempt, deps.random ?? Math.random))
    }
  }
}

/** Transforms and writes one page's items; the counts of the page. */
async function writePage(deps: SegmentDeps, page: ScanCommandOutput): Promise<Counts> {
  const items = page.Items ?? []
  const counts: Counts = {
    ...ZERO_COUNTS,
    scanned: page.ScannedCount ?? items.length,
    matched: items.length,
    readUnits: unitsOf(page.ConsumedCapacity) ?? readEstimate(items),
  }
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const raw = items[next++] as Record<string, AttributeValue>
      const item = unmarshall(raw)
      const write = await transformed(deps, item)
      if (write === undefined) {
        counts.skipped++
        continue
      }
      const { written, units } = await send(deps, write)
      counts.writeUnits += units
      if (written) counts.written++
      else counts.skipped++
    }
  }
  await Promise.all(
    Array.from({ length: Math.min(deps.spec.writeConcurrency, items.length) }, lane),
  )
  return counts
}

async function transformed(deps: SegmentDeps, item: Item): Promise<Write | undefined> {
  try {
    return writeOf(await deps.spec.transform(item), item, deps.keyNames)
  } catch (err) {
    const key = preview(Object.fromEntries(deps.keyNames.map((k) => [k, item[k]])))
    throw new DdbmError(
      'MIGRATION_FAILED',
      `Backfill ${deps.spec.name}: the transform failed for ${key}: ${messageOf(err)}`,
      { table: deps.table, item: key },
      {
        cause: err,
        ...(err instanceof DdbmError && err.hintOverride !== undefined
          ? { hint: err.hintOverride }
          : {}),
      },
    )
  }
}

/** Sends one write, resending throttled and 5xx ones with backoff; a false condition is a skip. */
async function send(deps: SegmentDeps, write: Write): Promise<{ written: boolean; units: number }> {
  const { pacer } = deps
  const sendWrite = commandOf(deps, write)
  for (let attempt = 1; ; attempt++) {
    await wait(deps, pacer.delay('write'))
    try {
      const out = await sendWrite()
      const units = unitsOf(out.ConsumedCapacity) ?? writeEstimate(write)
      pacer.consume('write', units)
      return { written: true, units }
    } catch (err) {
      if (err instanceof Error && err.name === 'ConditionalCheckFailedException') {
        // A failed condition still consumes write capacity (1 unit for an item up to 1 KB).
        pacer.consume('write', 1)
        return { written: false, units: 1 }
      }
      // A throttle was already reported to the pacer by the watcher on the client (every attempt).
      const kind = classifyFailure(err)
      if ((kind !== 'throttle' && kind !== 'retryable') || attempt >= MAX_ATTEMPTS) {
        const key = preview(write.key)
        throw new DdbmError(
          'MIGRATION_FAILED',
          `Backfill ${deps.spec.name}: the ${write.kind} of ${key} in ${deps.table} failed: ${messageOf(err)}`,
          { table: deps.table, item: key },
          { cause: err },
        )
      }
      await wait(deps, retryDelay(attempt, deps.random ?? Math.random))
    }
  }
}

/** The call of one write, ready to send (again). */
function commandOf(
  deps: SegmentDeps,
  write: Write,
): () => Promise<{ ConsumedCapacity?: ConsumedCapacity | undefined }> {
  const { client } = deps
  const TableName = deps.table
  const Key = marshall(write.key, { removeUndefinedValues: true })
  const c = write.conditional
  const placeholders = (names: Record<string, string>, values: Record<string, unknown>) => ({
    ...(Object.keys(names).length === 0 ? {} : { ExpressionAttributeNames: names }),
    ...(Object.keys(values).length === 0
      ? {}
      : { ExpressionAttributeValues: marshall(values, { removeUndefinedValues: true }) }),
  })
  const condition = c.condition === undefined ? {} : { ConditionExpression: c.condition }
  const common = { TableName, ReturnConsumedCapacity: 'TOTAL' as const, ...condition }
  switch (write.kind) {
    case 'put': {
      const cmd = new PutItemCommand({
        ...common,
        Item: marshall(write.item, { removeUndefinedValues: true }),
        ...placeholders(c.names ?? {}, c.values ?? {}),
      })
      return () => client.send(cmd)
    }
    case 'delete': {
      const cmd = new DeleteItemCommand({
        ...common,
        Key,
        ...placeholders(c.names ?? {}, c.values ?? {}),
      })
      return () => client.send(cmd)
    }
    case 'update': {
      const { expression, names, values } = updateExpression(deps.spec.table, {
        ...(write.set === undefined ? {} : { set: write.set }),
        ...(write.remove === undefined ? {} : { remove: write.remove }),
        ...(write.expression === undefined ? {} : { expression: write.expression }),
        ...(c.names === undefined ? {} : { names: c.names }),
        ...(c.values === undefined ? {} : { values: c.values }),
      })
      const cmd = new UpdateItemCommand({
        ...common,
        Key,
        UpdateExpression: expression,
        ...placeholders(names, values),
      })
      return () => client.send(cmd)
    }
  }
}

async function wait(deps: SegmentDeps, ms: number): Promise<void> {
  if (ms > 0) await deps.sleep(ms)
}

function unitsOf(c: ConsumedCapacity | undefined): number | undefined {
  return c?.CapacityUnits
}

/** Eventually consistent reads cost half a unit per 4 KB (when an endpoint does not report capacity). */
function readEstimate(items: readonly Record<string, AttributeValue>[]): number {
  const bytes = items.reduce((n, item) => n + JSON.stringify(item).length, 0)
  return Math.max(0.5, Math.ceil(bytes / 4096) / 2)
}

/** A write costs a unit per KB of the item (1 for an update or delete we cannot size). */
function writeEstimate(write: Write): number {
  return write.kind === 'put' ? Math.max(1, Math.ceil(JSON.stringify(write.item).length / 1024)) : 1
}

function preview(item: Item): string {
  const text = JSON.stringify(item, (_k, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v instanceof Set ? [...(v as Set<unknown>)] : v,
  )
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}
