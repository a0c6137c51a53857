import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { SCAN_PAGE_LIMIT } from '../../dynamo/scan.js'

/** Scan segments used to count a table: parallel scan answers several times faster on DynamoDB Local. */
export const COUNT_SEGMENTS = 4

/**
 * The number of items in `table` (or in its GSI `index`): a parallel Scan with `Select: COUNT`, every page.
 * Consistent on the table; a GSI only answers eventually consistent reads, so a caller that needs an index
 * to have caught up polls (see waitForCount).
 */
export async function countItems(
  client: DynamoDBClient,
  table: string,
  opts: { index?: string; segments?: number } = {},
): Promise<number> {
  const segments = opts.segments ?? COUNT_SEGMENTS
  const counts = await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let count = 0
      let start: Record<string, AttributeValue> | undefined
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: table,
            Select: 'COUNT',
            Segment: segment,
            TotalSegments: segments,
            Limit: SCAN_PAGE_LIMIT,
            ...(opts.index === undefined ? { ConsistentRead: true } : { IndexName: opts.index }),
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        )
        count += page.Count ?? 0
        start = page.LastEvaluatedKey
      } while (start !== undefined)
      return count
    }),
  )
  return counts.reduce((a, b) => a + b, 0)
}

/**
 * Polls countItems on a GSI until it equals `expected` or `timeoutMs` passes (index propagation is
 * asynchronous), and returns the last count. `sleep` and `now` are injectable.
 */
export async function waitForCount(
  client: DynamoDBClient,
  table: string,
  index: string,
  expected: number,
  opts: { timeoutMs?: number; sleep?: (ms: number) => Promise<void>; now?: () => number } = {},
): Promise<number> {
  const timeoutMs = opts.timeoutMs ?? 30_000
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const now = opts.now ?? Date.now
  const start = now()
  for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
    const count = await countItems(client, table, { index })
    if (count === expected || now() - start >= timeoutMs) return count
    await sleep(delay)
  }
}

/**
 * How many items of `table` carry each value of `attribute` (a consistent parallel Scan projecting only
 * that attribute); items without it count under `(none)`. Values are shown as text.
 */
export async function countByAttribute(
  client: DynamoDBClient,
  table: string,
  attribute: string,
  opts: { segments?: number } = {},
): Promise<Record<string, number>> {
  const segments = opts.segments ?? COUNT_SEGMENTS
  const counts: Record<string, number> = {}
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let start: Record<string, AttributeValue> | undefined
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: table,
            ConsistentRead: true,
            Segment: segment,
            TotalSegments: segments,
            Limit: SCAN_PAGE_LIMIT,
            ProjectionExpression: '#a',
            ExpressionAttributeNames: { '#a': attribute },
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        )
        for (const item of page.Items ?? []) {
          const key = valueText(item[attribute])
          counts[key] = (counts[key] ?? 0) + 1
        }
        start = page.LastEvaluatedKey
      } while (start !== undefined)
    }),
  )
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

function valueText(v: AttributeValue | undefined): string {
  if (v === undefined) return '(none)'
  if (v.S !== undefined) return v.S
  if (v.N !== undefined) return v.N
  if (v.BOOL !== undefined) return String(v.BOOL)
  return JSON.stringify(v)
}
