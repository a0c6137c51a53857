import { expect } from 'vitest'
import { diff, type DiffResult } from '../../../src/plan/diff.js'
import { normalizeTable } from '../../../src/plan/normalize.js'
import { applyOperation, type TableStates } from '../../../src/plan/table-state.js'
import { Operation } from '../../../src/schema/operation.js'
import type {
  GlobalSecondaryIndex,
  ProvisionedThroughput,
  TableSchema,
} from '../../../src/schema/table-schema.js'

/** Table states and tables for the diff tests: schemas/Candidates.json of this repository, inline. */

export const STATUS_INDEX: GlobalSecondaryIndex = {
  IndexName: 'StatusIndex',
  KeySchema: [
    { AttributeName: 'status', KeyType: 'HASH' },
    { AttributeName: 'createdAt', KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'ALL' },
}

export const SCORE_INDEX: GlobalSecondaryIndex = {
  IndexName: 'ScoreIndex',
  KeySchema: [
    { AttributeName: 'status', KeyType: 'HASH' },
    { AttributeName: 'score', KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'ALL' },
}

export const ACTIVE_INDEX: GlobalSecondaryIndex = {
  IndexName: 'ActiveCandidatesIndex',
  KeySchema: [
    { AttributeName: 'activeFlag', KeyType: 'HASH' },
    { AttributeName: 'score', KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'KEYS_ONLY' },
}

/** schemas/Candidates.json without `$schema`. */
export const CANDIDATES: TableSchema = {
  TableName: 'Candidates',
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
    { AttributeName: 'status', AttributeType: 'S' },
    { AttributeName: 'createdAt', AttributeType: 'S' },
    { AttributeName: 'score', AttributeType: 'N' },
    { AttributeName: 'activeFlag', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [STATUS_INDEX, SCORE_INDEX, ACTIVE_INDEX],
  TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  SSESpecification: { SSEEnabled: true },
  Tags: [{ Key: 'Application', Value: 'CEAP' }],
}

/** Candidates with `patch` applied, as a fresh copy. */
export function candidates(patch: Partial<TableSchema> = {}): TableSchema {
  return structuredClone({ ...CANDIDATES, ...patch })
}

/** `t` without the given top-level properties. */
export function without(t: TableSchema, ...keys: (keyof TableSchema)[]): TableSchema {
  const copy: Partial<TableSchema> = structuredClone(t)
  for (const key of keys) delete copy[key]
  return copy as TableSchema
}

/** `t` without the GSI `name`. */
export function withoutIndex(t: TableSchema, name: string): TableSchema {
  return {
    ...t,
    GlobalSecondaryIndexes: (t.GlobalSecondaryIndexes ?? []).filter((g) => g.IndexName !== name),
  }
}

/** `t` with the GSI of the same name replaced by `index`. */
export function withIndex(t: TableSchema, index: GlobalSecondaryIndex): TableSchema {
  return {
    ...t,
    GlobalSecondaryIndexes: (t.GlobalSecondaryIndexes ?? []).map((g) =>
      g.IndexName === index.IndexName ? index : g,
    ),
  }
}

/** `read`/`write` capacity units. */
export function capacity(read: number, write: number): ProvisionedThroughput {
  return { ReadCapacityUnits: read, WriteCapacityUnits: write }
}

/** `t` made PROVISIONED: the table and every GSI with `read`/`write` capacity units. */
export function provisioned(t: TableSchema, read = 10, write = 5): TableSchema {
  return {
    ...t,
    BillingMode: 'PROVISIONED',
    ProvisionedThroughput: capacity(read, write),
    GlobalSecondaryIndexes: t.GlobalSecondaryIndexes?.map((g) => ({
      ...g,
      ProvisionedThroughput: capacity(read, write),
    })),
  }
}

/** A minimal on-demand table with a string partition key `pk`. */
export function simple(name: string, patch: Partial<TableSchema> = {}): TableSchema {
  return {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    ...patch,
  }
}

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
