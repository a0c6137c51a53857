import type { TableSchema } from '../schema/table-schema.js'
import type { LiveTable } from './live-table.js'

/**
 * The model of verification: a check's result, what every check reads, and what a seed run adds to it.
 * compare.ts runs the checks (table-checks.ts lists them); this file holds only their shapes, so that
 * each family of checks can use them without importing the list that imports it.
 */

/** `ok`; `drift` (expected ≠ actual); `unsupported` (the endpoint cannot answer); `pending` (in progress). */
export type CheckStatus = 'ok' | 'drift' | 'unsupported' | 'pending'

/**
 * One verification result. `check` is short and stable: `exists`, `keys`, `gsi:<name>`,
 * `gsi:<name>:extra`, `lsi:<name>`, `lsi:<name>:extra`, `billing`, `ttl`, `pitr`, `sse`, `stream`,
 * `deletionProtection`, `tableClass`, `tags`. `expected` and `actual` are JSON-safe display values.
 */
export type Check = {
  table: string
  check: string
  status: CheckStatus
  expected?: unknown
  actual?: unknown
  detail?: string
}

/**
 * What every check reads: the normalized schema `e`, the normalized live definition `l`, the live table,
 * and after a seed run what it wrote and what the table now holds (the `data:` checks).
 */
export type CheckInput = {
  e: TableSchema
  l: TableSchema
  live: LiveTable
  data?: { tally: SeedTally; counts: DataCounts }
}

/** One check of a table (without its table name, which compareTable adds). */
export type TableCheckResult = Omit<Check, 'table'>

/** A verify check: a pure function of the input to zero or more results. */
export type TableCheck = (input: CheckInput) => TableCheckResult[]

/**
 * What a seed run wrote to one table, tallied item by item as they stream past (nothing is held): the
 * expectation the post-seed checks hold the live table to. Pure.
 */
export type SeedTally = {
  /** Items written (distinct keys: duplicates are refused before writing). */
  written: number
  /** Items the table held before the seed wrote (0 after `--clear`). */
  before: number
  /** Per GSI of the schema: written items that carry every key attribute of the index (sparse indexes). */
  indexes: Record<string, number>
  /** The TTL attribute's values among the written items, when the schema enables TTL. */
  ttl?: {
    attribute: string
    /** Items that carry the attribute. */
    present: number
    /** Values that are not numbers: DynamoDB ignores them, so those items never expire. */
    notNumber: number
    /** Numbers too large for epoch seconds (the classic Date.now() in milliseconds). */
    milliseconds: number
    /** Epoch seconds already past at seeding time: such items expire at the next sweep. */
    past: number
  }
}

/** What the live table holds after seeding: consistent item count, and the count of each GSI. */
export type DataCounts = { items: number; indexes: Record<string, number> }
