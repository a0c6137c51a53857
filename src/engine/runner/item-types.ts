/** The shapes of the item operations' arguments and results (item-ops.ts), on their own so that update-expression.ts can use them too. */

/** An item or key as a plain JS object (strings, numbers, booleans, null, arrays, objects, Sets, bytes). */
export type Item = Record<string, unknown>

/** Placeholders of an expression: `names` (`#n` → attribute name) and `values` (`:v` → plain JS value). */
export type ExpressionOptions = {
  names?: Record<string, string>
  values?: Record<string, unknown>
}

/** A conditional write: `condition` (a ConditionExpression) and what to do when it is false. */
export type WriteOptions = ExpressionOptions & {
  condition?: string
  /**
   * When `condition` is false: `'throw'` (the default) fails the migration with a DdbmError
   * (MIGRATION_FAILED naming the table and the item); `'skip'` leaves the item unchanged and the call
   * returns `false` (update: `{ updated: false }`), which makes "write only if not done yet" idempotent.
   */
  ifConditionFails?: 'throw' | 'skip'
}

/**
 * What to change: `set` (attribute name → value; top-level attributes, `undefined` values are left out)
 * and/or `remove` (top-level attribute names), or a raw UpdateExpression in `expression` (with `names` and
 * `values`), not both. `set` / `remove` generate the placeholders `#set<n>`, `:set<n>` and `#rm<n>`.
 */
export type UpdateOptions = WriteOptions & {
  set?: Record<string, unknown>
  remove?: readonly string[]
  expression?: string
  /** ReturnValues of UpdateItem; default `'NONE'`. */
  returnValues?: 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW'
}

/** The outcome of `update`: false `updated` only when the condition failed with `'skip'`. */
export type UpdateResult = { updated: boolean; attributes: Item | undefined }

/** A read: strongly consistent by default (`consistent: true`). */
export type GetOptions = { consistent?: boolean }

/**
 * A paginated read. `filter` is a FilterExpression (applied after each page is read, so a page may yield
 * fewer items than `pageSize`, the Limit of each request). `consistent` defaults to true on the table and
 * to false on an `index` (global secondary indexes only allow eventually consistent reads).
 */
export type ScanOptions = ExpressionOptions & {
  filter?: string
  index?: string
  consistent?: boolean
  pageSize?: number
}

/** A Query: `keyCondition` (a KeyConditionExpression) is required; `forward: false` reverses sort order. */
export type QueryOptions = ScanOptions & { keyCondition: string; forward?: boolean }
