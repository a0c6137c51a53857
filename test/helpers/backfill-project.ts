import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import { randomUUID } from 'node:crypto'
import { expect, onTestFinished } from 'vitest'
import { ddbm } from './cli.js'
import { putGenerated } from './put-items.js'
import { dropTables, engineClient, type Engine } from './engines.js'
import { tempTree } from './temp-tree.js'

/** The shape of the backfill in a project from {@link backfillProject}. */
export type BackfillShape = {
  segments: number
  concurrency: number
  pageSize: number
  /** `rate` of the backfill, as source text (e.g. `{ writePerSec: 200 }`); default none. */
  rate?: string
  /** Milliseconds the transform waits per item (default 1). */
  delayMs?: number
  /** The migration lock's lease (default 6000: long enough for a loaded machine, short for a takeover). */
  lockLeaseMs?: number
}

/**
 * A project (files for tempTree) with the table Items (`PK` S) created by 0001 and a backfill in 0002 that
 * sets `v2 = "v2-" + PK` on every item and ADDs 1 to `touched`, which counts each item's writes (so a
 * test sees items processed twice; the rest of the transform converges). Environment `t` names tables
 * with `suffix`; the lock's lease is short (6 s) so a killed run's lock is taken over quickly.
 */
export function backfillProject(suffix: string, shape: BackfillShape): Record<string, unknown> {
  const table = {
    TableName: 'Items',
    AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }
  return {
    'ddbm.config.json': {
      version: 1,
      defaultEnv: 't',
      lock: { leaseMs: shape.lockLeaseMs ?? 6000 },
      environments: { t: { tableNameTemplate: `{table}-${suffix}` } },
    },
    'schemas/Items.json': table,
    'migrations/0001_items.json': {
      version: 1,
      up: [{ op: 'createTable', table: 'Items', definition: table }],
      down: [{ op: 'deleteTable', table: 'Items' }],
    },
    'migrations/0002_backfill.ts': `import type { MigrationContext } from 'ddbm'

export async function up(ctx: MigrationContext): Promise<void> {
  await ctx.backfill({
    table: 'Items',
    segments: ${shape.segments},
    concurrency: ${shape.concurrency},
    pageSize: ${shape.pageSize},
    writeConcurrency: 4,
    leaseSeconds: 5,${shape.rate === undefined ? '' : `\n    rate: ${shape.rate},`}
    transform: async (item) => {
      await new Promise((resolve) => setTimeout(resolve, ${shape.delayMs ?? 1}))
      return {
        update: { expression: 'SET v2 = :v ADD touched :one' },
        values: { ':v': 'v2-' + String(item.PK), ':one': 1 },
      }
    },
  })
}

export async function down(): Promise<void> {}
`,
  }
}

/** Writes items `{ PK: "item-<n>", n }` for n < count into `table`. */
export function fillItems(client: DynamoDBClient, table: string, count: number): Promise<void> {
  return putGenerated(client, table, count, (n) => ({ PK: `item-${n}`, n }))
}

/** Every item of `table`, sorted by `n`. */
export async function scanItems(
  client: DynamoDBClient,
  table: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = []
  let startKey: Record<string, AttributeValue> | undefined
  do {
    const out = await client.send(
      new ScanCommand({ TableName: table, ExclusiveStartKey: startKey, Limit: 5000 }),
    )
    for (const item of out.Items ?? []) items.push(unmarshall(item))
    startKey = out.LastEvaluatedKey
  } while (startKey !== undefined)
  return items.sort((a, b) => Number(a.n) - Number(b.n))
}

/** The items a finished backfill leaves, without `touched`. */
export function backfilled(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, n) => ({ PK: `item-${n}`, n, v2: `v2-item-${n}` }))
}

/** The backfills' segment items in the meta table `meta`. */
export async function segmentItems(
  client: DynamoDBClient,
  meta: string,
): Promise<Record<string, unknown>[]> {
  const out = await client.send(
    new ScanCommand({
      TableName: meta,
      ConsistentRead: true,
      FilterExpression: 'begins_with(pk, :p) AND #kind = :segment',
      ExpressionAttributeNames: { '#kind': 'kind' },
      ExpressionAttributeValues: { ':p': { S: 'backfill#' }, ':segment': { S: 'segment' } },
    }),
  )
  return (out.Items ?? []).map((i) => unmarshall(i))
}

/** A backfill project on `engine` with 0001 applied and `items` items in its table: ready for 0002. */
export async function preparedBackfill(
  engine: Engine,
  shape: BackfillShape,
  items: number,
): Promise<{ cwd: string; at: string[]; table: string; meta: string; client: DynamoDBClient }> {
  const suffix = randomUUID().slice(0, 8)
  onTestFinished(() => dropTables(engine.endpoint, suffix))
  const cwd = await tempTree('ddbm-backfill-', backfillProject(suffix, shape))
  const at = ['--endpoint', engine.endpoint]
  const client = engineClient(engine)
  onTestFinished(() => client.destroy())
  const created = await ddbm(['migrate', 'up', '--to', '0001_items', '--no-verify', ...at], { cwd })
  expect(created.code, created.stderr).toBe(0)
  const table = `Items-${suffix}`
  await fillItems(client, table, items)
  return { cwd, at, table, meta: `ddbm_migrations-${suffix}`, client }
}
