import type {
  AttributeDefinition,
  GlobalSecondaryIndex,
  PointInTimeRecoverySpecification,
  SSESpecification,
  TableSchema,
  Tag,
} from '../schema/table-schema.js'
import {
  indexText,
  keyText,
  kmsKey,
  pitrText,
  sseText,
  sseType,
  streamText,
  tableClassText,
} from './table-text.js'

/**
 * Comparisons of one part of a wanted table with the live one, in canonical texts: what verify reports
 * as a check and what the executor's decisions (plan/in-place.ts) test, so that the two always agree.
 * Pure.
 */

/** Two sides of one part of a table in their canonical texts, and whether they agree. */
export type Compared = { same: boolean; expected: string; actual: string; detail?: string }

function compared(expected: string, actual: string, detail?: string): Compared {
  return { same: expected === actual, expected, actual, ...(detail ? { detail } : {}) }
}

/**
 * The primary key: same attributes in the same roles with the same types. A type the endpoint does not
 * report is taken from the wanted side and named in the detail (moto drops definitions after UpdateTable).
 */
export function compareKeys(wanted: TableSchema, live: TableSchema): Compared {
  const unknown: string[] = []
  const expected = keyText(wanted.KeySchema, wanted.AttributeDefinitions)
  const actual = keyText(
    live.KeySchema,
    live.AttributeDefinitions,
    wanted.AttributeDefinitions,
    unknown,
  )
  return compared(
    expected,
    actual,
    unknown.length ? `type of ${unknown.join(', ')} not reported` : undefined,
  )
}

/**
 * One wanted GSI against the live one of the same name: keys and projection, plus provisioned throughput
 * when `provisioned` is true, on-demand maximums when false, no throughput when undefined (the billing
 * modes differ). `actual` is `missing` when there is no such index.
 */
export function compareGsi(
  wanted: GlobalSecondaryIndex,
  wantedDefs: readonly AttributeDefinition[],
  live: TableSchema,
  provisioned: boolean | undefined,
): Compared {
  const expected = indexText(wanted, wantedDefs, provisioned)
  const found = live.GlobalSecondaryIndexes?.find((g) => g.IndexName === wanted.IndexName)
  if (found === undefined) return compared(expected, 'missing')
  return compared(expected, indexText(found, live.AttributeDefinitions, provisioned, wantedDefs))
}

/** PITR (enabled, and its recovery period) as the wanted one, compared by text. */
export function comparePitr(
  wanted: PointInTimeRecoverySpecification | undefined,
  live: TableSchema,
): Compared {
  return compared(pitrText({ PointInTimeRecoverySpecification: wanted }), pitrText(live))
}

/**
 * Encryption. Absent or `SSEEnabled: false` is the AWS owned key; enabled without SSEType is KMS. A wanted
 * KMS key is compared by its key id (a key id, a key ARN and DescribeTable's KMSMasterKeyArn all name it);
 * an alias cannot be resolved without KMS, and no key at all means the AWS managed key, which DescribeTable
 * does not tell apart from a customer managed one: both agree, with the live key in the detail.
 */
export function compareSse(wanted: SSESpecification | undefined, live: TableSchema): Compared {
  const have = live.SSESpecification
  const expected = sseText(wanted)
  const actual = sseText(have)
  if (sseType(wanted) !== sseType(have)) return compared(expected, actual)
  const wantKey = wanted?.KMSMasterKeyId
  const haveKey = have?.KMSMasterKeyId
  const agree = { same: true, expected, actual }
  if (sseType(wanted) === 'DISABLED' || haveKey === undefined) return agree
  if (wantKey === undefined) {
    return {
      ...agree,
      detail: `no key in the schema (the AWS managed key); live key ${haveKey} not compared without KMS`,
    }
  }
  const w = kmsKey(wantKey)
  const h = kmsKey(haveKey)
  if (w.kind === 'alias' || h.kind === 'alias') {
    return {
      ...agree,
      detail: `${wantKey} cannot be resolved without KMS; live key ${haveKey} not compared`,
    }
  }
  return { same: w.id === h.id, expected, actual }
}

/** The stream's view type (or DISABLED). */
export function compareStream(
  wanted: Pick<TableSchema, 'StreamSpecification'>,
  live: TableSchema,
): Compared {
  return compared(streamText(wanted), streamText(live))
}

/** Deletion protection (absent means off). */
export function compareDeletionProtection(
  wanted: boolean | undefined,
  live: TableSchema,
): Compared {
  return compared(String(wanted ?? false), String(live.DeletionProtectionEnabled ?? false))
}

/** The table class (absent means STANDARD). */
export function compareTableClass(
  wanted: Pick<TableSchema, 'TableClass'>,
  live: TableSchema,
): Compared {
  return compared(tableClassText(wanted), tableClassText(live))
}

/** The wanted tags that are absent or carry another value in `live`. */
export function tagsToSet(wanted: readonly Tag[], live: readonly Tag[]): Tag[] {
  return wanted.filter((t) => !live.some((l) => l.Key === t.Key && l.Value === t.Value))
}

/** The keys among `keys` that `live` carries. */
export function tagsToRemove(keys: readonly string[], live: readonly Tag[]): string[] {
  return keys.filter((k) => live.some((l) => l.Key === k))
}
