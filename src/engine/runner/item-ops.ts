import { SCAN_PAGE_LIMIT } from '../../dynamo/scan.js'
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { DdbmError } from '../../errors.js'
import { batchWrite } from '../write/batch-write.js'
import type {
  GetOptions,
  Item,
  QueryOptions,
  ScanOptions,
  UpdateOptions,
  UpdateResult,
  WriteOptions,
} from './item-types.js'
import { updateExpression } from './update-expression.js'

export type {
  ExpressionOptions,
  GetOptions,
  Item,
  QueryOptions,
  ScanOptions,
  UpdateOptions,
  UpdateResult,
  WriteOptions,
} from './item-types.js'

/**
 * The item operations of a migration context. Every `table` is a LOGICAL name (named for the environment
 * by ddbm); items, keys and expression values are plain JS objects, marshalled for you with
 * `removeUndefinedValues`. Errors other than a failed condition (a bad expression, a missing table) are
 * thrown as the SDK reports them and fail the migration.
 */
export type ItemOps = {
  /** The item with `key` (a strongly consistent GetItem unless `consistent: false`), or undefined. */
  get(table: string, key: Item, opts?: GetOptions): Promise<Item | undefined>
  /**
   * Writes `item` whole (PutItem), replacing any item with its key. Returns true when written, false when
   * `condition` was false and `ifConditionFails: 'skip'` was given (e.g. create-if-absent with
   * `condition: 'attribute_not_exists(PK)'`).
   */
  put(table: string, item: Item, opts?: WriteOptions): Promise<boolean>
  /**
   * Changes the item with `key` (UpdateItem): `set` / `remove`, or a raw `expression`. UpdateItem creates
   * a missing item; in a backfill, add `condition: 'attribute_exists(PK)'` (your hash key) with
   * `ifConditionFails: 'skip'` so an item deleted since it was read is not brought back. `attributes`
   * holds what `returnValues` asked for.
   */
  update(table: string, key: Item, opts: UpdateOptions): Promise<UpdateResult>
  /** Deletes the item with `key` (DeleteItem; deleting a missing item succeeds). False as for `put`. */
  delete(table: string, key: Item, opts?: WriteOptions): Promise<boolean>
  /** Every item of the table (or `index`) passing `filter`, read page by page (Scan) as you iterate. */
  scan(table: string, opts?: ScanOptions): AsyncIterable<Item>
  /** The items matching `keyCondition` (and `filter`), read page by page (Query) as you iterate. */
  query(table: string, opts: QueryOptions): AsyncIterable<Item>
  /**
   * Puts `items` with BatchWriteItem, 25 per call, resubmitting unprocessed ones with backoff; returns the
   * count. Unconditional; two items with the same key in one call are refused by DynamoDB.
   */
  putItems(table: string, items: readonly Item[]): Promise<number>
  /** Deletes the items with `keys` like `putItems` (batched, unprocessed ones retried); returns the count. */
  deleteItems(table: string, keys: readonly Item[]): Promise<number>
}

const toAttributes = (value: Item): Record<string, AttributeValue> =>
  marshall(value, { removeUndefinedValues: true })

/** ExpressionAttributeNames / Values, left out when empty (DynamoDB rejects empty maps). */
function placeholders(names: Record<string, string>, values: Item) {
  return {
    ...(Object.keys(names).length === 0 ? {} : { ExpressionAttributeNames: names }),
    ...(Object.keys(values).length === 0
      ? {}
      : { ExpressionAttributeValues: toAttributes(values) }),
  }
}

