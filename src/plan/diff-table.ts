import type { Operation, OperationKind, OperationOf } from '../schema/operation.js'
import type { GlobalSecondaryIndex, TableSchema } from '../schema/table-schema.js'
import { billingDiffers, billingOperation, createGsiOperation, same, step } from './diff-ops.js'

/** One table's change as a property planner sees it; every table is normalized. */
export type TableChange = {
  /** The table's logical name. */
  name: string
  /** The table as the migrations so far leave it. */
  from: TableSchema
  /** The table as schemas/ defines it. */
  to: TableSchema
  /** `from` after the operations of the planners before this one. */
  current: TableSchema
}

/** What a planner adds to the plan: its operations, in order, and notes for the user. */
export type Planned = { ops: readonly Operation[]; notes?: readonly string[] }

/** One entry of PROPERTY_PLANNERS: a property of a table, and how its change is planned. */
export type PropertyPlanner = {
  /** What it plans, for readers and tests, e.g. `stream`. */
  property: string
  /** The kind of every operation it emits. */
  emits: OperationKind
  /** Compares the sides of `change` and gives the operations that bring the property to `to`. */
  plan: (change: TableChange) => Planned
}

/**
 * The property planners of planTableUpdate, in the order their operations are emitted (the order
 * terraform's `aws_dynamodb_table` applies them):
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
 *
 * To add an operation kind: add it to schema/operation.ts, then the compiler points at FOLD
 * (table-state.ts), INVERT (invert.ts), DESCRIBE (describe.ts), DESTRUCTIVE_BY_KIND and the executor's
 * STEPS; add a planner entry here if `generate` should emit it, at the place in this list where its
 * operations must run. A planner gives `up` only: `down` is `invert(up)`, through INVERT. Whole tables
 * (createTable, deleteTable) are planned by `diff` itself.
 */
export const PROPERTY_PLANNERS: readonly PropertyPlanner[] = [
  planner('GSI deletes', 'deleteGsi', ({ name, from, to }) => {
    const { before, after, rebuilt } = gsiChanges(from, to)
    return {
      ops: [...before.keys()]
        .filter((n) => !after.has(n) || rebuilt.has(n))
        .map((n) => ({ op: 'deleteGsi', table: name, indexName: n })),
      notes: [...rebuilt].map(
        (n) =>
          `${name}: index ${n} is rebuilt (its keys or projection changed); it is unavailable while it builds`,
      ),
    }
  }),
  planner('billing mode switch', 'updateBilling', ({ name, from, to, current }) => ({
    ops:
      from.BillingMode !== to.BillingMode && billingDiffers(current, to)
        ? [billingOperation(name, current, to)]
        : [],
  })),
  planner('GSI creates', 'createGsi', ({ name, from, to }) => {
    const { before, after, rebuilt } = gsiChanges(from, to)
    return {
      ops: [...after]
        .filter(([n]) => !before.has(n) || rebuilt.has(n))
        .map(([, g]) => createGsiOperation(name, to, g)),
    }
  }),
  planner('throughput', 'updateBilling', ({ name, from, to, current }) => ({
    ops:
      from.BillingMode === to.BillingMode && billingDiffers(current, to)
        ? [billingOperation(name, current, to)]
        : [],
  })),
  planner('stream', 'updateStream', ({ name, from, to }) => {
    const old = from.StreamSpecification ?? null
    const stream = to.StreamSpecification ?? null
    if (same(old, stream)) return { ops: [] }
    if (old === null || stream === null)
      return { ops: [{ op: 'updateStream', table: name, stream }] }
    return {
      ops: [
        { op: 'updateStream', table: name, stream: null },
        { op: 'updateStream', table: name, stream },
      ],
      notes: [
        `${name}: the stream is disabled, then enabled with ${stream.StreamViewType} (a view type cannot change in place); consumers must switch to the new stream`,
      ],
    }
  }),
  setting(
    'TTL',
    'updateTtl',
    (t) => t.TimeToLiveSpecification ?? null,
    (ttl, old, name) => {
      if (old === null && ttl !== null) return [{ op: 'updateTtl', table: name, ttl }]
      if (old !== null && ttl === null) {
        return [{ op: 'updateTtl', table: name, ttl: { ...old, Enabled: false } }]
      }
      // An attribute rename: tableProblems refuses it.
      return []
    },
  ),
  setting(
    'PITR',
    'updatePitr',
    (t) => t.PointInTimeRecoverySpecification ?? { PointInTimeRecoveryEnabled: false },
    (pitr, _old, name) => [{ op: 'updatePitr', table: name, pitr }],
  ),
  setting(
    'SSE',
    'updateSse',
    (t) => t.SSESpecification ?? { SSEEnabled: false },
    (sse, _old, name) => [{ op: 'updateSse', table: name, sse }],
  ),
  setting(
    'deletion protection',
    'updateDeletionProtection',
    (t) => t.DeletionProtectionEnabled === true,
    (enabled, _old, name) => [{ op: 'updateDeletionProtection', table: name, enabled }],
  ),
  setting(
    'table class',
    'updateTableClass',
    (t) => t.TableClass ?? 'STANDARD',
    (tableClass, _old, name) => [{ op: 'updateTableClass', table: name, tableClass }],
  ),
  planner('tags removed', 'untag', ({ name, from, to }) => {
    const newKeys = new Set((to.Tags ?? []).map((t) => t.Key))
    const removed = (from.Tags ?? []).map((t) => t.Key).filter((k) => !newKeys.has(k))
    return { ops: removed.length > 0 ? [{ op: 'untag', table: name, keys: removed }] : [] }
  }),
  planner('tags added or changed', 'tag', ({ name, from, to }) => {
    const oldTags = new Map((from.Tags ?? []).map((t) => [t.Key, t.Value]))
    const changed = (to.Tags ?? []).filter((t) => oldTags.get(t.Key) !== t.Value)
    return { ops: changed.length > 0 ? [{ op: 'tag', table: name, tags: changed }] : [] }
  }),
]

