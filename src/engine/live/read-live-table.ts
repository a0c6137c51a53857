import {
  ListTablesCommand,
  type DynamoDBClient,
  type PointInTimeRecoveryDescription,
  type TableDescription,
  type Tag as LiveTag,
  type TimeToLiveDescription,
} from '@aws-sdk/client-dynamodb'
import { describeTable } from '../../dynamo/wait.js'
import type { LivePart, LiveTable, TtlStatus } from '../../plan/live-table.js'
import { isResourceNotFound } from '../../dynamo/aws-errors.js'
import type {
  KeySchema,
  OnDemandThroughput,
  Projection,
  ProvisionedThroughput,
  TableSchema,
} from '../../schema/table-schema.js'
import { readPitr, readTags, readTtl, type Live } from './read-parts.js'

/**
 * Reads one live table into the planner's model ({@link LiveTable}): DescribeTable, DescribeTimeToLive,
 * DescribeContinuousBackups and ListTagsOfResource (all pages; tags are eventually consistent on AWS and
 * are read once, not retried). Undefined when the table does not exist. `logical` becomes the
 * definition's TableName (default the physical name).
 *
 * What counts as unsupported, and only that (a check the endpoint cannot answer is never `ok`):
 * - `pitr`, `tags`: the endpoint refuses the read call as not implemented (DynamoDB Local, measured).
 * - `sse`, `tableClass` on DynamoDB Local, recognised by its table ARNs in region `ddblocal`: it reports
 *   neither, whatever CreateTable said (measured).
 * - `tableClass` on any endpoint other than AWS's own (`*.amazonaws.com`, `*.api.aws`) when DescribeTable
 *   has no TableClassSummary: moto never reports one, even for STANDARD_INFREQUENT_ACCESS (measured), so
 *   its absence says nothing there. On AWS an absent TableClassSummary is STANDARD.
 * Otherwise an absent SSEDescription means the AWS owned key (SSE disabled), as on AWS and moto (which
 * reports SSEDescription for encrypted tables, measured).
 */
export async function readLiveTable(
  client: DynamoDBClient,
  physical: string,
  opts: { logical?: string } = {},
): Promise<LiveTable | undefined> {
  const table = await describeTable(client, physical)
  if (table === undefined) return undefined
  const arn = table.TableArn
  try {
    const [ttl, pitr, tags, aws] = await Promise.all([
      readTtl(client, physical),
      readPitr(client, physical),
      arn === undefined
        ? Promise.resolve<Live<LiveTag[]>>({
            supported: false,
            reason: 'DescribeTable gave no ARN',
          })
        : readTags(client, arn),
      isAwsEndpoint(client),
    ])
    return liveTable(table, { ttl, pitr, tags, awsEndpoint: aws }, opts.logical ?? physical)
  } catch (err) {
    // A table being deleted can vanish between DescribeTable and the other reads.
    if (isResourceNotFound(err)) return undefined
    throw err
  }
}

/** What readLiveTable read besides DescribeTable, and whether the endpoint is AWS's own. */
export type LiveExtras = {
  ttl: TimeToLiveDescription | undefined
  pitr: Live<PointInTimeRecoveryDescription | undefined>
  tags: Live<LiveTag[]>
  awsEndpoint: boolean
}

/**
 * Maps a DescribeTable answer (plus TTL, PITR and tags) to a {@link LiveTable} under the rule of
 * {@link readLiveTable}. Tags with the reserved `aws:` prefix (set by AWS services, never by a schema)
 * are left out. Pure.
 */