/** Builds the item operations on `client`, naming tables through `tableName`. */
export function itemOps(client: DynamoDBClient, tableName: (logical: string) => string): ItemOps {
  /** Sends a conditional write; a failed condition throws or, with `'skip'`, yields undefined. */
  const conditional = async <T>(
    what: { op: string; table: string; item: Item },
    opts: WriteOptions,
    send: () => Promise<T>,
  ): Promise<T | undefined> => {
    try {
      return await send()
    } catch (err) {
      if (!(err instanceof Error) || err.name !== 'ConditionalCheckFailedException') throw err
      if (opts.ifConditionFails === 'skip') return undefined
      const shown = preview(what.item)
      throw new DdbmError(
        'MIGRATION_FAILED',
        `ctx.${what.op}(${JSON.stringify(what.table)}): the condition \`${opts.condition ?? ''}\` is false for ${shown}`,
        { table: what.table, item: shown, condition: opts.condition ?? null },
        {
          cause: err,
          hint: `Pass \`ifConditionFails: 'skip'\` to ctx.${what.op} to leave such items unchanged, or fix the condition.`,
        },
      )
    }
  }
  const condition = (opts: WriteOptions) =>
    opts.condition === undefined ? {} : { ConditionExpression: opts.condition }

  async function* pages(
    read: (startKey: Record<string, AttributeValue> | undefined) => Promise<{
      Items?: Record<string, AttributeValue>[]
      LastEvaluatedKey?: Record<string, AttributeValue>
    }>,
  ): AsyncIterable<Item> {
    let startKey: Record<string, AttributeValue> | undefined
    do {
      const page = await read(startKey)
      for (const item of page.Items ?? []) yield unmarshall(item)
      startKey = page.LastEvaluatedKey
    } while (startKey !== undefined)
  }
  const readInput = (
    table: string,
    opts: ScanOptions,
    startKey?: Record<string, AttributeValue>,
  ) => ({
    TableName: tableName(table),
    ConsistentRead: opts.consistent ?? opts.index === undefined,
    ...(opts.index === undefined ? {} : { IndexName: opts.index }),
    ...(opts.filter === undefined ? {} : { FilterExpression: opts.filter }),
    Limit: opts.pageSize ?? SCAN_PAGE_LIMIT,
    ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
    ...placeholders(opts.names ?? {}, opts.values ?? {}),
  })

  return {
    async get(table, key, opts = {}) {
      const out = await client.send(
        new GetItemCommand({
          TableName: tableName(table),
          Key: toAttributes(key),
          ConsistentRead: opts.consistent ?? true,
        }),
      )
      return out.Item === undefined ? undefined : unmarshall(out.Item)
    },

    async put(table, item, opts = {}) {
      const done = await conditional({ op: 'put', table, item }, opts, () =>
        client.send(
          new PutItemCommand({
            TableName: tableName(table),
            Item: toAttributes(item),
            ...condition(opts),
            ...placeholders(opts.names ?? {}, opts.values ?? {}),
          }),
        ),
      )
      return done !== undefined
    },

    async update(table, key, opts) {
      const { expression, names, values } = updateExpression(table, opts)
      const out = await conditional({ op: 'update', table, item: key }, opts, () =>
        client.send(
          new UpdateItemCommand({
            TableName: tableName(table),
            Key: toAttributes(key),
            UpdateExpression: expression,
            ...condition(opts),
            ...placeholders(names, values),
            ...(opts.returnValues === undefined ? {} : { ReturnValues: opts.returnValues }),
          }),
        ),
      )
      if (out === undefined) return { updated: false, attributes: undefined }
      const attributes = out.Attributes === undefined ? undefined : unmarshall(out.Attributes)
      return { updated: true, attributes }
    },

    async delete(table, key, opts = {}) {
      const done = await conditional({ op: 'delete', table, item: key }, opts, () =>
        client.send(
          new DeleteItemCommand({
            TableName: tableName(table),
            Key: toAttributes(key),
            ...condition(opts),
            ...placeholders(opts.names ?? {}, opts.values ?? {}),
          }),
        ),
      )
      return done !== undefined
    },

    scan: (table, opts = {}) =>
      pages((startKey) => client.send(new ScanCommand(readInput(table, opts, startKey)))),

    query: (table, opts) =>
      pages((startKey) =>
        client.send(
          new QueryCommand({
            ...readInput(table, opts, startKey),
            KeyConditionExpression: opts.keyCondition,
            ...(opts.forward === undefined ? {} : { ScanIndexForward: opts.forward }),
          }),
        ),
      ),

    putItems: (table, items) =>
      batchWrite(
        client,
        tableName(table),
        items.map((item) => ({ PutRequest: { Item: toAttributes(item) } })),
      ),

    deleteItems: (table, keys) =>
      batchWrite(
        client,
        tableName(table),
        keys.map((key) => ({ DeleteRequest: { Key: toAttributes(key) } })),
      ),
  }
}

/** A short, JSON-safe rendering of an item or key for messages (bigints and Sets included). */
function preview(item: Item): string {
  const text = JSON.stringify(item, (_k, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v instanceof Set ? [...(v as Set<unknown>)] : v,
  )
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}
