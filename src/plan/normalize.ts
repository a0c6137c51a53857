import type {
  AttributeDefinition,
  KeySchema,
  OnDemandThroughput,
  Projection,
  ProvisionedThroughput,
  TableSchema,
} from '../schema/table-schema.js'

import { billingMode, DEFAULT_RECOVERY_DAYS, DEFAULT_TABLE_CLASS, NO_LIMIT } from './table-text.js'

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The canonical form of a table definition, so that two definitions that DynamoDB treats the same compare
 * equal: `$schema` dropped; settings that mean "off" or "default" removed (TTL disabled, PITR disabled, SSE
 * disabled, deletion protection false, table class STANDARD, stream absent, on-demand limits of -1);
 * BillingMode made explicit (CloudFormation's default PROVISIONED); throughput removed under
 * PAY_PER_REQUEST; attribute definitions, indexes, non-key attributes and tags sorted; attribute
 * definitions no key uses dropped; PITR's recovery period made explicit (35 days, DynamoDB's default);
 * SSEType made explicit when SSE is enabled (KMS, the only type CreateTable/UpdateTable accept). Every
 * object is rebuilt with its keys in one fixed order, so the JSON text of a normalized table does not
 * depend on how its file was written. Pure and idempotent.
 */
export function normalizeTable(input: TableSchema): TableSchema {
  const { $schema: _schema, ...t } = input
  const billing = billingMode(t)
  const onDemand = billing === 'PAY_PER_REQUEST'
  const used = new Set([
    ...t.KeySchema.map((k) => k.AttributeName),
    ...(t.GlobalSecondaryIndexes ?? []).flatMap((g) => g.KeySchema.map((k) => k.AttributeName)),
    ...(t.LocalSecondaryIndexes ?? []).flatMap((l) => l.KeySchema.map((k) => k.AttributeName)),
  ])
  const out: TableSchema = {
    TableName: t.TableName,
    AttributeDefinitions: t.AttributeDefinitions.filter((a) => used.has(a.AttributeName))
      .map(attribute)
      .sort((a, b) => byName(a.AttributeName, b.AttributeName)),
    KeySchema: keys(t.KeySchema),
    BillingMode: billing,
  }
  if (!onDemand && t.ProvisionedThroughput)
    out.ProvisionedThroughput = capacity(t.ProvisionedThroughput)
  const tableLimits = onDemand ? limits(t.OnDemandThroughput) : undefined
  if (tableLimits) out.OnDemandThroughput = tableLimits
  if (t.GlobalSecondaryIndexes?.length) {
    out.GlobalSecondaryIndexes = [...t.GlobalSecondaryIndexes]
      .sort((a, b) => byName(a.IndexName, b.IndexName))
      .map((g) => {
        const indexLimits = onDemand ? limits(g.OnDemandThroughput) : undefined
        return {
          IndexName: g.IndexName,
          KeySchema: keys(g.KeySchema),
          Projection: projection(g.Projection),
          ...(!onDemand && g.ProvisionedThroughput
            ? { ProvisionedThroughput: capacity(g.ProvisionedThroughput) }
            : {}),
          ...(indexLimits ? { OnDemandThroughput: indexLimits } : {}),
        }
      })
  }
  if (t.LocalSecondaryIndexes?.length) {
    out.LocalSecondaryIndexes = [...t.LocalSecondaryIndexes]
      .sort((a, b) => byName(a.IndexName, b.IndexName))
      .map((l) => ({
        IndexName: l.IndexName,
        KeySchema: keys(l.KeySchema),
        Projection: projection(l.Projection),
      }))
  }
  const ttl = t.TimeToLiveSpecification
  if (ttl?.Enabled === true) {
    out.TimeToLiveSpecification = {
      ...(ttl.AttributeName === undefined ? {} : { AttributeName: ttl.AttributeName }),
      Enabled: true,
    }
  }
  if (t.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled === true) {
    out.PointInTimeRecoverySpecification = {
      PointInTimeRecoveryEnabled: true,
      RecoveryPeriodInDays:
        t.PointInTimeRecoverySpecification.RecoveryPeriodInDays ?? DEFAULT_RECOVERY_DAYS,
    }
  }
  const sse = t.SSESpecification
  if (sse?.SSEEnabled === true) {
    out.SSESpecification = {
      SSEEnabled: true,
      SSEType: sse.SSEType ?? 'KMS',
      ...(sse.KMSMasterKeyId === undefined ? {} : { KMSMasterKeyId: sse.KMSMasterKeyId }),
    }
  }
  if (t.StreamSpecification) {
    out.StreamSpecification = { StreamViewType: t.StreamSpecification.StreamViewType }
  }
  if (t.DeletionProtectionEnabled === true) out.DeletionProtectionEnabled = true
  if (t.TableClass !== undefined && t.TableClass !== DEFAULT_TABLE_CLASS)
    out.TableClass = t.TableClass
  if (t.Tags?.length) {
    out.Tags = t.Tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })).sort((a, b) =>
      byName(a.Key, b.Key),
    )
  }
  return out
}

function attribute(a: AttributeDefinition): AttributeDefinition {
  return { AttributeName: a.AttributeName, AttributeType: a.AttributeType }
}

function keys(schema: KeySchema): KeySchema {
  return schema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType }))
}

function capacity(p: ProvisionedThroughput): ProvisionedThroughput {
  return { ReadCapacityUnits: p.ReadCapacityUnits, WriteCapacityUnits: p.WriteCapacityUnits }
}

/** On-demand limits without the fields that say "no limit" (-1, DescribeTable's value), or undefined. */
function limits(o: OnDemandThroughput | undefined): OnDemandThroughput | undefined {
  const read = o?.MaxReadRequestUnits
  const write = o?.MaxWriteRequestUnits
  if ((read ?? NO_LIMIT) === NO_LIMIT && (write ?? NO_LIMIT) === NO_LIMIT) return undefined
  return {
    ...(read === undefined || read === NO_LIMIT ? {} : { MaxReadRequestUnits: read }),
    ...(write === undefined || write === NO_LIMIT ? {} : { MaxWriteRequestUnits: write }),
  }
}

function projection(p: Projection): Projection {
  return {
    ProjectionType: p.ProjectionType,
    ...(p.NonKeyAttributes === undefined
      ? {}
      : { NonKeyAttributes: [...p.NonKeyAttributes].sort(byName) }),
  }
}
