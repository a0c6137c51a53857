import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import type { Emit } from '../../events.js'
import { batchWrite } from '../write/batch-write.js'

/**
 * What a `.ts` migration's `up(ctx)` / `down(ctx)` receives: the client of the environment, physical table
 * names, and helpers for data changes such as backfills. Items are plain JS objects (marshalled for you).
 */
export type MigrationContext = {
  client: DynamoDBClient
  /** The environment's name (`local`, `dev`, ...). */
  env: string
  /** The physical name of a logical table in this environment. */
  tableName(logical: string): string
  /** Puts `items` into the logical `table`, 25 per call, retrying unprocessed ones; returns the count. */
  putItems(table: string, items: readonly Record<string, unknown>[]): Promise<number>
  /** Every item of the logical `table`, page by page (a consistent, paginated Scan). */
  scan(
    table: string,
    opts?: { filter?: string; names?: Record<string, string>; values?: Record<string, unknown> },
  ): AsyncIterable<Record<string, unknown>>
  log(message: string): void
  marshall: typeof marshall
  unmarshall: typeof unmarshall
}

/** Builds the context for one run of `.ts` migrations. */
export function migrationContext(deps: {
  client: DynamoDBClient
  env: string
  tableName: (logical: string) => string
  emit: Emit
}): MigrationContext {
  const { client, tableName, emit } = deps
  return {
    client,
    env: deps.env,
    tableName,
    putItems: (table, items) =>
      batchWrite(
        client,
        tableName(table),
        items.map((item) => ({
          PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) },
        })),
      ),
    async *scan(table, opts = {}) {
      let startKey: Record<string, AttributeValue> | undefined
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: tableName(table),
            ConsistentRead: true,
            ...(opts.filter === undefined ? {} : { FilterExpression: opts.filter }),
            ...(opts.names === undefined ? {} : { ExpressionAttributeNames: opts.names }),
            ...(opts.values === undefined
              ? {}
              : { ExpressionAttributeValues: marshall(opts.values) }),
            ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          }),
        )
        for (const item of page.Items ?? []) yield unmarshall(item)
        startKey = page.LastEvaluatedKey
      } while (startKey !== undefined)
    },
    log: (message) => emit({ kind: 'log', level: 'info', message }),
    marshall,
    unmarshall,
  }
}
