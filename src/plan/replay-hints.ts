import type { Issue } from '../schema/issues.js'
import type { Operation } from '../schema/operation.js'
import { join } from '../schema/rules/operation-rule.js'
import { suggest } from '../zod-issues.js'
import type { TableStates } from './table-state.js'

const q = (value: unknown): string => JSON.stringify(value)

/** What the hints of the replay may name: the tables of schemas/, and which file creates each table. */
export type HistoryNames = {
  schemaTables: readonly string[]
  /** Table → the file of the first migration whose `up` creates it. */
  createdBy: ReadonlyMap<string, string>
}

/**
 * The Issue (without its file) for an operation the fold refused (`problem`, from applyOperation) at
 * `at` (`up[2]`) of `file`, given the tables before it: the path of the offending field, and a hint
 * with "did you mean" for a table or index name that does not exist at that point.
 */
export function foldIssue(
  op: Operation,
  at: string,
  problem: string,
  states: TableStates,
  names: HistoryNames,
  file: string,
): Omit<Issue, 'file'> {
  const table = states[op.table]
  if (op.op === 'createTable' && table !== undefined) {
    const hint =
      'change the existing table with other operations (createGsi, updateTtl...), or delete it first (deleteTable)'
    return { path: join(at, 'table'), message: problem, hint }
  }
  if (op.op === 'createTable') {
    const hint = `write "TableName": ${q(op.table)}: the definition is of the table the operation creates`
    return { path: join(at, 'definition.TableName'), message: problem, hint }
  }
  if (table === undefined) {
    return {
      path: join(at, 'table'),
      message: problem,
      hint: tableHint(op.table, states, names, file),
    }
  }
  if (op.op === 'createGsi') {
    const hint = 'give the new index another name, or delete the existing one first (deleteGsi)'
    return { path: join(at, 'index.IndexName'), message: problem, hint }
  }
  const gsis = (table.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName)
  const indexName = op.op === 'deleteGsi' ? op.indexName : ''
  const path = op.op === 'deleteGsi' ? join(at, 'indexName') : at
  if (table.LocalSecondaryIndexes?.some((l) => l.IndexName === indexName)) {
    const message = `index ${q(indexName)} of ${q(op.table)} is a local secondary index; DynamoDB cannot delete one`
    const hint = 'a local secondary index lives as long as its table: recreate the table without it'
    return { path, message, hint }
  }
  const hint =
    gsis.length === 0
      ? `table ${q(op.table)} has no global secondary index at this point`
      : suggest(indexName, gsis, `indexes of ${q(op.table)} at this point`)
  return { path, message: problem, hint }
}

/** Why a table name is unknown at this point, and what to write. */
function tableHint(name: string, states: TableStates, names: HistoryNames, file: string): string {
  const creator = names.createdBy.get(name)
  if (creator === file) {
    return 'this migration creates it in a later operation: move its createTable before this operation'
  }
  if (creator !== undefined && creator > file) {
    return `${creator} creates it, after this migration: renumber this migration to follow it`
  }
  if (creator === undefined && names.schemaTables.includes(name)) {
    return `it is in schemas/ but no migration before this one creates it: \`ddbm migrate generate <name>\` writes its createTable`
  }
  const known = [...new Set([...Object.keys(states), ...names.schemaTables])].sort()
  if (known.length === 0) {
    return 'create it first: a createTable operation in this or an earlier migration'
  }
  return suggest(name, known, 'known tables')
}
