import {
  BatchGetItemCommand,
  DeleteItemCommand,
  PutItemCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb'
import { SCAN_PAGE_LIMIT } from '../../dynamo/scan.js'
import { DdbmError, messageOf } from '../../errors.js'
import { ZERO_COUNTS, type SegmentState } from '../../backfill/segments.js'
import { fenceOf, isConditionalCheckFailed } from '../meta/lease.js'
import { META_KEY } from '../meta/meta-table.js'
import { isConflict, reasons } from '../meta/records.js'
import type {
  BackfillHeader,
  BackfillRef,
  BackfillStore,
  CheckpointOutcome,
} from './backfill-store.js'
import {
  BACKFILL_PREFIX,
  COUNT_FIELDS,
  headerItem,
  headerOf,
  headerPk,
  keyOf,
  segmentAttrs,
  segmentOf,
  segmentPk,
  type Attrs,
} from './backfill-items.js'

/** The backfill store in the meta table `table` (layout: docs/backfills.md). */
export function dynamoBackfillStore(client: DynamoDBClient, table: string): BackfillStore {
  const failed = (action: string, err: unknown) =>
    new DdbmError(
      'AWS_FAILED',
      `Could not ${action} in ${table}: ${messageOf(err)}`,
      { table },
      { cause: err },
    )

  const readSegments = async (
    ref: BackfillRef,
    count: number,
  ): Promise<Map<number, SegmentState>> => {
    const found = new Map<number, SegmentState>()
    const keys = Array.from({ length: count }, (_, i) => keyOf(segmentPk(ref, i)))
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Attrs[] = keys.slice(i, i + 100)
      for (let attempt = 0; pending.length > 0; attempt++) {
        const out = await client.send(
          new BatchGetItemCommand({
            RequestItems: { [table]: { Keys: pending, ConsistentRead: true } },
          }),
        )
        for (const item of out.Responses?.[table] ?? []) {
          const s = segmentOf(item)
          found.set(s.index, s)
        }
        pending = out.UnprocessedKeys?.[table]?.Keys ?? []
        if (pending.length > 0)
          await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)))
      }
    }
    return found
  }

  /** A transaction of the lock fence and `op`; retried on a conflicting transaction. */
  const fenced = async (lockOwner: string, op: Parameters<typeof transact>[2]) =>
    transact(client, table, op, lockOwner)

  /** The meta table's items whose `pk` starts with `prefix` (and of `kind`), strongly consistent. */
  async function* scanPrefix(prefix: string, kind?: string): AsyncIterable<Attrs> {
    let startKey: Attrs | undefined
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: table,
          ConsistentRead: true,
          FilterExpression: `begins_with(#pk, :prefix)${kind === undefined ? '' : ' AND #kind = :kind'}`,
          ExpressionAttributeNames: {
            '#pk': META_KEY,
            ...(kind === undefined ? {} : { '#kind': 'kind' }),
          },
          ExpressionAttributeValues: {
            ':prefix': { S: prefix },
            ...(kind === undefined ? {} : { ':kind': { S: kind } }),
          },
          Limit: SCAN_PAGE_LIMIT,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      )
      yield* page.Items ?? []
      startKey = page.LastEvaluatedKey
    } while (startKey !== undefined)
  }

  const store: BackfillStore = {
    async start(header) {
      const ref = { migration: header.migration, name: header.name }
      const stored = await store.read(ref)
      if (stored !== undefined) {
        const h = stored.header
        if (
          h.table !== header.table ||
          h.index !== header.index ||
          h.segments !== header.segments
        ) {
          throw new DdbmError(
            'MIGRATION_INVALID',
            `Backfill ${header.name} of ${header.migration} was started on ${describe(h)}; this run asks for ${describe(header)}`,
            { name: header.name, migration: header.migration },
            {
              hint: 'A resumed backfill keeps its table, index and segments: restore the options it started with.',
            },
          )
        }
      }
      const item = headerItem(
        stored === undefined
          ? header
          : {
              ...stored.header,
              lockOwner: header.lockOwner,
              ...(header.coordinator === undefined ? {} : { coordinator: header.coordinator }),
            },
      )
      const outcome = await fenced(header.lockOwner, { Put: { TableName: table, Item: item } })
      if (outcome !== 'ok') throw lockLost(table, header)
      const segments =
        stored === undefined
          ? new Map<number, SegmentState>()
          : new Map(stored.segments.map((s) => [s.index, s]))
      const missing = Array.from({ length: header.segments }, (_, i) => i).filter(
        (i) => !segments.has(i),
      )
      for (let i = 0; i < missing.length; i += 16) {
        await Promise.all(
          missing.slice(i, i + 16).map(async (index) => {
            const s: SegmentState = { index, status: 'open', counts: ZERO_COUNTS }
            try {
              await client.send(
                new PutItemCommand({
                  TableName: table,
                  Item: { ...keyOf(segmentPk(ref, index)), ...segmentAttrs(s) },
                  ConditionExpression: 'attribute_not_exists(#pk)',
                  ExpressionAttributeNames: { '#pk': META_KEY },
                }),
              )
            } catch (err) {
              if (!isConditionalCheckFailed(err)) throw failed('create backfill segments', err)
            }
          }),
        )
      }
      const now = await store.read(ref)
      if (now === undefined) throw failed('read the backfill just written', undefined)
      return {
        ...now,
        resumed: stored !== undefined,
        ...(stored === undefined ? {} : { previous: stored.header }),
      }
    },

    async read(ref) {
      try {
        const out = await client.send(
          new BatchGetItemCommand({
            RequestItems: { [table]: { Keys: [keyOf(headerPk(ref))], ConsistentRead: true } },
          }),
        )
        const item = out.Responses?.[table]?.[0]
        if (item === undefined) return undefined
        const header = headerOf(item)
        const segments = await readSegments(ref, header.segments)
        return { header, segments: [...segments.values()].sort((a, b) => a.index - b.index) }
      } catch (err) {
        if (err instanceof DdbmError) throw err
        throw failed('read a backfill', err)
      }
    },

    async list() {
      const headers: BackfillHeader[] = []
      try {
        for await (const item of scanPrefix(BACKFILL_PREFIX, 'backfill'))
          headers.push(headerOf(item))
      } catch (err) {
        throw failed('list the backfills', err)
      }
      return headers.sort((x, y) => (headerPk(x) < headerPk(y) ? -1 : 1))
    },

    async claim(ref, index, me, replaces) {
      try {
        const out = await client.send(
          new UpdateItemCommand({
            TableName: table,
            Key: keyOf(segmentPk(ref, index)),
            UpdateExpression:
              'SET leaseOwner = :me, leaseHolder = :holder, leaseCounter = :counter',
            ConditionExpression:
              replaces === undefined
                ? '#status = :open AND attribute_not_exists(leaseOwner)'
                : '#status = :open AND leaseOwner = :old AND leaseCounter = :oldCounter',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':me': { S: me.owner },
              ':holder': { S: me.holder },
              ':counter': { N: String((replaces?.counter ?? 0) + 1) },
              ':open': { S: 'open' },
              ...(replaces === undefined
                ? {}
                : {
                    ':old': { S: replaces.owner },
                    ':oldCounter': { N: String(replaces.counter) },
                  }),
            },
            ReturnValues: 'ALL_NEW',
          }),
        )
        return out.Attributes === undefined ? undefined : segmentOf(out.Attributes)
      } catch (err) {
        if (isConditionalCheckFailed(err)) return undefined
        throw failed(`claim backfill segment ${index}`, err)
      }
    },

    async renew(ref, index, owner) {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: table,
            Key: keyOf(segmentPk(ref, index)),
            UpdateExpression: 'SET leaseCounter = leaseCounter + :one',
            ConditionExpression: 'leaseOwner = :me',
            ExpressionAttributeValues: { ':one': { N: '1' }, ':me': { S: owner } },
          }),
        )
        return true
      } catch (err) {
        if (isConditionalCheckFailed(err)) return false
        // Network trouble: the lease is not known lost; the next renewal or checkpoint tells.
        return true
      }
    },

    async checkpoint(ref, index, fence, progress) {
      const values: Attrs = {
        ':me': { S: fence.owner },
        ':one': { N: '1' },
        ':status': { S: progress.done ? 'done' : 'open' },
        ':at': { S: new Date().toISOString() },
      }
      const sets = ['#status = :status', 'updatedAt = :at', 'leaseCounter = leaseCounter + :one']
      for (const f of COUNT_FIELDS) {
        values[`:${f}`] = { N: String(progress.counts[f]) }
        sets.push(`${f} = :${f}`)
      }
      const removes: string[] = progress.done ? ['leaseOwner'] : []
      if (progress.lastKey === undefined) removes.push('lastKey')
      else {
        values[':lastKey'] = { S: progress.lastKey }
        sets.push('lastKey = :lastKey')
      }
      return fenced(fence.lockOwner, {
        Update: {
          TableName: table,
          Key: keyOf(segmentPk(ref, index)),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length === 0 ? '' : ` REMOVE ${removes.join(', ')}`}`,
          ConditionExpression: 'leaseOwner = :me',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
        },
      })
    },

    async release(ref, index, owner) {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: table,
            Key: keyOf(segmentPk(ref, index)),
            UpdateExpression: 'REMOVE leaseOwner',
            ConditionExpression: 'leaseOwner = :me',
            ExpressionAttributeValues: { ':me': { S: owner } },
          }),
        )
      } catch {
        // Not ours any more, or unreachable: the lease then expires by itself.
      }
    },

    async finish(ref, lockOwner, finishedAt) {
      const outcome = await fenced(lockOwner, {
        Update: {
          TableName: table,
          Key: keyOf(headerPk(ref)),
          UpdateExpression: 'SET #status = :done, finishedAt = :at',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#status': 'status', '#pk': META_KEY },
          ExpressionAttributeValues: { ':done': { S: 'done' }, ':at': { S: finishedAt } },
        },
      })
      if (outcome !== 'ok') throw lockLost(table, { ...ref, lockOwner })
    },

    async remove(migration) {
      let removed = 0
      try {
        for await (const item of scanPrefix(`${BACKFILL_PREFIX}${migration}#`)) {
          const Key = { [META_KEY]: item[META_KEY] ?? { S: '' } }
          await client.send(new DeleteItemCommand({ TableName: table, Key }))
          removed++
        }
      } catch (err) {
        throw failed(`delete the backfill state of ${migration}`, err)
      }
      return removed
    },
  }
  return store
}

