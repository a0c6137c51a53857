import type {
  GlobalSecondaryIndexDescription,
  GlobalSecondaryIndexUpdate,
  KeySchemaElement as LiveKeyElement,
  AttributeDefinition as LiveAttributeDefinition,
  OnDemandThroughput as LiveOnDemand,
  PointInTimeRecoveryDescription,
  ProvisionedThroughputDescription,
  SSEDescription,
  TableDescription,
  Tag as LiveTag,
  TimeToLiveDescription,
  UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb'
import { DdbmError } from '../../errors.js'
import type { OperationOf } from '../../schema/operation.js'
import type {
  AttributeDefinition,
  GlobalSecondaryIndex,
  KeySchema,
  OnDemandThroughput,
  PointInTimeRecoverySpecification,
  ProvisionedThroughput,
  SSESpecification,
  TableSchema,
  Tag,
  TimeToLiveSpecification,
} from '../../schema/table-schema.js'

/**
 * Pure comparisons of a live description with a wanted state: what each converging step decides before it
 * sends anything. No I/O; the SDK is imported for its types only.
 */

/** `pk HASH (S), sk RANGE (N)`; the type is `?` when the description lacks the attribute definition. */
function keyText(
  keys: readonly LiveKeyElement[],
  defs: readonly LiveAttributeDefinition[],
): string {
  return keys
    .map((k) => {
      const type = defs.find((d) => d.AttributeName === k.AttributeName)?.AttributeType ?? '?'
      return `${k.AttributeName} ${k.KeyType} (${type})`
    })
    .join(', ')
}

/**
 * Why the live table's primary key differs from the definition's, or undefined when it matches: same key
 * attributes in the same roles, with the same types. A type the description does not list is not compared
 * (moto drops definitions after an UpdateTable).
 */
export function keyDrift(definition: TableSchema, live: TableDescription): string | undefined {
  const liveKeys = live.KeySchema ?? []
  const liveDefs = live.AttributeDefinitions ?? []
  const same =
    liveKeys.length === definition.KeySchema.length &&
    definition.KeySchema.every((k, i) => {
      const l = liveKeys[i]
      if (l?.AttributeName !== k.AttributeName || l.KeyType !== k.KeyType) return false
      const want = definition.AttributeDefinitions.find((d) => d.AttributeName === k.AttributeName)
      const have = liveDefs.find((d) => d.AttributeName === k.AttributeName)
      return want === undefined || have === undefined || want.AttributeType === have.AttributeType
    })
  if (same) return undefined
  return `table ${live.TableName} already exists with key ${keyText(liveKeys, liveDefs)}, not ${keyText(
    definition.KeySchema,
    definition.AttributeDefinitions,
  )}: that is drift, not a re-run (delete or rename the table, or fix the migration)`
}

/** Why an existing GSI differs from the wanted one (keys or projection type), or undefined. */
export function indexDrift(
  wanted: GlobalSecondaryIndex,
  live: GlobalSecondaryIndexDescription,
): string | undefined {
  const liveKeys = live.KeySchema ?? []
  const sameKeys =
    liveKeys.length === wanted.KeySchema.length &&
    wanted.KeySchema.every(
      (k, i) =>
        liveKeys[i]?.AttributeName === k.AttributeName && liveKeys[i]?.KeyType === k.KeyType,
    )
  const wantedProjection = wanted.Projection.ProjectionType ?? 'KEYS_ONLY'
  const liveProjection = live.Projection?.ProjectionType ?? 'KEYS_ONLY'
  if (sameKeys && wantedProjection === liveProjection) return undefined
  const text = (keys: KeySchema | LiveKeyElement[], projection: string): string =>
    `${keys.map((k) => `${k.AttributeName} ${k.KeyType}`).join(', ')}; ${projection}`
  return `index ${wanted.IndexName} already exists as (${text(liveKeys, liveProjection)}), not (${text(
    wanted.KeySchema,
    wantedProjection,
  )}): delete it first or give the new index another name`
}

/**
 * The live attribute definitions plus the ones a new index needs (UpdateTable wants every attribute that
 * a key of the table or of an index uses; sending the full set also keeps moto's description whole).
 * Throws on an attribute already defined with another type.
 */
export function mergeAttributeDefinitions(
  live: readonly LiveAttributeDefinition[],
  wanted: readonly AttributeDefinition[],
): LiveAttributeDefinition[] {
  const merged = new Map(live.map((d) => [d.AttributeName, d.AttributeType]))
  for (const d of wanted) {
    const type = merged.get(d.AttributeName)
    if (type !== undefined && type !== d.AttributeType) {
      throw new DdbmError(
        'MIGRATION_FAILED',
        `attribute ${d.AttributeName} is already a key attribute of type ${type}, the index wants ${d.AttributeType}`,
      )
    }
    merged.set(d.AttributeName, d.AttributeType)
  }
  return [...merged].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }))
}

