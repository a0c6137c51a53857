import type { DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb'
import { DdbmError } from '../../errors.js'
import { keyOf, writeRequests } from './write-requests.js'
import { classifyFailure } from './retry-policy.js'

export { BATCH_SIZE } from './write-requests.js'

export type BatchWriteOptions = {
  /** Resubmissions of a batch (UnprocessedItems, throttling, 5xx) before failing; default 8. */
  maxRetries?: number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

/**
 * Writes `requests` (Put or Delete) to `table` in chunks of 25, one call at a time and in order (a later
 * request on the same key wins, as in a loop of single writes), on the writer of {@link writeRequests}:
 * UnprocessedItems resubmitted with capped exponential backoff and jitter (the SDK does not retry them:
 * docs/dynamodb-rules.md). Returns the number of requests written, which always equals
 * `requests.length`; otherwise throws DdbmError AWS_FAILED once all are tried, listing the keys not
 * written, with the first error as `cause`.
 */
export async function batchWrite(
  client: DynamoDBClient,
  table: string,
  requests: readonly WriteRequest[],
  opts: BatchWriteOptions = {},
): Promise<number> {
  const failed: WriteRequest[] = []
  let firstError: unknown
  const stats = await writeRequests(
    client,
    table,
    requests,
    {
      concurrency: 1,
      maxAttempts: (opts.maxRetries ?? 8) + 1,
      ...(opts.sleep === undefined ? {} : { sleep: opts.sleep }),
      ...(opts.random === undefined ? {} : { random: opts.random }),
    },
    {
      onFailed: (requests, error) => {
        failed.push(...requests)
        firstError ??= error
      },
    },
  )
  if (failed.length > 0) {
    const reason = typeof firstError === 'string' ? firstError : String(stats.firstErrors[0]?.error)
    const throttled = typeof firstError === 'string' || classifyFailure(firstError) === 'throttle'
    throw new DdbmError(
      'AWS_FAILED',
      `${failed.length} item(s) of ${table} were not written (${reason})`,
      { table, keys: failed.map((r) => keyOf(r)) },
      {
        ...(throttled
          ? { hint: 'The table is throttled; retry later or lower the write rate.' }
          : {}),
        ...(typeof firstError === 'string' ? {} : { cause: firstError }),
      },
    )
  }
  return stats.written
}
