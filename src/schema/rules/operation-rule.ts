import type { OperationKind, OperationOf } from '../operation.js'
import type { TableSchema } from '../table-schema.js'
import type { Add, Rule } from './rule.js'

/**
 * One problem of a migration operation: `path` is relative to the operation (`index.IndexName`, '' for the
 * operation itself), `message` quotes the offending value and `hint` says what to write instead.
 */
export type OperationIssue = { path: string; message: string; hint: string }

/**
 * A check of one kind of operation, given the table as the migrations before it leave it (undefined when
 * there is none at that point: the replay reports that itself). It reports through `add`.
 */
export type OperationCheck<K extends OperationKind> = (
  op: OperationOf<K>,
  table: TableSchema | undefined,
  add: Add,
) => void

/** `rest` under the JSON path `prefix`: `index` + `KeySchema[0]` → `index.KeySchema[0]`. */
export function join(prefix: string, rest: string): string {
  if (rest === '') return prefix
  return rest.startsWith('[') ? `${prefix}${rest}` : `${prefix}.${rest}`
}

/**
 * A path map for reuse(): paths at or under `from` move under `to` (`GlobalSecondaryIndexes[0].IndexName`
 * → `index.IndexName`); any other path is dropped.
 */
export function under(from: string, to: string): (path: string) => string | undefined {
  return (path) => {
    if (path === from) return to
    const rest = path.slice(from.length)
    return path.startsWith(from) && /^[.[]/.test(rest)
      ? join(to, rest.replace(/^\./, ''))
      : undefined
  }
}

/**
 * Runs table `rules` on `table` (a table built to hold what the operation sets) and reports, through
 * `add`, each issue whose path `map` translates to a path in the operation; the others are dropped.
 */
export function reuse(
  rules: readonly Rule[],
  table: TableSchema,
  map: (path: string) => string | undefined,
  add: Add,
): void {
  for (const check of rules) {
    for (const issue of check(table, '')) {
      const path = map(issue.path)
      if (path !== undefined) add(path, issue.message, issue.hint ?? '')
    }
  }
}

/** A table with nothing but `parts` (and the name): what reuse() runs a rule on for one setting. */
export function bare(name: string, parts: Partial<TableSchema> = {}): TableSchema {
  return { TableName: name, AttributeDefinitions: [], KeySchema: [], ...parts }
}
