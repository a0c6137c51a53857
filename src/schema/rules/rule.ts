import type { Issue } from '../issues.js'
import type {
  GlobalSecondaryIndex,
  KeySchema,
  LocalSecondaryIndex,
  TableSchema,
} from '../table-schema.js'

/**
 * The rules DynamoDB itself enforces on a table definition (docs/dynamodb-rules.md, "Table
 * definitions"), as small pure functions. Each returns every issue
 * it finds, with the file, the JSON path, a message quoting the offending value and a hint.
 */
export type Rule = (table: TableSchema, file: string) => Issue[]

/** How a check reports one issue: the JSON path, a message quoting the value, and a hint. */
export type Add = (path: string, message: string, hint: string) => void

/** An index of the table with its JSON path (`GlobalSecondaryIndexes[0]`). */
export type IndexRef = { path: string; index: GlobalSecondaryIndex | LocalSecondaryIndex }

/** JSON text of a value, for quoting it in a message. */
export const q = (value: unknown): string => JSON.stringify(value)

/** `rest` under the JSON path `base` ('' for the table itself). */
export const at = (base: string, rest: string): string => (base === '' ? rest : `${base}.${rest}`)

/** Length in characters (code points), as DynamoDB counts name and tag lengths. */
export const chars = (text: string): number => [...text].length

/** A Rule from a check that reports through `add`, which fills in the file. */
export function rule(check: (table: TableSchema, add: Add) => void): Rule {
  return (table, file) => {
    const issues: Issue[] = []
    check(table, (path, message, hint) => issues.push({ file, path, message, hint }))
    return issues
  }
}

/** The table's global secondary indexes with their paths, in file order. */
export function gsis(table: TableSchema): IndexRef[] {
  const list = table.GlobalSecondaryIndexes ?? []
  return list.map((index, i) => ({ path: `GlobalSecondaryIndexes[${i}]`, index }))
}

/** The table's local secondary indexes with their paths, in file order. */
export function lsis(table: TableSchema): IndexRef[] {
  const list = table.LocalSecondaryIndexes ?? []
  return list.map((index, i) => ({ path: `LocalSecondaryIndexes[${i}]`, index }))
}

/** Every index of the table: the GSIs, then the LSIs. */
export const indexes = (table: TableSchema): IndexRef[] => [...gsis(table), ...lsis(table)]

/** The table's key schema and every index's, each with the path of its owner ('' for the table). */
export function keySchemas(table: TableSchema): Array<{ base: string; keys: KeySchema }> {
  const own = { base: '', keys: table.KeySchema }
  return [own, ...indexes(table).map((r) => ({ base: r.path, keys: r.index.KeySchema }))]
}
