import { RULES } from '../rules.js'
import { dispatch, type Operation, type PerKind } from '../operation.js'
import type { TableSchema } from '../table-schema.js'
import { createGsiRules, updateBillingRules } from './index-operations.js'
import { checkName, tableName } from './names.js'
import { bare, join, reuse, under, type OperationIssue } from './operation-rule.js'
import { q, type Add } from './rule.js'
import { pointInTimeRecovery, serverSideEncryption, timeToLive } from './settings.js'
import { MAX_TAGS, tags } from './tags.js'

export type { OperationIssue } from './operation-rule.js'

const nothing = (): void => undefined

/**
 * The rules of each kind of operation, given the table as the migrations before it leave it (undefined
 * when there is none). They are the rules of schemas/ (docs/dynamodb-rules.md, "Table definitions")
 * applied to what the operation sets: a createTable's definition gets every table rule, a createGsi its
 * index's rules and the table's limits with it, a setting the rule of that setting. Whether the table (or
 * index) exists at that point is the replay's check, not theirs.
 */
export const OPERATION_RULES: PerKind<[table: TableSchema | undefined, add: Add], void> = {
  // TableName differs from `table` only when the replay reports the mismatch: its rule would repeat it.
  createTable: (op, _table, add) =>
    reuse(
      RULES.filter((r) => r !== tableName),
      op.definition,
      (path) => join('definition', path),
      add,
    ),
  deleteTable: nothing,
  createGsi: createGsiRules,
  deleteGsi: (op, _table, add) => checkName(op.indexName, 'index', 'indexName', add),
  updateTtl: (op, table, add) => {
    const name = op.ttl.AttributeName
    const withTtl = bare(op.table, { TimeToLiveSpecification: op.ttl })
    reuse([timeToLive], withTtl, under('TimeToLiveSpecification', 'ttl'), add)
    const key = table?.AttributeDefinitions.find((d) => d.AttributeName === name)
    if (!op.ttl.Enabled || key === undefined || key.AttributeType === 'N') return
    const message = `${q(name)} is a key attribute of type ${q(key.AttributeType)} on ${q(op.table)}; TTL needs a Number (epoch seconds)`
    add('ttl.AttributeName', message, 'use another attribute, holding the expiry time as a Number')
  },
  updatePitr: (op, _table, add) => {
    const withPitr = bare(op.table, { PointInTimeRecoverySpecification: op.pitr })
    reuse([pointInTimeRecovery], withPitr, under('PointInTimeRecoverySpecification', 'pitr'), add)
  },
  updateBilling: updateBillingRules,
  updateStream: nothing,
  updateSse: (op, _table, add) => {
    const withSse = bare(op.table, { SSESpecification: op.sse })
    reuse([serverSideEncryption], withSse, under('SSESpecification', 'sse'), add)
  },
  updateDeletionProtection: nothing,
  updateTableClass: nothing,
  tag: (op, table, add) => {
    // With the table, the count is of its tags and these together (below), not of these alone.
    const map = (path: string) =>
      path === 'Tags' && table !== undefined ? undefined : under('Tags', 'tags')(path)
    reuse([tags], bare(op.table, { Tags: op.tags }), map, add)
    if (table === undefined) return
    const keys = new Set([...(table.Tags ?? []), ...op.tags].map((t) => t.Key))
    if (keys.size <= MAX_TAGS) return
    const message = `would give ${q(op.table)} ${keys.size} tags; DynamoDB allows at most ${MAX_TAGS} per table`
    add('tags', message, `tag fewer, or untag ${keys.size - MAX_TAGS} first`)
  },
  untag: nothing,
}

/**
 * Every problem of `op` by the rules of its kind (OPERATION_RULES), given `table`, the table as the
 * migrations before it leave it (undefined when there is none). Paths are relative to the operation. Pure.
 */
export function checkOperation(op: Operation, table: TableSchema | undefined): OperationIssue[] {
  const issues: OperationIssue[] = []
  dispatch(OPERATION_RULES, op, table, (path, message, hint) => {
    issues.push({ path, message, hint })
  })
  return issues
}
