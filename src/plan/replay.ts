import type { Issue } from '../schema/issues.js'
import type { MigrationFile, Operation } from '../schema/operation.js'
import { checkOperation } from '../schema/rules/operations.js'
import { join } from '../schema/rules/operation-rule.js'
import { foldIssue, type HistoryNames } from './replay-hints.js'
import { applyOperation, type TableStates } from './table-state.js'

/** A migration as replay needs it: its file label and, for `.json`, the parsed content. */
export type ReplayInput = { name: string; file: string; content?: MigrationFile }

/** What replay may know beyond the migrations. */
export type ReplayOptions = {
  /** The tables of schemas/, offered with the tables of the history as "did you mean" for a table name. */
  tables?: readonly string[]
}

/**
 * Folds the migrations' `up` operations, in order, into the table states they produce (no database).
 * Each operation, of `up` and of `down`, must refer to a table (and index) that exists at that point, and
 * passes the rules of its kind given that table (src/schema/rules/operations.ts: names, keys, index
 * limits, throughput...); each `down` must apply to the state its `up` left and bring back the tables
 * `up` changed, unless the migration is `irreversible`. `.ts` migrations change data only and are
 * skipped. Problems are Issues naming the file, the JSON path inside the operation and a hint (a table or
 * index name that does not exist gets "did you mean").
 */
export function replay(
  migrations: readonly ReplayInput[],
  opts: ReplayOptions = {},
): { states: TableStates; issues: Issue[] } {
  let states: TableStates = {}
  const issues: Issue[] = []
  const names: HistoryNames = { schemaTables: opts.tables ?? [], createdBy: createdBy(migrations) }
  for (const m of migrations) {
    if (m.content === undefined) continue
    const fold = (start: TableStates, ops: readonly Operation[], key: 'up' | 'down') =>
      ops.reduce((current, op, i) => {
        const at = `${key}[${i}]`
        for (const found of checkOperation(op, current[op.table])) {
          issues.push({ file: m.file, ...found, path: join(at, found.path) })
        }
        const result = applyOperation(current, op)
        if (result.problem !== undefined) {
          issues.push({
            file: m.file,
            ...foldIssue(op, at, result.problem, current, names, m.file),
          })
        }
        return result.states
      }, start)
    const before = states
    states = fold(states, m.content.up, 'up')
    const undone = fold(states, m.content.down, 'down')
    const left = Object.keys(undone).sort().join(',')
    const had = Object.keys(before).sort().join(',')
    if (m.content.irreversible !== true && left !== had) {
      issues.push({
        file: m.file,
        path: 'down',
        message: `does not undo the tables of "up": after up and down the tables are [${left}], before they were [${had}]`,
        hint: 'make "down" delete the tables "up" creates and recreate the ones it deletes',
      })
    }
  }
  return { states, issues }
}

/** Each table a createTable of `migrations` makes, with the file of the first one. */
function createdBy(migrations: readonly ReplayInput[]): ReadonlyMap<string, string> {
  const found = new Map<string, string>()
  for (const m of migrations) {
    for (const op of m.content?.up ?? []) {
      if (op.op === 'createTable' && !found.has(op.table)) found.set(op.table, m.file)
    }
  }
  return found
}