/** Sends [lock fence, op] as one transaction; 'lock-lost' / 'lease-lost' for a failed condition. */
async function transact(
  client: DynamoDBClient,
  table: string,
  op: {
    Put?: { TableName: string; Item: Attrs }
    Update?: NonNullable<TransactWriteItem['Update']>
  },
  lockOwner: string,
): Promise<CheckpointOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ ConditionCheck: fenceOf(table, lockOwner) }, op],
        }),
      )
      return 'ok'
    } catch (err) {
      const [lock, item] = reasons(err)
      if (lock === 'ConditionalCheckFailed') return 'lock-lost'
      if (item === 'ConditionalCheckFailed') return 'lease-lost'
      if (isConflict(err) && attempt < 5) {
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt))
        continue
      }
      throw new DdbmError(
        'AWS_FAILED',
        `Could not write a backfill checkpoint to ${table}: ${messageOf(err)}`,
        { table },
        { cause: err },
      )
    }
  }
}

function lockLost(table: string, h: BackfillRef & { lockOwner: string }): DdbmError {
  return new DdbmError(
    'LOCK_LOST',
    `Backfill ${h.name} of ${h.migration} was not recorded: this run no longer holds the migration lock in ${table}`,
    { table, name: h.migration, holder: undefined },
  )
}

function describe(h: Pick<BackfillHeader, 'table' | 'index' | 'segments'>): string {
  return `${h.table}${h.index === undefined ? '' : ` (index ${h.index})`} with ${h.segments} segment(s)`
}
