import {
  dispatch,
  type Operation,
  type OperationKind,
  type OperationOf,
  type PerKind,
} from '../schema/operation.js'
import type { TableSchema } from '../schema/table-schema.js'

/** Logical table name → the definition the migrations so far have produced. */
export type TableStates = Readonly<Record<string, TableSchema>>

/** The table after an operation (undefined: deleted), or the reason it cannot apply (a string). */
export type Folded = TableSchema | undefined | string

/** The fold step: `states` after `op`, or the reason `op` cannot apply there. Pure; never mutates. */
export function applyOperation(
  states: TableStates,
  op: Operation,
): { states: TableStates; problem?: string } {
  const next = dispatch(FOLD, op, states[op.table])
  if (typeof next === 'string') return { states, problem: next }
  if (next === undefined) {
    const { [op.table]: _gone, ...rest } = states
    return { states: rest }
  }
  return { states: { ...states, [op.table]: next } }
}

/**
 * How each kind of operation changes its table, given the table before it (undefined: none yet). Every
 * kind but createTable needs the table to exist.
 */
export const FOLD: PerKind<[current: TableSchema | undefined], Folded> = {
  createTable: (op, current) => {
    if (current !== undefined) return `table "${op.table}" already exists here`
    const { $schema: _ignored, ...definition } = op.definition
    if (definition.TableName !== op.table) {
      return `definition.TableName "${definition.TableName}" differs from table "${op.table}"`
    }
    return definition
  },
  deleteTable: existing(() => undefined),
  createGsi: existing((op, t) => {
    const gsis = t.GlobalSecondaryIndexes ?? []
    const name = op.index.IndexName
    if (
      gsis.some((g) => g.IndexName === name) ||
      t.LocalSecondaryIndexes?.some((l) => l.IndexName === name)
    )
      return `index "${name}" already exists on "${op.table}"`
    const known = new Set(t.AttributeDefinitions.map((a) => a.AttributeName))
    const added = op.attributeDefinitions.filter((a) => !known.has(a.AttributeName))
    return withoutUnusedDefinitions({
      ...t,
      AttributeDefinitions: [...t.AttributeDefinitions, ...added],
      GlobalSecondaryIndexes: [...gsis, op.index],
    })
  }),
  deleteGsi: existing((op, t) => {
    const gsis = t.GlobalSecondaryIndexes ?? []
    if (!gsis.some((g) => g.IndexName === op.indexName))
      return `index "${op.indexName}" does not exist on "${op.table}" at this point of the history`
    const rest = gsis.filter((g) => g.IndexName !== op.indexName)
    return withoutUnusedDefinitions(
      set(t, 'GlobalSecondaryIndexes', rest.length > 0 ? rest : undefined),
    )
  }),
  updateTtl: existing((op, t) =>
    set(t, 'TimeToLiveSpecification', op.ttl.Enabled ? op.ttl : undefined),
  ),
  updatePitr: existing((op, t) =>
    set(
      t,
      'PointInTimeRecoverySpecification',
      op.pitr.PointInTimeRecoveryEnabled === true ? op.pitr : undefined,
    ),
  ),
  updateBilling: existing((op, t) => {
    const gsis = t.GlobalSecondaryIndexes ?? []
    const throughput = new Map((op.indexes ?? []).map((i) => [i.IndexName, i]))
    const indexes = gsis.map((g) => {
      const { ProvisionedThroughput: _p, OnDemandThroughput: _o, ...rest } = g
      const given = throughput.get(g.IndexName)
      return {
        ...rest,
        ...(given?.ProvisionedThroughput
          ? { ProvisionedThroughput: given.ProvisionedThroughput }
          : {}),
        ...(given?.OnDemandThroughput ? { OnDemandThroughput: given.OnDemandThroughput } : {}),
      }
    })
    let next = set(t, 'BillingMode', op.billingMode)
    next = set(next, 'ProvisionedThroughput', op.provisionedThroughput)
    next = set(next, 'OnDemandThroughput', op.onDemandThroughput)
    return set(next, 'GlobalSecondaryIndexes', gsis.length > 0 ? indexes : undefined)
  }),
  updateStream: existing((op, t) => set(t, 'StreamSpecification', op.stream ?? undefined)),
  updateSse: existing((op, t) =>
    set(t, 'SSESpecification', op.sse.SSEEnabled ? op.sse : undefined),
  ),
  updateDeletionProtection: existing((op, t) =>
    set(t, 'DeletionProtectionEnabled', op.enabled ? true : undefined),
  ),
  updateTableClass: existing((op, t) =>
    set(t, 'TableClass', op.tableClass === 'STANDARD' ? undefined : op.tableClass),
  ),
  tag: existing((op, t) => {
    const keys = new Set(op.tags.map((tag) => tag.Key))
    return set(t, 'Tags', [...(t.Tags ?? []).filter((tag) => !keys.has(tag.Key)), ...op.tags])
  }),
  untag: existing((op, t) => {
    const rest = (t.Tags ?? []).filter((tag) => !op.keys.includes(tag.Key))
    return set(t, 'Tags', rest.length > 0 ? rest : undefined)
  }),
}

/** A fold step for an operation on an existing table: the problem when there is none yet. */
function existing<K extends OperationKind>(
  fold: (op: OperationOf<K>, t: TableSchema) => Folded,
): (op: OperationOf<K>, current: TableSchema | undefined) => Folded {
  return (op, current) =>
    current === undefined
      ? `table "${op.table}" does not exist at this point of the history`
      : fold(op, current)
}

/** `t` with `key` set to `value`, or without `key` when `value` is undefined. */
function set<K extends keyof TableSchema>(
  t: TableSchema,
  key: K,
  value: TableSchema[K] | undefined,
): TableSchema {
  const { [key]: _old, ...rest } = t
  return (value === undefined ? rest : { ...rest, [key]: value }) as TableSchema
}

/** DynamoDB keeps only the attribute definitions that some key uses. */
function withoutUnusedDefinitions(t: TableSchema): TableSchema {
  const used = new Set([
    ...t.KeySchema.map((k) => k.AttributeName),
    ...(t.GlobalSecondaryIndexes ?? []).flatMap((g) => g.KeySchema.map((k) => k.AttributeName)),
    ...(t.LocalSecondaryIndexes ?? []).flatMap((l) => l.KeySchema.map((k) => k.AttributeName)),
  ])
  return {
    ...t,
    AttributeDefinitions: t.AttributeDefinitions.filter((a) => used.has(a.AttributeName)),
  }
}
