import type { TableSchema } from '../schema/table-schema.js'
import type { LiveTable } from './live-table.js'
import { normalizeTable } from './normalize.js'
import type { Check, CheckInput } from './check.js'
import { TABLE_CHECKS } from './table-checks.js'

export type { Check, CheckStatus } from './check.js'
export type { LivePart, LiveTable, TtlStatus } from './live-table.js'

/**
 * Compares a table's schema with its live state through {@link TABLE_CHECKS}, in their order (with `data`,
 * what a seed run wrote and the table's counts, also the post-seed `data:` checks). Both sides
 * go through `normalizeTable` first, so a table a migration has just created shows no drift. Without a
 * live table the result is one `exists` drift and nothing else; without a schema (a live table of the
 * environment that schemas/ does not know) likewise. Pending states (table or GSI CREATING/UPDATING, TTL
 * ENABLING/DISABLING heading the wanted way) are `pending`, not drift. Pure.
 */
export function compareTable(
  logical: string,
  expected: TableSchema | undefined,
  live: LiveTable | undefined,
  data?: CheckInput['data'],
): Check[] {
  if (expected === undefined && live === undefined) return []
  if (expected === undefined) {
    return [
      {
        table: logical,
        check: 'exists',
        status: 'drift',
        expected: 'absent',
        actual: 'exists',
        detail: `no schemas/${logical}.json: delete the table, or \`ddbm db pull --table ${logical}\``,
      },
    ]
  }
  if (live === undefined) {
    return [
      { table: logical, check: 'exists', status: 'drift', expected: 'exists', actual: 'missing' },
    ]
  }
  const input: CheckInput = {
    e: normalizeTable(expected),
    l: normalizeTable(live.definition),
    live,
    ...(data === undefined ? {} : { data }),
  }
  return TABLE_CHECKS.flatMap((run) => run(input).map((c) => ({ table: logical, ...c })))
}