export function liveTable(t: TableDescription, x: LiveExtras, logical: string): LiveTable {
  const unsupported: LivePart[] = []
  const reasons: Partial<Record<LivePart, string>> = {}
  const skip = (part: LivePart, reason: string) => {
    unsupported.push(part)
    reasons[part] = reason
  }
  const billing =
    t.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED'
  const provisioned = billing === 'PROVISIONED'
  const d: TableSchema = {
    TableName: logical,
    AttributeDefinitions: (t.AttributeDefinitions ?? []).flatMap((a) =>
      a.AttributeName && isKeyType(a.AttributeType)
        ? [{ AttributeName: a.AttributeName, AttributeType: a.AttributeType }]
        : [],
    ),
    KeySchema: keys(t.KeySchema),
    BillingMode: billing,
  }
  const pt = throughput(provisioned ? t.ProvisionedThroughput : undefined)
  if (pt) d.ProvisionedThroughput = pt
  const od = onDemand(provisioned ? undefined : t.OnDemandThroughput)
  if (od) d.OnDemandThroughput = od
  const indexes: LiveTable['indexes'] = {}
  if (t.GlobalSecondaryIndexes?.length) {
    d.GlobalSecondaryIndexes = t.GlobalSecondaryIndexes.map((g) => {
      const name = g.IndexName ?? ''
      indexes[name] = { status: g.IndexStatus ?? 'ACTIVE', backfilling: g.Backfilling === true }
      const gpt = throughput(provisioned ? g.ProvisionedThroughput : undefined)
      const god = onDemand(provisioned ? undefined : g.OnDemandThroughput)
      return {
        IndexName: name,
        KeySchema: keys(g.KeySchema),
        Projection: projection(g.Projection),
        ...(gpt ? { ProvisionedThroughput: gpt } : {}),
        ...(god ? { OnDemandThroughput: god } : {}),
      }
    })
  }
  if (t.LocalSecondaryIndexes?.length) {
    d.LocalSecondaryIndexes = t.LocalSecondaryIndexes.map((i) => ({
      IndexName: i.IndexName ?? '',
      KeySchema: keys(i.KeySchema),
      Projection: projection(i.Projection),
    }))
  }
  const ttlStatus = x.ttl?.TimeToLiveStatus as TtlStatus | undefined
  if (x.ttl?.AttributeName !== undefined) {
    d.TimeToLiveSpecification = {
      AttributeName: x.ttl.AttributeName,
      Enabled: ttlStatus === 'ENABLED' || ttlStatus === 'ENABLING',
    }
  }
  if (!x.pitr.supported) skip('pitr', `PITR: ${x.pitr.reason}`)
  else if (x.pitr.value?.PointInTimeRecoveryStatus === 'ENABLED') {
    d.PointInTimeRecoverySpecification = {
      PointInTimeRecoveryEnabled: true,
      ...(x.pitr.value.RecoveryPeriodInDays === undefined
        ? {}
        : { RecoveryPeriodInDays: x.pitr.value.RecoveryPeriodInDays }),
    }
  }
  const ddbLocal = /^arn:[^:]+:dynamodb:ddblocal:/.test(t.TableArn ?? '')
  if (ddbLocal) skip('sse', 'DynamoDB Local does not report encryption settings')
  else if (['ENABLED', 'ENABLING', 'UPDATING'].includes(t.SSEDescription?.Status ?? 'DISABLED')) {
    const sse = t.SSEDescription
    d.SSESpecification = {
      SSEEnabled: true,
      SSEType: sse?.SSEType === 'AES256' ? 'AES256' : 'KMS',
      ...(sse?.KMSMasterKeyArn ? { KMSMasterKeyId: sse.KMSMasterKeyArn } : {}),
    }
  }
  if (t.StreamSpecification?.StreamEnabled === true && t.StreamSpecification.StreamViewType) {
    d.StreamSpecification = { StreamViewType: t.StreamSpecification.StreamViewType }
  }
  if (t.DeletionProtectionEnabled === true) d.DeletionProtectionEnabled = true
  const tableClass = t.TableClassSummary?.TableClass
  if (ddbLocal) skip('tableClass', 'DynamoDB Local does not report the table class')
  else if (tableClass === 'STANDARD' || tableClass === 'STANDARD_INFREQUENT_ACCESS') {
    d.TableClass = tableClass
  } else if (!x.awsEndpoint) {
    skip('tableClass', 'the endpoint reports no TableClassSummary (moto never does)')
  }
  if (!x.tags.supported) skip('tags', `tags: ${x.tags.reason}`)
  else {
    const own = x.tags.value.filter((tag) => !tag.Key?.toLowerCase().startsWith('aws:'))
    if (own.length) d.Tags = own.map((tag) => ({ Key: tag.Key ?? '', Value: tag.Value ?? '' }))
  }
  return {
    definition: d,
    ...(t.TableArn === undefined ? {} : { arn: t.TableArn }),
    indexes,
    tableStatus: t.TableStatus ?? 'ACTIVE',
    ...(ttlStatus === undefined ? {} : { ttlStatus }),
    unsupported,
    unsupportedReasons: reasons,
  }
}

/** Every table name of the endpoint's account and region (all pages of ListTables). */
export async function listTableNames(client: DynamoDBClient): Promise<string[]> {
  const names: string[] = []
  let start: string | undefined
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }))
    names.push(...(page.TableNames ?? []))
    start = page.LastEvaluatedTableName
  } while (start !== undefined)
  return names
}

/** True when the client talks to AWS itself: no custom endpoint, or an `amazonaws.com`/`api.aws` host. */
async function isAwsEndpoint(client: DynamoDBClient): Promise<boolean> {
  const endpoint = client.config.endpoint
  if (endpoint === undefined) return true
  const { hostname } = await endpoint()
  return /\.amazonaws\.com(\.cn)?$|\.api\.aws$/.test(hostname)
}

function isKeyType(t: string | undefined): t is 'S' | 'N' | 'B' {
  return t === 'S' || t === 'N' || t === 'B'
}

function keys(k: { AttributeName?: string; KeyType?: string }[] | undefined): KeySchema {
  return (k ?? []).map((e) => ({
    AttributeName: e.AttributeName ?? '',
    KeyType: e.KeyType === 'RANGE' ? 'RANGE' : 'HASH',
  }))
}

function projection(
  p: { ProjectionType?: string; NonKeyAttributes?: string[] } | undefined,
): Projection {
  // DescribeTable always reports ProjectionType (and schemas require it); ALL only covers an answer without.
  const type = p?.ProjectionType
  return {
    ProjectionType: type === 'KEYS_ONLY' || type === 'INCLUDE' ? type : 'ALL',
    ...(p?.NonKeyAttributes?.length ? { NonKeyAttributes: p.NonKeyAttributes } : {}),
  }
}

/** Read/write units, or undefined when absent or zero (on-demand tables report 0/0). */
function throughput(
  p: { ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined,
): ProvisionedThroughput | undefined {
  const r = p?.ReadCapacityUnits ?? 0
  const w = p?.WriteCapacityUnits ?? 0
  return r > 0 && w > 0 ? { ReadCapacityUnits: r, WriteCapacityUnits: w } : undefined
}

/** On-demand maximums other than -1 (no limit), or undefined when there are none. */
function onDemand(
  p: { MaxReadRequestUnits?: number; MaxWriteRequestUnits?: number } | undefined,
): OnDemandThroughput | undefined {
  const out: OnDemandThroughput = {}
  if (p?.MaxReadRequestUnits !== undefined && p.MaxReadRequestUnits !== -1) {
    out.MaxReadRequestUnits = p.MaxReadRequestUnits
  }
  if (p?.MaxWriteRequestUnits !== undefined && p.MaxWriteRequestUnits !== -1) {
    out.MaxWriteRequestUnits = p.MaxWriteRequestUnits
  }
  return Object.keys(out).length ? out : undefined
}
