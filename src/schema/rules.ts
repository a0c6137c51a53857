import { sortIssues } from './issues.js'
import type { Issue } from './issues.js'
import { onDemandThroughput, provisionedThroughput } from './rules/billing.js'
import { indexLimits, lsiKeys, projectedAttributeLimit, projections } from './rules/indexes.js'
import {
  keyAttributesDefined,
  keySchemaShape,
  noDuplicateDefinitions,
  noUnusedDefinitions,
} from './rules/keys.js'
import { indexNames, tableName, uniqueIndexNames } from './rules/names.js'
import type { Rule } from './rules/rule.js'
import { pointInTimeRecovery, serverSideEncryption, timeToLive } from './rules/settings.js'
import { tags } from './rules/tags.js'
import type { TableSchema } from './table-schema.js'

export type { Rule } from './rules/rule.js'

/** Every rule; checkTable runs them all, so a file's problems are all reported at once. */
export const RULES: readonly Rule[] = [
  tableName,
  indexNames,
  keySchemaShape,
  keyAttributesDefined,
  noUnusedDefinitions,
  noDuplicateDefinitions,
  uniqueIndexNames,
  indexLimits,
  lsiKeys,
  projections,
  projectedAttributeLimit,
  provisionedThroughput,
  onDemandThroughput,
  timeToLive,
  pointInTimeRecovery,
  serverSideEncryption,
  tags,
]

/** All issues of one parsed table (every rule runs; none stops at the first problem), sorted. */
export function checkTable(table: TableSchema, file: string): Issue[] {
  return sortIssues(RULES.flatMap((check) => check(table, file)))
}