/** What a TTL step must do: nothing, one UpdateTimeToLive, or fail (a change DynamoDB refuses). */
export type TtlDecision =
  | { action: 'skip'; detail: string }
  | { action: 'update'; attributeName: string; enabled: boolean }
  | { action: 'refuse'; message: string }

/**
 * Decides a TTL step from DescribeTimeToLive. ENABLING and DISABLING count as in progress (skip when they
 * head the wanted way). Changing the attribute of an enabled TTL, or enabling while DISABLING, is refused
 * with the reason: DynamoDB allows one TTL change per table per hour.
 */
export function ttlDecision(
  wanted: TimeToLiveSpecification,
  live: TimeToLiveDescription | undefined,
): TtlDecision {
  const status = live?.TimeToLiveStatus ?? 'DISABLED'
  const attribute = live?.AttributeName
  if (!wanted.Enabled) {
    if (status === 'DISABLED' || status === 'DISABLING') {
      return { action: 'skip', detail: `TTL is ${status}` }
    }
    const name = attribute ?? wanted.AttributeName
    if (name === undefined) return { action: 'refuse', message: 'TTL is enabled on no attribute' }
    return { action: 'update', attributeName: name, enabled: false }
  }
  if (wanted.AttributeName === undefined) {
    return { action: 'refuse', message: 'enabling TTL needs an AttributeName' }
  }
  if (status === 'ENABLED' || status === 'ENABLING') {
    if (attribute === wanted.AttributeName) {
      return { action: 'skip', detail: `TTL is ${status} on ${attribute}` }
    }
    return {
      action: 'refuse',
      message: `TTL is ${status} on attribute ${attribute ?? '?'}, not ${wanted.AttributeName}: disable it, then enable it on the new attribute at least 1 h later (DynamoDB allows one TTL change per table per hour)`,
    }
  }
  if (status === 'DISABLING') {
    return {
      action: 'refuse',
      message: `TTL is still DISABLING; it can be enabled again once that finishes (up to 1 h)`,
    }
  }
  return { action: 'update', attributeName: wanted.AttributeName, enabled: true }
}

/** True when PITR is in the wanted state (enabled with the same recovery period, default 35 days). */
export function pitrMatches(
  wanted: PointInTimeRecoverySpecification,
  live: PointInTimeRecoveryDescription | undefined,
): boolean {
  const enabled = live?.PointInTimeRecoveryStatus === 'ENABLED'
  if (!(wanted.PointInTimeRecoveryEnabled ?? false)) return !enabled
  return enabled && (live?.RecoveryPeriodInDays ?? 35) === (wanted.RecoveryPeriodInDays ?? 35)
}

function sameProvisioned(
  wanted: ProvisionedThroughput,
  live: ProvisionedThroughputDescription | undefined,
): boolean {
  return (
    live?.ReadCapacityUnits === wanted.ReadCapacityUnits &&
    live.WriteCapacityUnits === wanted.WriteCapacityUnits
  )
}

