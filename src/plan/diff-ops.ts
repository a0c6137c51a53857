import { DdbmError } from '../errors.js'
import type { Operation, OperationOf } from '../schema/operation.js'
import type {
  GlobalSecondaryIndex,
  OnDemandThroughput,
  TableSchema,
} from '../schema/table-schema.js'
import { normalizeTable } from './normalize.js'
import { applyOperation } from './table-state.js'

/**
 * Operations built from two states of one table, shared by `diff` (state so far → target) and `invert`
 * (state after an operation → state before it). Both states are normalized (normalizeTable).
 */

/** Equality of normalized values: normalizeTable fixes every key order, so their JSON text is canonical. */
export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** `t` normalized after `op`, which must apply (the planner only folds operations it built itself). */
export function step(name: string, t: TableSchema, op: Operation): TableSchema {
  const result = applyOperation({ [name]: t }, op)
  const next = result.states[name]
  if (result.problem !== undefined || next === undefined) {
    throw new DdbmError('INTERNAL', `planned ${op.op} does not apply to ${name}: ${result.problem}`)
  }
  return normalizeTable(next)
}

/** createGsi of `index` with the definitions of its key attributes, as `table` (which has it) types them. */
export function createGsiOperation(
  name: string,
  table: TableSchema,
  index: GlobalSecondaryIndex,
): OperationOf<'createGsi'> {
  const keys = new Set(index.KeySchema.map((k) => k.AttributeName))
  return {
    op: 'createGsi',
    table: name,
    index,
    attributeDefinitions: table.AttributeDefinitions.filter((a) => keys.has(a.AttributeName)),
  }
}

/**
 * Whether billing differs between `current` and `target`: mode, the table's throughput, and the
 * throughput of the GSIs both have (an index only `target` has gets its throughput from its createGsi).
 */
export function billingDiffers(current: TableSchema, target: TableSchema): boolean {
  const shared = (t: TableSchema, other: TableSchema) => {
    const names = new Set((other.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName))
    return (t.GlobalSecondaryIndexes ?? [])
      .filter((g) => names.has(g.IndexName))
      .map((g) => [g.IndexName, g.ProvisionedThroughput, g.OnDemandThroughput])
  }
  const billing = (t: TableSchema, other: TableSchema) => [
    t.BillingMode,
    t.ProvisionedThroughput,
    t.OnDemandThroughput,
    shared(t, other),
  ]
  return !same(billing(current, target), billing(target, current))
}

/**
 * updateBilling from `current` to `target`. It restates the whole billing (applyOperation replaces the
 * throughput of the table and of every GSI with what the operation lists), so it carries the table's
 * throughput and that of every GSI `current` has (and `target` keeps): provisioned capacity when the
 * target is PROVISIONED; under PAY_PER_REQUEST the on-demand limits where the target sets one (a field
 * left out is sent as -1, no limit), or -1/-1 where `current` had a limit the target drops. A switch from
 * PROVISIONED to PAY_PER_REQUEST carries no throughput beyond the target's limits.
 */
export function billingOperation(
  name: string,
  current: TableSchema,
  target: TableSchema,
): OperationOf<'updateBilling'> {
  const onDemand = target.BillingMode === 'PAY_PER_REQUEST'
  const wasOnDemand = current.BillingMode === 'PAY_PER_REQUEST'
  const op: OperationOf<'updateBilling'> = {
    op: 'updateBilling',
    table: name,
    billingMode: target.BillingMode ?? 'PROVISIONED',
  }
  if (!onDemand && target.ProvisionedThroughput) {
    op.provisionedThroughput = target.ProvisionedThroughput
  }
  if (onDemand) {
    const table = limits(target.OnDemandThroughput, wasOnDemand && !!current.OnDemandThroughput)
    if (table) op.onDemandThroughput = table
  }
  const wanted = new Map((target.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, g]))
  const indexes: NonNullable<OperationOf<'updateBilling'>['indexes']> = []
  for (const g of current.GlobalSecondaryIndexes ?? []) {
    const w = wanted.get(g.IndexName)
    if (w === undefined) continue
    if (!onDemand && w.ProvisionedThroughput) {
      indexes.push({ IndexName: g.IndexName, ProvisionedThroughput: w.ProvisionedThroughput })
    }
    const index = onDemand
      ? limits(w.OnDemandThroughput, wasOnDemand && !!g.OnDemandThroughput)
      : undefined
    if (index) indexes.push({ IndexName: g.IndexName, OnDemandThroughput: index })
  }
  if (indexes.length > 0) op.indexes = indexes
  return op
}

/** On-demand limits to send: the wanted ones with -1 for a missing field; -1/-1 to lift a limit. */
function limits(
  wanted: OnDemandThroughput | undefined,
  hadLimit: boolean,
): OnDemandThroughput | undefined {
  if (wanted === undefined && !hadLimit) return undefined
  return {
    MaxReadRequestUnits: wanted?.MaxReadRequestUnits ?? -1,
    MaxWriteRequestUnits: wanted?.MaxWriteRequestUnits ?? -1,
  }
}
