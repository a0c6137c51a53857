import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { writeRequests, type WriteOptions, type WriteStats } from './write-requests.js'

export {
  BATCH_SIZE,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_ATTEMPTS,
  type WriteOptions,
  type WriteStats,
} from './write-requests.js'

/** A marshalled item, as BatchWriteItem's PutRequest takes it. */
export type MarshalledItem = Record<string, AttributeValue>

/**
 * Puts every item of `items` (an async or sync iterable of marshalled items, pulled lazily) into
 * `table`, batching 25, with `opts.concurrency` requests in flight; returns when all are written or
 * counted failed, never dropping an item silently. A PutRequest replaces the whole item, so resending
 * one whose first answer was lost (a 500 after the write was applied) leaves the same item. See
 * {@link writeRequests} for retries, throttling and errors.
 */
export async function writeItems(
  client: DynamoDBClient,
  table: string,
  items: AsyncIterable<MarshalledItem> | Iterable<MarshalledItem>,
  opts: WriteOptions = {},
): Promise<WriteStats> {
  return writeRequests(client, table, putRequests(items), opts)
}

async function* putRequests(items: AsyncIterable<MarshalledItem> | Iterable<MarshalledItem>) {
  for await (const item of items) yield { PutRequest: { Item: item } }
}
