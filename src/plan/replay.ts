import type { Issue } from '../schema/issues.js'
import type { MigrationFile } from '../schema/operation.js'
import { applyOperation, type TableStates } from './table-state.js'

/** A migration as replay needs it: its file label and, for `.json`, the parsed content. */
export type ReplayInput = { name: string; file: string; content?: MigrationFile }

/**
 * Folds the migrations' `up` operations, in order, into the table states they produce (no database).
 * Each `up` operation must refer to a table (and index) that exists at that point; each `down` must apply to
 * the state its `up` left. `.ts` migrations change data only and are skipped. Problems are Issues naming
 * the file and the JSON path of the operation.
 */
export function replay(migrations: readonly ReplayInput[]): {
  states: TableStates
  issues: Issue[]
} {
  let states: TableStates = {}
  const issues: Issue[] = []
  for (const m of migrations) {
    if (m.content === undefined) continue
    const before = states
    m.content.up.forEach((op, i) => {
      const result = applyOperation(states, op)
      if (result.problem !== undefined) issues.push(problem(m.file, `up[${i}]`, result.problem))
      states = result.states
    })
    let undone = states
    m.content.down.forEach((op, i) => {
      const result = applyOperation(undone, op)
      if (result.problem !== undefined) issues.push(problem(m.file, `down[${i}]`, result.problem))
      undone = result.states
    })
    const left = Object.keys(undone).sort().join(',')
    const had = Object.keys(before).sort().join(',')
    if (left !== had) {
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

function problem(file: string, path: string, message: string): Issue {
  return {
    file,
    path,
    message,
    hint: 'a migration applies to the tables that the migrations before it leave; check the order and table names',
  }
}
