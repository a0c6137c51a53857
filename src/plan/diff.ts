import type { Operation } from '../schema/operation.js'
import type { TableSchema } from '../schema/table-schema.js'
import { same } from './diff-ops.js'
import { indexShape, keyShape, planTableUpdate } from './diff-table.js'
import { invert } from './invert.js'
import { normalizeTable } from './normalize.js'
import type { TableStates } from './table-state.js'

/** A change DynamoDB cannot make in place: the reason, and the way out. The migration is not written. */
export type DiffProblem = { table: string; message: string; hint: string }

/**
 * What `ddbm migrate generate` writes: `up` brings the tables from the migrations' state to `schemas/`,
 * `down` takes them back; `notes` are for the user (rebuilt indexes, lost data...); with any `problems`
 * the caller refuses to write the migration.
 */
export type DiffResult = {
  up: Operation[]
  down: Operation[]
  notes: string[]
  problems: DiffProblem[]
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

const NEW_TABLE_WAY_OUT =
  'create a new table and a backfill migration (`ddbm migrate create <name> --ts`), then remove the old one'

/**
 * The operations from `from` (what the migrations so far produce, see replay) to `to` (`schemas/`: logical
 * name → definition). Both sides are normalized first, so definitions DynamoDB treats the same give no
 * operation. Order: new tables (createTable, full definition), then changes of existing tables, then
 * deleted tables (a table is deleted only when its schema file is gone), each group by table name; see
 * PROPERTY_PLANNERS (diff-table.ts) for the order within a table. A table with a refused change gets no
 * operation and a problem for each refused change. `down` is `invert(up, from)`. Pure and deterministic.
 */
export function diff(from: TableStates, to: TableStates): DiffResult {
  const before = normalizeAll(from)
  const after = normalizeAll(to)
  const up: Operation[] = []
  const notes: string[] = []
  const problems: DiffProblem[] = []
  const afterNames = Object.keys(after).sort(byName)
  for (const name of afterNames) {
    const definition = after[name]
    if (definition !== undefined && !Object.hasOwn(before, name)) {
      up.push({ op: 'createTable', table: name, definition })
    }
  }
  for (const name of afterNames) {
    const current = before[name]
    const target = after[name]
    if (current === undefined || target === undefined) continue
    const refused = tableProblems(name, current, target)
    if (refused.length > 0) {
      problems.push(...refused)
      continue
    }
    const plan = planTableUpdate(name, current, target)
    up.push(...plan.ops)
    notes.push(...plan.notes)
  }
  for (const name of Object.keys(before).sort(byName)) {
    if (Object.hasOwn(after, name)) continue
    if (before[name]?.DeletionProtectionEnabled === true) {
      problems.push({
        table: name,
        message: `schemas/${name}.json is gone, but the table has deletion protection: DynamoDB refuses to delete it`,
        hint: `set "DeletionProtectionEnabled": false in schemas/${name}.json and generate that migration first; remove the file in a later one`,
      })
      continue
    }
    up.push({ op: 'deleteTable', table: name })
    notes.push(
      `${name}: the table is deleted with its data; \`down\` recreates its definition, not its data`,
    )
  }
  return { up, down: invert(up, before), notes, problems }
}

/** Each state normalized. */
function normalizeAll(states: TableStates): Record<string, TableSchema> {
  return Object.fromEntries(Object.entries(states).map(([n, t]) => [n, normalizeTable(t)]))
}

/**
 * The changes of an existing table that DynamoDB cannot make in place (both sides normalized): its
 * primary key (key schema or a key attribute's type), its LSIs (they exist only from CreateTable), and a
 * TTL attribute rename (one TTL change per table per hour; disabling alone or enabling alone is fine).
 */
export function tableProblems(name: string, from: TableSchema, to: TableSchema): DiffProblem[] {
  const problems: DiffProblem[] = []
  const key = (t: TableSchema) => keyShape(t, t.KeySchema)
  if (!same(key(from), key(to))) {
    problems.push({
      table: name,
      message: `the primary key changes from (${keyText(from)}) to (${keyText(to)}): DynamoDB cannot change the primary key of a table`,
      hint: NEW_TABLE_WAY_OUT,
    })
  }
  const lsis = (t: TableSchema) =>
    (t.LocalSecondaryIndexes ?? []).map((l) => [l.IndexName, indexShape(t, l)])
  if (!same(lsis(from), lsis(to))) {
    const names = (t: TableSchema) =>
      (t.LocalSecondaryIndexes ?? []).map((l) => l.IndexName).join(', ') || 'none'
    problems.push({
      table: name,
      message: `the local secondary indexes change (${names(from)} → ${names(to)}): DynamoDB creates LSIs only with the table (CreateTable) and cannot change or remove them`,
      hint: `${NEW_TABLE_WAY_OUT}; or use a global secondary index, which can be added to an existing table`,
    })
  }
  const oldTtl = from.TimeToLiveSpecification?.AttributeName
  const newTtl = to.TimeToLiveSpecification?.AttributeName
  if (from.TimeToLiveSpecification && to.TimeToLiveSpecification && oldTtl !== newTtl) {
    problems.push({
      table: name,
      message: `TTL moves from attribute ${oldTtl ?? '?'} to ${newTtl ?? '?'}: DynamoDB allows one TTL change per table per hour, and a rename is two (disable, then enable)`,
      hint: 'disable TTL now (remove TimeToLiveSpecification), and enable it on the new attribute in a later migration',
    })
  }
  return problems
}

/** `PK HASH S, SK RANGE N`. */
function keyText(t: TableSchema): string {
  return t.KeySchema.map((k) => {
    const type = t.AttributeDefinitions.find((a) => a.AttributeName === k.AttributeName)
    return `${k.AttributeName} ${k.KeyType} ${type?.AttributeType ?? '?'}`
  }).join(', ')
}