/**
 * The operations that bring an existing table from `from` to `to` (both normalized, and free of the
 * changes `tableProblems` refuses): those of each entry of PROPERTY_PLANNERS in turn, each planned from
 * the state the entries before it leave.
 */
export function planTableUpdate(
  name: string,
  from: TableSchema,
  to: TableSchema,
): { ops: Operation[]; notes: string[] } {
  const ops: Operation[] = []
  const notes: string[] = []
  let current = from
  for (const { plan } of PROPERTY_PLANNERS) {
    const planned = plan({ name, from, to, current })
    notes.push(...(planned.notes ?? []))
    for (const op of planned.ops) {
      ops.push(op)
      current = step(name, current, op)
    }
  }
  return { ops, notes }
}

/** A planner whose operations are all of kind `emits`. */
function planner<K extends OperationKind>(
  property: string,
  emits: K,
  plan: (change: TableChange) => { ops: OperationOf<K>[]; notes?: string[] },
): PropertyPlanner {
  return { property, emits, plan }
}

/**
 * A planner of one setting: `value` reads it from a table (its default filled in), and when the values
 * of `from` and `to` differ, `ops` gives the operations from the old value to the new one.
 */
function setting<K extends OperationKind, V>(
  property: string,
  emits: K,
  value: (t: TableSchema) => V,
  ops: (to: V, from: V, name: string) => OperationOf<K>[],
): PropertyPlanner {
  return planner(property, emits, ({ name, from, to }) => {
    const [old, wanted] = [value(from), value(to)]
    return { ops: same(old, wanted) ? [] : ops(wanted, old, name) }
  })
}

/** The GSIs of both sides by name, and the names of those whose keys or projection change. */
function gsiChanges(
  from: TableSchema,
  to: TableSchema,
): {
  before: Map<string, GlobalSecondaryIndex>
  after: Map<string, GlobalSecondaryIndex>
  rebuilt: Set<string>
} {
  const before = indexMap(from)
  const after = indexMap(to)
  const rebuilt = [...before]
    .filter(([n, g]) => {
      const target = after.get(n)
      return target !== undefined && !same(indexShape(from, g), indexShape(to, target))
    })
    .map(([n]) => n)
  return { before, after, rebuilt: new Set(rebuilt) }
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
