import { expect } from 'vitest'
import { diff, type DiffResult } from '../../../src/plan/diff.js'
import { normalizeTable } from '../../../src/plan/normalize.js'
import { applyOperation, type TableStates } from '../../../src/plan/table-state.js'
import { Operation } from '../../../src/schema/operation.js'
import type { TableSchema } from '../../../src/schema/table-schema.js'

/** Helpers for the diff tests; their tables come from test/fixtures/tables.ts. */

/** The result of a diff that plans nothing. */
export const NOTHING: DiffResult = { up: [], down: [], notes: [], problems: [] }

/** `states` after `ops`, each of which must apply. */
export function fold(states: TableStates, ops: readonly Operation[]): TableStates {
  return ops.reduce((s, op) => {
    const result = applyOperation(s, op)
    expect(result.problem, `${op.op} on ${op.table}`).toBeUndefined()
    return result.states
  }, states)
}

function normalized(states: TableStates): Record<string, TableSchema> {
  return Object.fromEntries(
    Object.keys(states)
      .sort()
      .map((n) => [n, normalizeTable(states[n] as TableSchema)]),
  )
}

/** `value` with every object's keys in reverse order (arrays keep their order). */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  ) as T
}

/**
 * diff(from, to), after checking what every plan must satisfy: each operation is a valid migration
 * operation; folding `up` over `from` reaches `to` (a table with a problem keeps its `from` state and
 * gets no operation); folding `down` over that comes back to `from`; a second diff from the reached
 * state plans nothing; and the same input written with other key orders gives the same JSON.
 */
export function plan(from: TableStates, to: TableStates): DiffResult {
  const result = diff(from, to)
  for (const op of [...result.up, ...result.down]) expect(Operation.parse(op)).toStrictEqual(op)
  const refused = new Set(result.problems.map((p) => p.table))
  const target: Record<string, TableSchema> = {}
  for (const [name, t] of Object.entries(to)) if (!refused.has(name)) target[name] = t
  for (const [name, t] of Object.entries(from)) if (refused.has(name)) target[name] = t
  const reached = fold(from, result.up)
  expect(normalized(reached)).toStrictEqual(normalized(target))
  expect(normalized(fold(reached, result.down))).toStrictEqual(normalized(from))
  expect(diff(reached, to).up).toStrictEqual([])
  expect(JSON.stringify(diff(reverseKeys(from), reverseKeys(to)))).toBe(JSON.stringify(result))
  return result
}
