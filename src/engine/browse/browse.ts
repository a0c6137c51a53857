import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { DdbmError } from '../../errors.js'
import { describeTable } from '../../dynamo/wait.js'
import {
  buildExpressions,
  decodeCursor,
  DEFAULT_LIMIT,
  encodeCursor,
  type BrowseRequest,
} from './expression.js'
import { plainItem, wireItem, wireKey, type KeyAttr, type KeyType, type Wire } from './wire.js'

/** The keys of a live table and of each of its indexes, from DescribeTable. */
export type TableKeys = {
  physical: string
  status: string
  /** DescribeTable's ItemCount (on AWS updated about every six hours). */
  itemCount?: number
  keys: KeyAttr[]
  indexes: Record<string, { kind: 'gsi' | 'lsi'; keys: KeyAttr[] }>
}

/** One page of a browse: plain JSON items, the cursor of the next page (absent at the end). */
export type BrowsePage = {
  items: Record<string, unknown>[]
  cursor?: string
  /** Items returned (after the filters). */
  count: number
  /** Items read (before the filters). */
  scanned: number
}

/** The most items an export writes. */
export const EXPORT_MAX_ITEMS = 100_000

/** The keys of `physical` (DescribeTable), or undefined when it does not exist. */
export async function describeKeys(
  client: DynamoDBClient,
  physical: string,
): Promise<TableKeys | undefined> {
  const t = await describeTable(client, physical)
  return t === undefined ? undefined : keysOf(physical, t)
}

/** {@link TableKeys} of a DescribeTable result. */
export function keysOf(physical: string, t: TableDescription): TableKeys {
  const types = new Map(
    (t.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]),
  )
  const attrs = (schema: TableDescription['KeySchema']): KeyAttr[] =>
    (schema ?? []).map((k) => ({
      name: k.AttributeName ?? '',
      type: (types.get(k.AttributeName) ?? 'S') as KeyType,
      role: k.KeyType === 'RANGE' ? 'RANGE' : 'HASH',
    }))
  const indexes: TableKeys['indexes'] = {}
  for (const g of t.GlobalSecondaryIndexes ?? []) {
    indexes[g.IndexName ?? ''] = { kind: 'gsi', keys: attrs(g.KeySchema) }
  }
  for (const l of t.LocalSecondaryIndexes ?? []) {
    indexes[l.IndexName ?? ''] = { kind: 'lsi', keys: attrs(l.KeySchema) }
  }
  return {
    physical,
    status: t.TableStatus ?? 'ACTIVE',
    ...(t.ItemCount === undefined ? {} : { itemCount: t.ItemCount }),
    keys: attrs(t.KeySchema),
    indexes,
  }
}

/**
 * One page of a Query or Scan of the table (or `req.index`), from `req.cursor` on, at most `req.limit`
 * items read (default 50; DynamoDB's Limit counts items read, so filters can return fewer, and a page
 * with none still has a cursor when there is more). USAGE for an unknown index and for what DynamoDB
 * refuses as invalid (ValidationException: e.g. begins_with on a number key).
 */
export async function browsePage(
  client: DynamoDBClient,
  table: TableKeys,
  req: BrowseRequest,
): Promise<BrowsePage> {
  const keys = keysFor(table, req.index)
  const x = buildExpressions(req, keys)
  const input = {
    TableName: table.physical,
    ...(req.index === undefined ? {} : { IndexName: req.index }),
    Limit: req.limit ?? DEFAULT_LIMIT,
    ...(req.cursor === undefined ? {} : { ExclusiveStartKey: decodeCursor(req.cursor) }),
    ...(x.filter === undefined ? {} : { FilterExpression: x.filter }),
    ...(x.names === undefined ? {} : { ExpressionAttributeNames: x.names }),
    ...(x.values === undefined ? {} : { ExpressionAttributeValues: x.values }),
  }
  const out = await invalidAsUsage(() =>
    req.mode === 'query'
      ? client.send(new QueryCommand({ ...input, KeyConditionExpression: x.keyCondition }))
      : client.send(new ScanCommand(input)),
  )
  const items = (out.Items ?? []).map((i) => plainItem(i))
  return {
    items,
    ...(out.LastEvaluatedKey === undefined ? {} : { cursor: encodeCursor(out.LastEvaluatedKey) }),
    count: out.Count ?? items.length,
    scanned: out.ScannedCount ?? items.length,
  }
}

/**
 * Every page of `req` (its cursor and limit ignored), one array of items at a time, until the end or
 * `max` items (default {@link EXPORT_MAX_ITEMS}); never more than one page in memory.
 */
export async function* browseAll(
  client: DynamoDBClient,
  table: TableKeys,
  req: BrowseRequest,
  max = EXPORT_MAX_ITEMS,
): AsyncGenerator<Record<string, unknown>[]> {
  let sent = 0
  let cursor: string | undefined
  do {
    const limit = Math.min(500, max - sent)
    const { cursor: _c, limit: _l, ...rest } = req
    const page = await browsePage(client, table, {
      ...rest,
      limit,
      ...(cursor === undefined ? {} : { cursor }),
    })
    const items = page.items.slice(0, max - sent)
    sent += items.length
    if (items.length > 0) yield items
    cursor = page.cursor
  } while (cursor !== undefined && sent < max)
}

/**
 * PutItem of one plain JSON item (wireItem): key attributes typed by the table's key, the others as the
 * item the table holds now types them (read first, consistently), so that an edit keeps sets and binary.
 */
export async function putItem(
  client: DynamoDBClient,
  table: TableKeys,
  item: unknown,
): Promise<void> {
  // Checked and key-typed first: a bad item is refused before any call.
  const typed = wireItem(item, table.keys)
  const Key = Object.fromEntries(table.keys.map((k) => [k.name, typed[k.name] as Wire]))
  const stored = await invalidAsUsage(() =>
    client.send(new GetItemCommand({ TableName: table.physical, Key, ConsistentRead: true })),
  )
  const Item = wireItem(item, table.keys, (stored.Item ?? {}) as Record<string, Wire>)
  await invalidAsUsage(() => client.send(new PutItemCommand({ TableName: table.physical, Item })))
}

/** DeleteItem of one primary key (plain JSON, typed by the table's key). */
export async function deleteItem(
  client: DynamoDBClient,
  table: TableKeys,
  key: unknown,
): Promise<void> {
  const Key = wireKey(key, table.keys)
  await invalidAsUsage(() => client.send(new DeleteItemCommand({ TableName: table.physical, Key })))
}

/** The key attributes of the table, or of its index `index` (USAGE when it has none of that name). */
export function keysFor(table: TableKeys, index: string | undefined): KeyAttr[] {
  if (index === undefined) return table.keys
  const found = table.indexes[index]
  if (found === undefined) {
    const known = Object.keys(table.indexes)
    throw new DdbmError(
      'USAGE',
      `No index "${index}" on ${table.physical} (indexes: ${known.join(', ') || 'none'})`,
      { index, known },
    )
  }
  return found.keys
}

/** Runs a call; DynamoDB's ValidationException (the request is invalid) becomes USAGE with its message. */
async function invalidAsUsage<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    if (err instanceof Error && err.name === 'ValidationException') {
      throw new DdbmError('USAGE', `DynamoDB refused the request: ${err.message}`, undefined, {
        cause: err,
      })
    }
    throw err
  }
}