/** Fields left out of the wanted on-demand throughput are not compared; -1 (no limit) is the default. */
function sameOnDemand(wanted: OnDemandThroughput, live: LiveOnDemand | undefined): boolean {
  return (
    (wanted.MaxReadRequestUnits === undefined ||
      (live?.MaxReadRequestUnits ?? -1) === wanted.MaxReadRequestUnits) &&
    (wanted.MaxWriteRequestUnits === undefined ||
      (live?.MaxWriteRequestUnits ?? -1) === wanted.MaxWriteRequestUnits)
  )
}

/**
 * The UpdateTable fields (without TableName) that bring billing to the wanted state, or undefined when it
 * already matches. A table without BillingModeSummary is PROVISIONED (AWS and DynamoDB Local omit it for
 * tables created provisioned). Only throughput that differs is sent (AWS refuses an unchanged value),
 * except on a switch to PROVISIONED, which needs every value.
 */
export function billingUpdate(
  op: OperationOf<'updateBilling'>,
  live: TableDescription,
): Omit<UpdateTableCommandInput, 'TableName'> | undefined {
  const switching = (live.BillingModeSummary?.BillingMode ?? 'PROVISIONED') !== op.billingMode
  const provisioned = op.billingMode === 'PROVISIONED'
  const input: Omit<UpdateTableCommandInput, 'TableName'> = {}
  if (provisioned && op.provisionedThroughput) {
    if (switching || !sameProvisioned(op.provisionedThroughput, live.ProvisionedThroughput)) {
      input.ProvisionedThroughput = op.provisionedThroughput
    }
  }
  if (!provisioned && op.onDemandThroughput) {
    if (!sameOnDemand(op.onDemandThroughput, live.OnDemandThroughput)) {
      input.OnDemandThroughput = op.onDemandThroughput
    }
  }
  const updates: GlobalSecondaryIndexUpdate[] = []
  for (const index of op.indexes ?? []) {
    const gsi = live.GlobalSecondaryIndexes?.find((g) => g.IndexName === index.IndexName)
    const pt = index.ProvisionedThroughput
    const od = index.OnDemandThroughput
    if (provisioned && pt && (switching || !sameProvisioned(pt, gsi?.ProvisionedThroughput))) {
      updates.push({ Update: { IndexName: index.IndexName, ProvisionedThroughput: pt } })
    } else if (!provisioned && od && !sameOnDemand(od, gsi?.OnDemandThroughput)) {
      updates.push({ Update: { IndexName: index.IndexName, OnDemandThroughput: od } })
    }
  }
  if (updates.length) input.GlobalSecondaryIndexUpdates = updates
  if (!switching && Object.keys(input).length === 0) return undefined
  return { BillingMode: op.billingMode, ...input }
}

/** The stream view type of a live table, or undefined when it has no enabled stream. */
export function liveStream(live: TableDescription): string | undefined {
  return live.StreamSpecification?.StreamEnabled
    ? live.StreamSpecification.StreamViewType
    : undefined
}

/**
 * True when the live encryption is the wanted one. An absent SSEDescription means the AWS owned key
 * (SSEEnabled false). A KMS key given as an alias cannot be resolved without KMS and is not compared.
 */
export function sseMatches(wanted: SSESpecification, live: SSEDescription | undefined): boolean {
  const enabled = ['ENABLED', 'ENABLING', 'UPDATING'].includes(live?.Status ?? 'DISABLED')
  if (!wanted.SSEEnabled) return !enabled
  const key = wanted.KMSMasterKeyId
  if (!enabled || key === undefined || key.startsWith('alias/')) return enabled
  const arn = live?.KMSMasterKeyArn ?? ''
  return arn === key || arn.endsWith(`/${key}`)
}

/** The wanted tags that are absent or carry another value in `live`. */
export function tagsToSet(wanted: readonly Tag[], live: readonly LiveTag[]): Tag[] {
  return wanted.filter((t) => !live.some((l) => l.Key === t.Key && l.Value === t.Value))
}

/** The keys among `keys` that `live` carries. */
export function tagsToRemove(keys: readonly string[], live: readonly LiveTag[]): string[] {
  return keys.filter((k) => live.some((l) => l.Key === k))
}
