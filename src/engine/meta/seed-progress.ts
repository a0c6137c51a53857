import {
  PutItemCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { SCAN_PAGE_LIMIT } from '../../dynamo/scan.js'
import { META_KEY } from './meta-table.js'

/** `pk` prefix of the progress items of `ddbm seed` runs: `seed#<shard>` (`seed#1/1` unsharded). */
export const SEED_PROGRESS_PREFIX = 'seed#'

/**
 * How far a `ddbm seed` run is, as it keeps it in the meta table for other processes to show (`ddbm
 * studio`): per table, the items written of those to write. Best effort, unfenced: display only.
 */
export type SeedProgress = {
  /** `1/1`, or the shard (`2/3`). */
  shard: string
  status: 'running' | 'done' | 'failed'
  startedBy: string
  /** ISO times of the writer's clock. */
  startedAt: string
  updatedAt: string
  tables: { table: string; done: number; total: number }[]
}

/** Writes the progress of one seed run: `update` at most every `everyMs`, `finish` at the end. */
export type SeedProgressWriter = {
  update(table: string, done: number, total: number): void
  finish(status: 'done' | 'failed'): Promise<void>
}

/**
 * A writer of `SeedProgress` into meta table `table`. Writes never fail the seed: an error is ignored
 * (the progress is for display), and at most one write is in flight.
 */
export function seedProgressWriter(
  client: DynamoDBClient,
  table: string,
  run: { shard: string; startedBy: string },
  opts: { everyMs?: number; now?: () => number } = {},
): SeedProgressWriter {
  const now = opts.now ?? Date.now
  const everyMs = opts.everyMs ?? 2000
  const startedAt = new Date(now()).toISOString()
  const tables = new Map<string, { done: number; total: number }>()
  let last = -Infinity
  let inflight: Promise<void> = Promise.resolve()
  const write = (status: SeedProgress['status']) => {
    const progress: SeedProgress = {
      shard: run.shard,
      status,
      startedBy: run.startedBy,
      startedAt,
      updatedAt: new Date(now()).toISOString(),
      tables: [...tables].map(([t, p]) => ({ table: t, ...p })),
    }
    const Item = { [META_KEY]: { S: `${SEED_PROGRESS_PREFIX}${run.shard}` }, ...marshall(progress) }
    inflight = inflight
      .then(() => client.send(new PutItemCommand({ TableName: table, Item })))
      .then(
        () => {},
        () => {},
      )
  }
  return {
    update(t, done, total) {
      tables.set(t, { done, total })
      if (now() - last < everyMs) return
      last = now()
      write('running')
    },
    async finish(status) {
      write(status)
      await inflight
    },
  }
}

/** Every seed run's progress recorded in meta table `table` (none when it does not exist). */
export async function readSeedProgress(
  client: DynamoDBClient,
  table: string,
): Promise<SeedProgress[]> {
  const found: SeedProgress[] = []
  let startKey: Record<string, AttributeValue> | undefined
  try {
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: table,
          ConsistentRead: true,
          FilterExpression: 'begins_with(#pk, :prefix)',
          ExpressionAttributeNames: { '#pk': META_KEY },
          ExpressionAttributeValues: { ':prefix': { S: SEED_PROGRESS_PREFIX } },
          Limit: SCAN_PAGE_LIMIT,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      )
      for (const item of page.Items ?? []) {
        const { [META_KEY]: _pk, ...rest } = unmarshall(item)
        found.push(rest as SeedProgress)
      }
      startKey = page.LastEvaluatedKey
    } while (startKey !== undefined)
  } catch (err) {
    if (err instanceof Error && err.name === 'ResourceNotFoundException') return []
    throw err
  }
  return found.sort((a, b) => (a.shard < b.shard ? -1 : 1))
}
