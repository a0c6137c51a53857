import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalableTargetsCommandOutput,
} from '@aws-sdk/client-application-auto-scaling'
import {
  capacityOf,
  resolveRate,
  type AutoscalingMax,
  type Capacity,
  type RateSpec,
} from '../../backfill/capacity.js'
import type { Rate } from '../../backfill/pacer.js'
import { describeTable } from '../../dynamo/wait.js'
import { TIMEOUTS } from '../../dynamo/client.js'
import { DdbmError } from '../../errors.js'

/** What readCapacity needs of an ApplicationAutoScalingClient (one, or a test double, fits). */
export type AutoscalingReader = {
  send(command: DescribeScalableTargetsCommand): Promise<DescribeScalableTargetsCommandOutput>
}

export type ReadCapacityOptions = {
  /** The index scanned: reads are counted against it, writes against the table. */
  index?: string
  /**
   * Where to read autoscaling maxima: a client of Application Auto Scaling; undefined makes one with the
   * DynamoDB client's region, credentials and endpoint (its own regional endpoint when the DynamoDB client
   * talks to AWS's); false reads none.
   */
  autoscaling?: AutoscalingReader | false
}

/**
 * The capacity of `physicalTable` (and of `opts.index` for reads) that a backfill's rate fraction applies
 * to ({@link capacityOf}): DescribeTable and, for a provisioned table, the maxima of its Application Auto
 * Scaling targets (DescribeScalableTargets; the client library is loaded only then). When the maxima
 * cannot be read (no permission, or an endpoint without Application Auto Scaling such as DynamoDB Local),
 * the provisioned units are used and `detail` says why. A table that does not exist is a USAGE error.
 */
export async function readCapacity(
  client: DynamoDBClient,
  physicalTable: string,
  opts: ReadCapacityOptions = {},
): Promise<Capacity> {
  const table = await describeTable(client, physicalTable)
  if (table === undefined) {
    throw new DdbmError(
      'USAGE',
      `Table ${physicalTable} does not exist`,
      { table: physicalTable },
      {
        hint: 'Check the table name (and the environment it belongs to): a backfill reads an existing table.',
      },
    )
  }
  const base = { ...(opts.index === undefined ? {} : { index: opts.index }) }
  const plain = capacityOf(table, base)
  const provisioned = plain.source === 'provisioned' || plain.source === 'autoscaling'
  if (!provisioned || opts.autoscaling === false) return plain
  let autoscaling: AutoscalingMax
  try {
    autoscaling = await readAutoscalingMax(client, physicalTable, opts.index, opts.autoscaling)
  } catch (err) {
    const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
    return { ...plain, detail: `${plain.detail} (autoscaling could not be read: ${why})` }
  }
  return capacityOf(table, { ...base, autoscaling })
}

/**
 * The MaxCapacity of the scalable targets of the read side (the table, or `index`) and of the table's
 * writes; a kind without a target is left out.
 */
async function readAutoscalingMax(
  client: DynamoDBClient,
  table: string,
  index: string | undefined,
  given: AutoscalingReader | undefined,
): Promise<AutoscalingMax> {
  const sdk = await loadAutoscaling()
  const own = given === undefined ? await autoscalingClient(sdk, client) : undefined
  const reader = given ?? own
  if (reader === undefined) return {}
  const tableId = `table/${table}`
  const readId = index === undefined ? tableId : `${tableId}/index/${index}`
  const readDimension =
    index === undefined ? 'dynamodb:table:ReadCapacityUnits' : 'dynamodb:index:ReadCapacityUnits'
  try {
    const max: AutoscalingMax = {}
    let token: string | undefined
    do {
      const page = await reader.send(
        new sdk.DescribeScalableTargetsCommand({
          ServiceNamespace: 'dynamodb',
          ResourceIds: [...new Set([tableId, readId])],
          ...(token === undefined ? {} : { NextToken: token }),
        }),
      )
      for (const target of page.ScalableTargets ?? []) {
        if (target.ResourceId === readId && target.ScalableDimension === readDimension) {
          max.readMax = target.MaxCapacity
        }
        if (
          target.ResourceId === tableId &&
          target.ScalableDimension === 'dynamodb:table:WriteCapacityUnits'
        ) {
          max.writeMax = target.MaxCapacity
        }
      }
      token = page.NextToken
    } while (token !== undefined)
    return max
  } finally {
    own?.destroy()
  }
}

/** The lazily loaded module (its classes are values, needed at run time). */
type AutoscalingSdk = Pick<
  Awaited<ReturnType<typeof loadAutoscaling>>,
  'ApplicationAutoScalingClient' | 'DescribeScalableTargetsCommand'
>

/** Loads the Application Auto Scaling client library, only when a provisioned table needs it. */
function loadAutoscaling() {
  return import('@aws-sdk/client-application-auto-scaling')
}

/**
 * A client of Application Auto Scaling for the same account and region as `client`. A custom endpoint
 * (DynamoDB Local, moto, a proxy) is reused, as such servers answer every service on one port; AWS's own
 * DynamoDB endpoints are not, the service has its own.
 */
async function autoscalingClient(
  sdk: AutoscalingSdk,
  client: DynamoDBClient,
): Promise<ApplicationAutoScalingClient> {
  const endpoint = await client.config.endpoint?.()
  const custom =
    endpoint !== undefined && !/(\.amazonaws\.com|\.api\.aws)$/.test(endpoint.hostname)
      ? `${endpoint.protocol}//${endpoint.hostname}${endpoint.port === undefined ? '' : `:${endpoint.port}`}${endpoint.path}`
      : undefined
  return new sdk.ApplicationAutoScalingClient({
    region: client.config.region,
    credentials: client.config.credentials,
    ...(custom === undefined ? {} : { endpoint: custom }),
    maxAttempts: 2,
    requestHandler: { ...TIMEOUTS },
  })
}

/**
 * The rate of a backfill whose `rate` is `spec` on `table` (or its `index`): absolute units as given
 * (unlimited when absent), or a fraction of the capacity readCapacity finds.
 */
export async function rateFor(
  client: DynamoDBClient,
  table: string,
  spec: RateSpec | undefined,
  index?: string,
): Promise<Rate> {
  if (spec === undefined || !('fraction' in spec)) {
    const none = { read: Infinity, write: Infinity, source: 'unknown', detail: '' } as const
    return resolveRate(spec, { ...none, sources: { read: 'unknown', write: 'unknown' } })
  }
  return resolveRate(spec, await readCapacity(client, table, index === undefined ? {} : { index }))
}
