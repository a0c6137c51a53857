import type { Operation } from '../schema/operation.js'
import type { GlobalSecondaryIndex, TableSchema } from '../schema/table-schema.js'
import { billingDiffers, billingOperation, createGsiOperation, same, step } from './diff-ops.js'

/**
 * The operations that bring an existing table from `from` to `to` (both normalized, and free of the
 * changes `tableProblems` refuses), in the order terraform's `aws_dynamodb_table` applies them:
 *
 * 1. GSI deletes (removed indexes, and changed ones that are rebuilt), one per operation.
 * 2. Billing and GSI creates, one GSI per operation. When the billing mode switches, the switch comes
 *    first, then the creates: a GSI created on a PROVISIONED table needs ProvisionedThroughput, and on a
 *    PAY_PER_REQUEST table it must have none, so creating it after the switch lets each createGsi carry
 *    exactly its target definition in both directions (before a switch to PAY_PER_REQUEST it would need
 *    throughput the target does not have; before a switch to PROVISIONED it would have to be created
 *    without throughput and provisioned by the switch). Deleting first also spares the switch to
 *    PROVISIONED from provisioning indexes that are about to go. Without a switch the creates come first
 *    and the throughput change after, listing every GSI (the new ones with the throughput they were
 *    created with).
 * 3. Stream (a view type change is a disable, then an enable: DynamoDB refuses a second stream).
 * 4. TTL, PITR, SSE (alone in its UpdateTable), deletion protection, table class, tags (untag, then tag).
 */
export function planTableUpdate(
  name: string,
  from: TableSchema,
  to: TableSchema,
): { ops: Operation[]; notes: string[] } {
  const ops: Operation[] = []
  const notes: string[] = []
  let current = from
  const emit = (op: Operation) => {
    ops.push(op)
    current = step(name, current, op)
  }

  const before = indexMap(from)
  const after = indexMap(to)
  const rebuilt = [...before].filter(([n, g]) => {
    const target = after.get(n)
    return target !== undefined && !same(indexShape(from, g), indexShape(to, target))
  })
  for (const [n] of rebuilt) {
    notes.push(
      `${name}: index ${n} is rebuilt (its keys or projection changed); it is unavailable while it builds`,
    )
  }
  const rebuiltNames = new Set(rebuilt.map(([n]) => n))
  for (const n of before.keys()) {
    if (!after.has(n) || rebuiltNames.has(n)) emit({ op: 'deleteGsi', table: name, indexName: n })
  }
  const billing = () => {
    if (billingDiffers(current, to)) emit(billingOperation(name, current, to))
  }
  const switching = from.BillingMode !== to.BillingMode
  if (switching) billing()
  for (const [n, g] of after) {
    if (!before.has(n) || rebuiltNames.has(n)) emit(createGsiOperation(name, to, g))
  }
  if (!switching) billing()

  const stream = to.StreamSpecification ?? null
  if (!same(from.StreamSpecification ?? null, stream)) {
    if (from.StreamSpecification && stream) {
      notes.push(
        `${name}: the stream is disabled, then enabled with ${stream.StreamViewType} (a view type cannot change in place); consumers must switch to the new stream`,
      )
      emit({ op: 'updateStream', table: name, stream: null })
    }
    emit({ op: 'updateStream', table: name, stream })
  }

  const ttl = from.TimeToLiveSpecification
  if (!ttl && to.TimeToLiveSpecification) {
    emit({ op: 'updateTtl', table: name, ttl: to.TimeToLiveSpecification })
  } else if (ttl && !to.TimeToLiveSpecification) {
    emit({ op: 'updateTtl', table: name, ttl: { ...ttl, Enabled: false } })
  }

  const pitr = to.PointInTimeRecoverySpecification ?? { PointInTimeRecoveryEnabled: false }
  if (!same(from.PointInTimeRecoverySpecification ?? { PointInTimeRecoveryEnabled: false }, pitr)) {
    emit({ op: 'updatePitr', table: name, pitr })
  }
  const sse = to.SSESpecification ?? { SSEEnabled: false }
  if (!same(from.SSESpecification ?? { SSEEnabled: false }, sse)) {
    emit({ op: 'updateSse', table: name, sse })
  }
  const enabled = to.DeletionProtectionEnabled === true
  if ((from.DeletionProtectionEnabled === true) !== enabled) {
    emit({ op: 'updateDeletionProtection', table: name, enabled })
  }
  const tableClass = to.TableClass ?? 'STANDARD'
  if ((from.TableClass ?? 'STANDARD') !== tableClass) {
    emit({ op: 'updateTableClass', table: name, tableClass })
  }

  const oldTags = new Map((from.Tags ?? []).map((t) => [t.Key, t.Value]))
  const newKeys = new Set((to.Tags ?? []).map((t) => t.Key))
  const removed = [...oldTags.keys()].filter((k) => !newKeys.has(k))
  if (removed.length > 0) emit({ op: 'untag', table: name, keys: removed })
  const changed = (to.Tags ?? []).filter((t) => oldTags.get(t.Key) !== t.Value)
  if (changed.length > 0) emit({ op: 'tag', table: name, tags: changed })

  return { ops, notes }
}

/** The GSIs of a normalized table by name, in name order. */
function indexMap(t: TableSchema): Map<string, GlobalSecondaryIndex> {
  return new Map((t.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, g]))
}

/** What cannot change without rebuilding an index: its keys with their types, and its projection. */
export function indexShape(
  t: TableSchema,
  index: { KeySchema: TableSchema['KeySchema']; Projection: GlobalSecondaryIndex['Projection'] },
): unknown {
  return {
    keys: keyShape(t, index.KeySchema),
    projection: index.Projection,
  }
}

/** Key elements with the attribute types `t` defines for them. */
export function keyShape(t: TableSchema, keys: TableSchema['KeySchema']): unknown {
  return keys.map((k) => [
    k.AttributeName,
    k.KeyType,
    t.AttributeDefinitions.find((a) => a.AttributeName === k.AttributeName)?.AttributeType,
  ])
}
