import type { TableSchema } from '../schema/table-schema.js'
import type { LivePart, LiveTable } from './live-table.js'
import { normalizeTable } from './normalize.js'
import { compareSse } from './part-compare.js'

/** The schema field that holds each part an endpoint may be unable to report. */
const FIELDS = {
  pitr: 'PointInTimeRecoverySpecification',
  tags: 'Tags',
  sse: 'SSESpecification',
  tableClass: 'TableClass',
} as const satisfies Record<LivePart, keyof TableSchema>

/** What `db pull` writes for one live table, and what a reader of the file should know. */
export type PulledSchema = {
  /** Normalized (plan/normalize.ts), without `$schema`. */
  definition: TableSchema
  /** The parts the endpoint could not report: the existing file's value is kept, a new file has none. */
  unreported: LivePart[]
  /** One sentence per decision a reader should know of (the KMS key). */
  notes: string[]
}

/**
 * The schema `db pull` writes for `live`, given the file's current table (`existing`, undefined for a new
 * or unreadable file). Only what the endpoint reports comes from the live table: a part it cannot report
 * (PITR and tags on DynamoDB Local, ...) keeps the existing file's value, and is left out of a new file,
 * never invented. DescribeTable gives a KMS key's ARN for the AWS managed key and a customer managed one
 * alike: the existing file's SSE is kept when it agrees with the live one (plan/part-compare.ts
 * compareSse), otherwise the key is left out (the AWS managed key, the common case) and a note says so.
 * Pure.
 */
export function pulledSchema(live: LiveTable, existing: TableSchema | undefined): PulledSchema {
  const notes: string[] = []
  const out: TableSchema = { ...normalizeTable(live.definition) }
  const kept = existing === undefined ? undefined : normalizeTable(existing)
  for (const part of live.unsupported) {
    const field = FIELDS[part]
    delete out[field]
    if (kept?.[field] !== undefined) Object.assign(out, { [field]: kept[field] })
  }
  const sse = out.SSESpecification
  if (!live.unsupported.includes('sse') && sse?.KMSMasterKeyId !== undefined) {
    if (kept !== undefined && compareSse(kept.SSESpecification, out).same) {
      if (kept.SSESpecification === undefined) delete out.SSESpecification
      else out.SSESpecification = kept.SSESpecification
    } else {
      const { KMSMasterKeyId: key, ...rest } = sse
      out.SSESpecification = rest
      notes.push(
        `SSE uses KMS key ${key}; written as the AWS managed key. Add "KMSMasterKeyId" if it is a customer managed key.`,
      )
    }
  }
  return { definition: normalizeTable(out), unreported: [...live.unsupported], notes }
}
