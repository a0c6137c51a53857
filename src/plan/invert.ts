import { DdbmError } from '../errors.js'
import type { Operation } from '../schema/operation.js'
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
    inverses.push(inverse(op, before && normalizeTable(before), after && normalizeTable(after)))
    states = result.states
  }
  return inverses.reverse().flat()
}

/** The operations that undo `op`, given the table before and after it (normalized). */
function inverse(op: Operation, before?: TableSchema, after?: TableSchema): Operation[] {
  const table = op.table
  if (op.op === 'createTable') {
    // DynamoDB refuses to delete a protected table: lift the protection first.
    const unprotect: Operation[] = op.definition.DeletionProtectionEnabled
      ? [{ op: 'updateDeletionProtection', table, enabled: false }]
      : []
    return [...unprotect, { op: 'deleteTable', table }]
  }
  // applyOperation succeeded, so every other operation had its table before and after it.
  if (before === undefined) return []
  switch (op.op) {
    case 'deleteTable':
      return [{ op: 'createTable', table, definition: before }]
    case 'createGsi':
      return [{ op: 'deleteGsi', table, indexName: op.index.IndexName }]
    case 'deleteGsi': {
      const index = before.GlobalSecondaryIndexes?.find((g) => g.IndexName === op.indexName)
      return index ? [createGsiOperation(table, before, index)] : []
    }
    case 'updateTtl': {
      const ttl = before.TimeToLiveSpecification ?? {
        ...(op.ttl.AttributeName === undefined ? {} : { AttributeName: op.ttl.AttributeName }),
        Enabled: false,
      }
      return [{ op: 'updateTtl', table, ttl }]
    }
    case 'updatePitr': {
      const pitr = before.PointInTimeRecoverySpecification ?? { PointInTimeRecoveryEnabled: false }
      return [{ op: 'updatePitr', table, pitr }]
    }
    case 'updateBilling':
      return after ? [billingOperation(table, after, before)] : []
    case 'updateStream':
      return [{ op: 'updateStream', table, stream: before.StreamSpecification ?? null }]
    case 'updateSse':
      return [{ op: 'updateSse', table, sse: before.SSESpecification ?? { SSEEnabled: false } }]
    case 'updateDeletionProtection':
      return [
        {
          op: 'updateDeletionProtection',
          table,
          enabled: before.DeletionProtectionEnabled === true,
        },
      ]
    case 'updateTableClass':
      return [{ op: 'updateTableClass', table, tableClass: before.TableClass ?? 'STANDARD' }]
    case 'tag': {
      const old = before.Tags ?? []
      const keys = new Set(op.tags.map((t) => t.Key))
      const added = [...keys].filter((k) => !old.some((t) => t.Key === k)).sort()
      const restored = old.filter((t) => keys.has(t.Key))
      return [
        ...(added.length > 0 ? [{ op: 'untag' as const, table, keys: added }] : []),
        ...(restored.length > 0 ? [{ op: 'tag' as const, table, tags: restored }] : []),
      ]
    }
    case 'untag': {
      const restored = (before.Tags ?? []).filter((t) => op.keys.includes(t.Key))
      return restored.length > 0 ? [{ op: 'tag', table, tags: restored }] : []
    }
  }
}
