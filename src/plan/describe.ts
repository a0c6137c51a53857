import { dispatch, type Operation, type OperationOf, type PerKind } from '../schema/operation.js'
import type {
  KeySchema,
  OnDemandThroughput,
  Projection,
  ProvisionedThroughput,
  TableSchema,
} from '../schema/table-schema.js'

/**
 * One line of human text for an operation, for logs, `--dry-run` and error messages, e.g.
 * `create GSI ScoreIndex on Candidates-dev (status HASH, score RANGE; ALL)`. `physical` is the table name
 * to show (default: the operation's logical name). Pure: same input, same text.
 */
export function describeOperation(op: Operation, physical: string = op.table): string {
  return dispatch(DESCRIBE, op, physical)
}

/** The line of an operation of each kind, given the table name to show. */
export const DESCRIBE: PerKind<[t: string], string> = {
  createTable: (op, t) => `create table ${t} (${tableSummary(op.definition).join('; ')})`,
  deleteTable: (_op, t) => `delete table ${t}`,
  createGsi: (op, t) =>
    `create GSI ${op.index.IndexName} on ${t} (${[
      keys(op.index.KeySchema),
      projection(op.index.Projection),
      ...throughput(op.index.ProvisionedThroughput, op.index.OnDemandThroughput),
    ].join('; ')})`,
  deleteGsi: (op, t) => `delete GSI ${op.indexName} on ${t}`,
  updateTtl: (op, t) =>
    op.ttl.Enabled
      ? `enable TTL on ${t} (attribute ${op.ttl.AttributeName ?? '?'})`
      : `disable TTL on ${t}${op.ttl.AttributeName ? ` (attribute ${op.ttl.AttributeName})` : ''}`,
  updatePitr: (op, t) =>
    op.pitr.PointInTimeRecoveryEnabled
      ? `enable PITR on ${t} (${op.pitr.RecoveryPeriodInDays ?? 35} days)`
      : `disable PITR on ${t}`,
  updateBilling: (op, t) => {
    const parts = [
      ...throughput(op.provisionedThroughput, op.onDemandThroughput).map((p) => `table ${p}`),
      ...(op.indexes ?? []).flatMap((i) =>
        throughput(i.ProvisionedThroughput, i.OnDemandThroughput).map((p) => `${i.IndexName} ${p}`),
      ),
    ]
    return `set billing of ${t} to ${op.billingMode}${parts.length ? ` (${parts.join(', ')})` : ''}`
  },
  updateStream: (op, t) =>
    op.stream === null
      ? `disable stream on ${t}`
      : `enable stream on ${t} (${op.stream.StreamViewType})`,
  updateSse: (op, t) => `set encryption of ${t} to ${sse(op.sse)}`,
  updateDeletionProtection: (op, t) =>
    `${op.enabled ? 'enable' : 'disable'} deletion protection on ${t}`,
  updateTableClass: (op, t) => `set table class of ${t} to ${op.tableClass}`,
  tag: (op, t) => `tag ${t} (${op.tags.map((tag) => `${tag.Key}=${tag.Value}`).join(', ')})`,
  untag: (op, t) => `untag ${t} (${op.keys.join(', ')})`,
}

/** `status HASH, score RANGE`. */
function keys(schema: KeySchema): string {
  return schema.map((k) => `${k.AttributeName} ${k.KeyType}`).join(', ')
}

/** `ALL`, `KEYS_ONLY` or `INCLUDE a, b`. */
function projection(p: Projection): string {
  const type = p.ProjectionType ?? 'KEYS_ONLY'
  return type === 'INCLUDE' ? `INCLUDE ${(p.NonKeyAttributes ?? []).join(', ')}` : type
}

/** `5/5 RCU/WCU` and `max 100/-1 RRU/WRU` (-1: unlimited; left out when both are unlimited). */
function throughput(
  provisioned: ProvisionedThroughput | undefined,
  onDemand: OnDemandThroughput | undefined,
): string[] {
  const out: string[] = []
  if (provisioned) {
    out.push(`${provisioned.ReadCapacityUnits}/${provisioned.WriteCapacityUnits} RCU/WCU`)
  }
  const read = onDemand?.MaxReadRequestUnits ?? -1
  const write = onDemand?.MaxWriteRequestUnits ?? -1
  if (read !== -1 || write !== -1) out.push(`max ${read}/${write} RRU/WRU`)
  return out
}

/** `AWS owned key`, or the SSE type with its KMS key when one is given. */
function sse(spec: OperationOf<'updateSse'>['sse']): string {
  if (!spec.SSEEnabled) return 'AWS owned key'
  return `${spec.SSEType ?? 'KMS'}${spec.KMSMasterKeyId ? ` ${spec.KMSMasterKeyId}` : ''}`
}

/** The parts of a createTable line, in the order a reader scans a table definition. */
function tableSummary(d: TableSchema): string[] {
  const parts = [keys(d.KeySchema), d.BillingMode ?? 'PROVISIONED']
  parts.push(...throughput(d.ProvisionedThroughput, d.OnDemandThroughput))
  const gsis = d.GlobalSecondaryIndexes ?? []
  if (gsis.length) parts.push(`GSI ${gsis.map((g) => g.IndexName).join(', ')}`)
  const lsis = d.LocalSecondaryIndexes ?? []
  if (lsis.length) parts.push(`LSI ${lsis.map((l) => l.IndexName).join(', ')}`)
  if (d.TimeToLiveSpecification?.Enabled) {
    parts.push(`TTL ${d.TimeToLiveSpecification.AttributeName ?? '?'}`)
  }
  if (d.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled) {
    parts.push(`PITR ${d.PointInTimeRecoverySpecification.RecoveryPeriodInDays ?? 35} days`)
  }
  if (d.StreamSpecification) parts.push(`stream ${d.StreamSpecification.StreamViewType}`)
  if (d.SSESpecification?.SSEEnabled) parts.push(`encryption ${sse(d.SSESpecification)}`)
  if (d.TableClass && d.TableClass !== 'STANDARD') parts.push(d.TableClass)
  if (d.DeletionProtectionEnabled) parts.push('deletion protection')
  if (d.Tags?.length) parts.push(`tags ${d.Tags.map((tag) => tag.Key).join(', ')}`)
  return parts
}
