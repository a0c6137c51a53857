import { createHash } from 'node:crypto'
import {
  CreateTableCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'

/** Key attributes of {@link createItemsTable}'s tables. */
export const KEY = ['pk', 'sk'] as const

/** A table with `pk` (S) / `sk` (N), on demand. */
export async function createItemsTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  )
}

/** Item number `i`: deterministic, about 100 bytes, 20 items per partition key. */
export function testItem(i: number): Record<string, AttributeValue> {
  return {
    pk: { S: `p#${String(Math.floor(i / 20)).padStart(6, '0')}` },
    sk: { N: String(i) },
    name: { S: `item ${i}` },
    flag: { BOOL: i % 3 === 0 },
    tags: { SS: [`t${i % 7}`, `u${i % 11}`] },
    payload: { S: 'x'.repeat(40 + (i % 17)) },
  }
}

/** Items 0..n-1, generated lazily. */
export function* testItems(n: number, from = 0): Generator<Record<string, AttributeValue>> {
  for (let i = from; i < from + n; i++) yield testItem(i)
}

/** Items present, by a strongly consistent Scan with Select COUNT. */
export async function countItems(client: DynamoDBClient, table: string): Promise<number> {
  let count = 0
  let start: Record<string, AttributeValue> | undefined
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        Select: 'COUNT',
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    )
    count += page.Count ?? 0
    start = page.LastEvaluatedKey
  } while (start !== undefined)
  return count
}

/** JSON with object keys sorted at every level (string sets sorted too: DynamoDB keeps no set order). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(
        ([k, v]) =>
          `${JSON.stringify(k)}:${k === 'SS' ? canonical([...(v as string[])].sort()) : canonical(v)}`,
      )
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value)
}

/** The sort key of an item of {@link testItem}'s shape: pk then numeric sk. */
function order(a: Record<string, AttributeValue>, b: Record<string, AttributeValue>): number {
  const pa = a.pk?.S ?? ''
  const pb = b.pk?.S ?? ''
  if (pa !== pb) return pa < pb ? -1 : 1
  return Number(a.sk?.N) - Number(b.sk?.N)
}

/** sha256 of the items sorted by key, each in canonical JSON, one per line. */
export function contentHash(items: Iterable<Record<string, AttributeValue>>): string {
  const hash = createHash('sha256')
  for (const item of [...items].sort(order)) hash.update(`${canonical(item)}\n`)
  return hash.digest('hex')
}

/** Every item of `table`, by a strongly consistent Scan. */
export async function scanAll(
  client: DynamoDBClient,
  table: string,
): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = []
  let start: Record<string, AttributeValue> | undefined
  do {
    const page = await client.send(
      new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }),
    )
    items.push(...(page.Items ?? []))
    start = page.LastEvaluatedKey
  } while (start !== undefined)
  return items
}
