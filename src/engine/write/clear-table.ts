import { SCAN_PAGE_LIMIT } from '../../dynamo/scan.js'
import {
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
  type ScanCommandOutput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb'
import { DEFAULT_CONCURRENCY, writeRequests } from './write-requests.js'

/** Scan segments read in parallel by default. */
export const DEFAULT_CLEAR_SEGMENTS = 4

/** Options of {@link clearTable}. */
export type ClearOptions = {
  /** Parallel Scan segments (TotalSegments); default {@link DEFAULT_CLEAR_SEGMENTS}. */
  segments?: number
  /** DeleteItem batches in flight; default DEFAULT_CONCURRENCY of the writer. */
  concurrency?: number
  /** Called after every completed batch with the number of items deleted so far. */
  onProgress?: (deleted: number) => void
  /** Stops at a batch boundary when aborted (see WriteOptions.signal); the result says `interrupted`. */
  signal?: AbortSignal
}

/**
 * Deletes every item of `table` (the items, not the table, so its indexes, TTL and settings stay):
 * a parallel Scan (`segments` segments, strongly consistent, projecting only `keyAttributes`, the
 * table's hash and range key names) feeds DeleteRequests to the batch writer of {@link writeRequests}
 * (25 per call, `concurrency` in flight, unprocessed items resubmitted). Returns the keys deleted and
 * those that could not be (failed, after the writer's retries), and `interrupted: true` when `signal`
 * stopped it early. Items written while it runs may survive.
 */
export async function clearTable(
  client: DynamoDBClient,
  table: string,
  keyAttributes: readonly string[],
  opts: ClearOptions = {},
): Promise<{ deleted: number; failed: number; interrupted?: true }> {
  const deletes = async function* (): AsyncGenerator<WriteRequest> {
    for await (const key of scanKeys(client, table, keyAttributes, opts.segments)) {
      yield { DeleteRequest: { Key: key } }
    }
  }
  const stats = await writeRequests(client, table, deletes(), {
    concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY,
    keyAttributes,
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    ...(opts.onProgress === undefined
      ? {}
      : { onProgress: (s: { written: number }) => opts.onProgress?.(s.written) }),
  })
  return {
    deleted: stats.written,
    failed: stats.failed,
    ...(stats.interrupted === true ? { interrupted: true } : {}),
  }
}

/**
 * The keys of every item of `table`, read by a parallel Scan: each segment has one page request in
 * flight, and the next page of a segment is requested as soon as its current one arrives, so memory
 * holds at most one page per segment.
 */
async function* scanKeys(
  client: DynamoDBClient,
  table: string,
  keyAttributes: readonly string[],
  segments = DEFAULT_CLEAR_SEGMENTS,
): AsyncGenerator<Record<string, AttributeValue>> {
  const names = Object.fromEntries(keyAttributes.map((name, i) => [`#k${i}`, name]))
  type Page = { segment: number; out: ScanCommandOutput }
  const scanPage = (segment: number, start?: Record<string, AttributeValue>): Promise<Page> => {
    const page = client
      .send(
        new ScanCommand({
          TableName: table,
          Segment: segment,
          TotalSegments: segments,
          Limit: SCAN_PAGE_LIMIT,
          ProjectionExpression: Object.keys(names).join(', '),
          ExpressionAttributeNames: names,
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      )
      .then((out) => ({ segment, out }))
    // A segment that fails while the consumer has stopped must not become an unhandled rejection.
    page.catch(() => undefined)
    return page
  }
  const pending = new Map<number, Promise<Page>>()
  for (let segment = 0; segment < segments; segment++) pending.set(segment, scanPage(segment))
  while (pending.size > 0) {
    const { segment, out } = await Promise.race(pending.values())
    pending.delete(segment)
    if (out.LastEvaluatedKey !== undefined) {
      pending.set(segment, scanPage(segment, out.LastEvaluatedKey))
    }
    yield* out.Items ?? []
  }
}
