import type {
  AttributeDefinition,
  KeySchema,
  OnDemandThroughput,
  Projection,
  ProvisionedThroughput,
  SSESpecification,
  TableSchema,
} from '../schema/table-schema.js'

/**
 * The one home of ddbm's defaults for table settings and of their canonical texts. Two normalized
 * definitions agree on a part exactly when their texts for it are equal, so the executor's "already in
 * place?" decisions, verify's checks and the messages of both use these. Pure.
 */

/** CloudFormation's default billing mode: a schema without BillingMode is PROVISIONED. */
export const DEFAULT_BILLING_MODE = 'PROVISIONED'
/** DynamoDB's PITR recovery period when none is given. */
export const DEFAULT_RECOVERY_DAYS = 35
/** A table without TableClassSummary (AWS) is STANDARD. */
export const DEFAULT_TABLE_CLASS = 'STANDARD'
/** On-demand maximums: DescribeTable's "no limit", also what UpdateTable takes to remove one. */
export const NO_LIMIT = -1

/** A table's billing mode, defaulted. */
export function billingMode(
  t: Pick<TableSchema, 'BillingMode'>,
): 'PROVISIONED' | 'PAY_PER_REQUEST' {
  return t.BillingMode ?? DEFAULT_BILLING_MODE
}

/**
 * `PK:S HASH, SK:N RANGE`. A type `defs` lacks is taken from `fallback` (the wanted side's) and its
 * attribute pushed to `unknown`: moto drops attribute definitions after some UpdateTables, and a type
 * nobody reported is not drift.
 */
export function keyText(
  keys: KeySchema,
  defs: readonly AttributeDefinition[],
  fallback: readonly AttributeDefinition[] = [],
  unknown: string[] = [],
): string {
  return keys
    .map((k) => {
      let type = defs.find((d) => d.AttributeName === k.AttributeName)?.AttributeType
      if (type === undefined) {
        type = fallback.find((d) => d.AttributeName === k.AttributeName)?.AttributeType
        unknown.push(k.AttributeName)
      }
      return `${k.AttributeName}:${type ?? '?'} ${k.KeyType}`
    })
    .join(', ')
}

/** `ALL`, `KEYS_ONLY`, or `INCLUDE [a, b]` (non-key attributes sorted). */
export function projectionText(p: Projection): string {
  const attributes = [...(p.NonKeyAttributes ?? [])].sort()
  return attributes.length ? `${p.ProjectionType} [${attributes.join(', ')}]` : p.ProjectionType
}

/** `read 5, write 5`, or `no throughput`. */
export function provisionedText(p: ProvisionedThroughput | undefined): string {
  return p === undefined
    ? 'no throughput'
    : `read ${p.ReadCapacityUnits}, write ${p.WriteCapacityUnits}`
}

/** On-demand maximums other than "no limit" (absent or -1), or '' when there are none. */
export function onDemandText(p: OnDemandThroughput | undefined): string {
  const parts = [
    ['max read', p?.MaxReadRequestUnits],
    ['max write', p?.MaxWriteRequestUnits],
  ].filter(([, v]) => v !== undefined && v !== NO_LIMIT)
  return parts.map(([k, v]) => `${k} ${v}`).join(', ')
}

/** `PAY_PER_REQUEST`, `PAY_PER_REQUEST (max read 100)` or `PROVISIONED (read 5, write 5)`. */
export function billingText(t: TableSchema): string {
  const mode = billingMode(t)
  const extra =
    mode === 'PROVISIONED'
      ? provisionedText(t.ProvisionedThroughput)
      : onDemandText(t.OnDemandThroughput)
  return extra === '' ? mode : `${mode} (${extra})`
}

/** A GSI or LSI as far as texts go. */
export type IndexLike = {
  IndexName: string
  KeySchema: KeySchema
  Projection: Projection
  ProvisionedThroughput?: ProvisionedThroughput
  OnDemandThroughput?: OnDemandThroughput
}

/**
 * One index as `keys; projection` plus, when `provisioned` is true, its provisioned throughput, and when
 * false, its on-demand maximums (undefined: throughput left out, as for LSIs and a billing-mode switch).
 */
export function indexText(
  index: IndexLike,
  defs: readonly AttributeDefinition[],
  provisioned?: boolean,
  fallback: readonly AttributeDefinition[] = [],
): string {
  const parts = [keyText(index.KeySchema, defs, fallback), projectionText(index.Projection)]
  if (provisioned === true) parts.push(provisionedText(index.ProvisionedThroughput))
  if (provisioned === false) {
    const od = onDemandText(index.OnDemandThroughput)
    if (od !== '') parts.push(od)
  }
  return parts.join('; ')
}

/** `ENABLED (35 days)` or `DISABLED`: the recovery period is explicit. */
export function pitrText(t: Pick<TableSchema, 'PointInTimeRecoverySpecification'>): string {
  const spec = t.PointInTimeRecoverySpecification
  return spec?.PointInTimeRecoveryEnabled === true
    ? `ENABLED (${spec.RecoveryPeriodInDays ?? DEFAULT_RECOVERY_DAYS} days)`
    : 'DISABLED'
}

/** The stream's view type, or `DISABLED`. */
export function streamText(t: Pick<TableSchema, 'StreamSpecification'>): string {
  return t.StreamSpecification?.StreamViewType ?? 'DISABLED'
}

/** The table class, defaulted. */
export function tableClassText(t: Pick<TableSchema, 'TableClass'>): string {
  return t.TableClass ?? DEFAULT_TABLE_CLASS
}

/** Tags as a `{ key: value }` object with sorted keys (order-insensitive). */
export function tagsText(t: Pick<TableSchema, 'Tags'>): Record<string, string> {
  const sorted = [...(t.Tags ?? [])].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0))
  return Object.fromEntries(sorted.map((tag) => [tag.Key, tag.Value]))
}

/** Encryption as a type: `DISABLED` (absent or off: the AWS owned key), `KMS` (the default type) or `AES256`. */
export function sseType(sse: SSESpecification | undefined): 'DISABLED' | 'KMS' | 'AES256' {
  return sse?.SSEEnabled === true ? (sse.SSEType ?? 'KMS') : 'DISABLED'
}

/** `KMS`, or `KMS <key>` when a key is named. */
export function sseText(sse: SSESpecification | undefined): string {
  const type = sseType(sse)
  const key = sse?.KMSMasterKeyId
  return key && type !== 'DISABLED' ? `${type} ${key}` : type
}

/**
 * What a KMS key reference names: a key id (from a bare id such as `1234abcd-...` or `mrk-...`, or a key
 * ARN `arn:aws:kms:<region>:<account>:key/<id>`), or an alias (`alias/x`, or an alias ARN).
 */
export function kmsKey(ref: string): { kind: 'key'; id: string } | { kind: 'alias'; name: string } {
  const arn = /^arn:[^:]+:kms:[^:]*:[^:]*:(key|alias)\/(.+)$/.exec(ref)
  if (arn !== null) {
    return arn[1] === 'key'
      ? { kind: 'key', id: arn[2] ?? '' }
      : { kind: 'alias', name: arn[2] ?? '' }
  }
  if (ref.startsWith('alias/')) return { kind: 'alias', name: ref.slice('alias/'.length) }
  return { kind: 'key', id: ref }
}
