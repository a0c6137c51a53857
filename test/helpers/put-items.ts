import {
  BatchWriteItemCommand,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb'
import { marshall } from '@aws-sdk/util-dynamodb'

/**
 * Writes items `itemOf(0)` to `itemOf(count - 1)` into `table`: BatchWriteItem of 25, `lanes` calls in
 * flight, unprocessed items resent after a short, growing pause. For filling test and benchmark tables.
 */
export async function putGenerated(
  client: DynamoDBClient,
  table: string,
  count: number,
  itemOf: (n: number) => Record<string, unknown>,
  lanes = 8,
): Promise<void> {
  let next = 0
  const lane = async () => {
    for (let start = next; start < count; start = next) {
      next += 25
      let pending: WriteRequest[] = Array.from({ length: Math.min(25, count - start) }, (_, i) => ({
        PutRequest: { Item: marshall(itemOf(start + i)) },
      }))
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * attempt))
        const out = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [table]: pending } }),
        )
        pending = out.UnprocessedItems?.[table] ?? []
      }
    }
  }
  await Promise.all(Array.from({ length: lanes }, lane))
}
