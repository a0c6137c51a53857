import type { Operation, OperationOf } from '../schema/operation.js'
import type { TableSchema } from '../schema/table-schema.js'

/** Logical table name → the definition the migrations so far have produced. */
export type TableStates = Readonly<Record<string, TableSchema>>

/** The fold step: `states` after `op`, or the reason `op` cannot apply there. Pure; never mutates. */
export function applyOperation(
  states: TableStates,
  op: Operation,
): { states: TableStates; problem?: string } {
  const current = states[op.table]
  if (op.op === 'createTable') {
    if (current !== undefined) return { states, problem: `table "${op.table}" already exists here` }
    const { $schema: _ignored, ...definition } = op.definition
    if (definition.TableName !== op.table) {
      return {
        states,
        problem: `definition.TableName "${definition.TableName}" differs from table "${op.table}"`,
      }
    }
    return { states: { ...states, [op.table]: definition } }
  }
  if (current === undefined) {
    return { states, problem: `table "${op.table}" does not exist at this point of the history` }
  }
  if (op.op === 'deleteTable') {
    const { [op.table]: _gone, ...rest } = states
    return { states: rest }
  }
  const next = updateTable(current, op)
  if (typeof next === 'string') return { states, problem: next }
  return { states: { ...states, [op.table]: next } }
}

type UpdateOp = Exclude<Operation, OperationOf<'createTable'> | OperationOf<'deleteTable'>>

function updateTable(t: TableSchema, op: UpdateOp): TableSchema | string {
  const gsis = t.GlobalSecondaryIndexes ?? []
  switch (op.op) {
    case 'createGsi': {
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
    }
    case 'deleteGsi': {
      if (!gsis.some((g) => g.IndexName === op.indexName))
        return `index "${op.indexName}" does not exist on "${op.table}" at this point of the history`
      const rest = gsis.filter((g) => g.IndexName !== op.indexName)
      return withoutUnusedDefinitions(
        set(t, 'GlobalSecondaryIndexes', rest.length > 0 ? rest : undefined),
      )
    }
    case 'updateTtl':
      return set(t, 'TimeToLiveSpecification', op.ttl.Enabled ? op.ttl : undefined)
    case 'updatePitr':
      return set(
        t,
        'PointInTimeRecoverySpecification',
        op.pitr.PointInTimeRecoveryEnabled === true ? op.pitr : undefined,
      )
    case 'updateBilling': {
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
    }
    case 'updateStream':
      return set(t, 'StreamSpecification', op.stream ?? undefined)
    case 'updateSse':
      return set(t, 'SSESpecification', op.sse.SSEEnabled ? op.sse : undefined)
    case 'updateDeletionProtection':
      return set(t, 'DeletionProtectionEnabled', op.enabled ? true : undefined)
    case 'updateTableClass':
      return set(t, 'TableClass', op.tableClass === 'STANDARD' ? undefined : op.tableClass)
    case 'tag': {
      const keys = new Set(op.tags.map((tag) => tag.Key))
      return set(t, 'Tags', [...(t.Tags ?? []).filter((tag) => !keys.has(tag.Key)), ...op.tags])
    }
    case 'untag': {
      const rest = (t.Tags ?? []).filter((tag) => !op.keys.includes(tag.Key))
      return set(t, 'Tags', rest.length > 0 ? rest : undefined)
    }
  }
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
