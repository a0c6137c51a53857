import {
  BatchWriteItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb'
import { DdbmError } from '../../errors.js'

/** BatchWriteItem's limit of requests per call. */
export const BATCH_SIZE = 25

export type BatchWriteOptions = {
  /** Resubmissions of UnprocessedItems before failing; default 8. */
  maxRetries?: number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

/**
 * Writes `requests` (Put or Delete) to `table` in chunks of 25, resubmitting only the UnprocessedItems with
 * capped exponential backoff and jitter (the SDK does not retry them: docs/dynamodb-rules.md). Returns the number
 * of requests written, which always equals `requests.length`; otherwise throws, listing the keys not written.
 */
export async function batchWrite(
  client: DynamoDBClient,
  table: string,
  requests: readonly WriteRequest[],
  opts: BatchWriteOptions = {},
): Promise<number> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)))
  const random = opts.random ?? Math.random
  const maxRetries = opts.maxRetries ?? 8
  let written = 0
  for (let i = 0; i < requests.length; i += BATCH_SIZE) {
    let pending: WriteRequest[] = requests.slice(i, i + BATCH_SIZE)
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > maxRetries) {
        throw new DdbmError(
          'AWS_FAILED',
          `${pending.length} item(s) of ${table} were not written after ${maxRetries} retries`,
          { table, keys: pending.map(keyOf) },
          { hint: 'The table is throttled; retry later or lower the write rate.' },
        )
      }
      if (attempt > 0) await sleep(Math.min(5_000, 50 * 2 ** attempt) * (0.5 + random() / 2))
      const out = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [table]: pending } }),
      )
      const left = out.UnprocessedItems?.[table] ?? []
      written += pending.length - left.length
      pending = left
    }
  }
  return written
}

function keyOf(request: WriteRequest): Record<string, AttributeValue> | undefined {
  return request.PutRequest?.Item ?? request.DeleteRequest?.Key
}
