import type { TableSchema } from '../schema/table-schema.js'

/** Parts of a table an endpoint may be unable to report (docs/engines.md). */
export type LivePart = 'pitr' | 'tags' | 'sse' | 'tableClass'

/** DescribeTimeToLive's TimeToLiveStatus. */
export type TtlStatus = 'ENABLED' | 'ENABLING' | 'DISABLED' | 'DISABLING'

/**
 * A live table as ddbm sees it: the one model both the executor's "already in place?" decisions and
 * verify / pull work on (engine/live/read-live-table.ts builds it from DescribeTable, DescribeTimeToLive,
 * DescribeContinuousBackups and ListTagsOfResource; plan/ never sees SDK types). `definition` is
 * CloudFormation-shaped, as a schema file would say it, and holds only what the endpoint reported: a part
 * listed in `unsupported` is absent from it, never guessed.
 */
export type LiveTable = {
  definition: TableSchema
  /** The table's ARN (for the tagging calls); absent when DescribeTable gave none. */
  arn?: string
  /** Each GSI's IndexStatus (CREATING, UPDATING, DELETING, ACTIVE) and Backfilling flag. */
  indexes: Record<string, { status: string; backfilling: boolean }>
  /** TableStatus (CREATING, UPDATING, DELETING, ACTIVE, ...). */
  tableStatus: string
  /** Absent when DescribeTimeToLive gave no description (the same as DISABLED). */
  ttlStatus?: TtlStatus
  /** What the endpoint cannot answer: those checks are `unsupported`, never `ok`. */
  unsupported: LivePart[]
  /** Why each unsupported part is unsupported, for the check's detail. */
  unsupportedReasons?: Partial<Record<LivePart, string>>
}

/** The live TTL: its status (absent description = DISABLED) and the attribute DescribeTimeToLive names. */
export function liveTtl(live: LiveTable): { status: TtlStatus; attribute: string | undefined } {
  return {
    status: live.ttlStatus ?? 'DISABLED',
    attribute: live.definition.TimeToLiveSpecification?.AttributeName,
  }
}

/** Why `part` cannot be read from this endpoint, or undefined when it can. */
export function unsupportedPart(live: LiveTable, part: LivePart): string | undefined {
  if (!live.unsupported.includes(part)) return undefined
  return live.unsupportedReasons?.[part] ?? 'the endpoint does not report it'
}
