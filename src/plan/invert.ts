import { DdbmError } from '../errors.js'
import {
  dispatch,
  type Operation,
  type OperationKind,
  type OperationOf,
  type PerKind,
} from '../schema/operation.js'
import type { TableSchema } from '../schema/table-schema.js'
import { billingOperation, createGsiOperation } from './diff-ops.js'
import { normalizeTable } from './normalize.js'
import { applyOperation, type TableStates } from './table-state.js'

/**
 * The `down` of `up`: each operation's inverse, computed from the state just before it (folding `up` over
 * `from` with applyOperation), in reverse order. A deleted table comes back as its definition, not its
 * data; a deleted GSI as its definition with the attribute definitions its keys need; settings go back to
 * their previous value (a TTL that was off is disabled on the attribute `up` enabled). Throws INTERNAL
 * when an operation of `up` does not apply (the planner only inverts plans it built). Pure.
 */
export function invert(up: readonly Operation[], from: TableStates): Operation[] {
  let states = from
  const inverses: Operation[][] = []
  for (const op of up) {
    const result = applyOperation(states, op)
    if (result.problem !== undefined) {
      throw new DdbmError('INTERNAL', `cannot invert ${op.op} on ${op.table}: ${result.problem}`)
    }
    const before = states[op.table]
    const after = result.states[op.table]
    inverses.push(
      dispatch(INVERT, op, before && normalizeTable(before), after && normalizeTable(after)),
    )
    states = result.states
  }
  return inverses.reverse().flat()
}

/**
 * The operations that undo an operation of each kind, given its table before and after it (normalized;
 * undefined where there is none).
 */
export const INVERT: PerKind<[before?: TableSchema, after?: TableSchema], Operation[]> = {
  createTable: (op) => {
    const table = op.table
    // DynamoDB refuses to delete a protected table: lift the protection first.
    const unprotect: Operation[] = op.definition.DeletionProtectionEnabled
      ? [{ op: 'updateDeletionProtection', table, enabled: false }]
      : []
    return [...unprotect, { op: 'deleteTable', table }]
  },
  deleteTable: fromBefore((op, before) => [
    { op: 'createTable', table: op.table, definition: before },
  ]),
  createGsi: fromBefore((op) => [
    { op: 'deleteGsi', table: op.table, indexName: op.index.IndexName },
  ]),
  deleteGsi: fromBefore((op, before) => {
    const index = before.GlobalSecondaryIndexes?.find((g) => g.IndexName === op.indexName)
    return index ? [createGsiOperation(op.table, before, index)] : []
  }),
  updateTtl: fromBefore((op, before) => {
    const ttl = before.TimeToLiveSpecification ?? {
      ...(op.ttl.AttributeName === undefined ? {} : { AttributeName: op.ttl.AttributeName }),
      Enabled: false,
    }
    return [{ op: 'updateTtl', table: op.table, ttl }]
  }),
  updatePitr: fromBefore((op, before) => {
    const pitr = before.PointInTimeRecoverySpecification ?? { PointInTimeRecoveryEnabled: false }
    return [{ op: 'updatePitr', table: op.table, pitr }]
  }),
  updateBilling: fromBefore((op, before, after) =>
    after ? [billingOperation(op.table, after, before)] : [],
  ),
  updateStream: fromBefore((op, before) => [
    { op: 'updateStream', table: op.table, stream: before.StreamSpecification ?? null },
  ]),
  updateSse: fromBefore((op, before) => [
    { op: 'updateSse', table: op.table, sse: before.SSESpecification ?? { SSEEnabled: false } },
  ]),
  updateDeletionProtection: fromBefore((op, before) => [
    {
      op: 'updateDeletionProtection',
      table: op.table,
      enabled: before.DeletionProtectionEnabled === true,
    },
  ]),
  updateTableClass: fromBefore((op, before) => [
    { op: 'updateTableClass', table: op.table, tableClass: before.TableClass ?? 'STANDARD' },
  ]),
  tag: fromBefore((op, before) => {
    const table = op.table
    const old = before.Tags ?? []
    const keys = new Set(op.tags.map((t) => t.Key))
    const added = [...keys].filter((k) => !old.some((t) => t.Key === k)).sort()
    const restored = old.filter((t) => keys.has(t.Key))
    return [
      ...(added.length > 0 ? [{ op: 'untag' as const, table, keys: added }] : []),
      ...(restored.length > 0 ? [{ op: 'tag' as const, table, tags: restored }] : []),
    ]
  }),
  untag: fromBefore((op, before) => {
    const restored = (before.Tags ?? []).filter((t) => op.keys.includes(t.Key))
    return restored.length > 0 ? [{ op: 'tag', table: op.table, tags: restored }] : []
  }),
}

/**
 * The inverse of an operation on an existing table. applyOperation succeeded before it is inverted, so
 * the table is there; without it there is nothing to undo.
 */
function fromBefore<K extends OperationKind>(
  inverse: (op: OperationOf<K>, before: TableSchema, after?: TableSchema) => Operation[],
): (op: OperationOf<K>, before?: TableSchema, after?: TableSchema) => Operation[] {
  return (op, before, after) => (before === undefined ? [] : inverse(op, before, after))
}
