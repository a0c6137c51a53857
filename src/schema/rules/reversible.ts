import type { MigrationFile } from '../operation.js'
import type { OperationIssue } from './operation-rule.js'

/**
 * A `down` for every `up`: a migration whose `up` changes something and whose `down` is empty is an
 * issue unless it says `"irreversible": true` (then `migrate down` refuses it); an irreversible migration
 * has an empty `down`. Paths are relative to the file. Pure.
 */
export function reversibility(content: MigrationFile): OperationIssue[] {
  const ups = content.up.length
  const downs = content.down.length
  if (content.irreversible === true && downs > 0) {
    return [
      {
        path: 'irreversible',
        message: `is true, but "down" has ${downs} operation${downs === 1 ? '' : 's'}`,
        hint: 'remove "irreversible" (the migration can be reverted), or empty "down"',
      },
    ]
  }
  if (content.irreversible === true || ups === 0 || downs > 0) return []
  const first = content.up[0]
  const example =
    first?.op === 'createGsi'
      ? `, e.g. { "op": "deleteGsi", "table": ${JSON.stringify(first.table)}, "indexName": ${JSON.stringify(first.index.IndexName)} }`
      : first?.op === 'createTable'
        ? `, e.g. { "op": "deleteTable", "table": ${JSON.stringify(first.table)} }`
        : ''
  return [
    {
      path: 'down',
      message: `is empty, but "up" has ${ups} operation${ups === 1 ? '' : 's'}: \`ddbm migrate down\` would revert nothing`,
      hint: `list the operations that undo "up", last first${example}; or, if "up" cannot be undone, add "irreversible": true`,
    },
  ]
}
