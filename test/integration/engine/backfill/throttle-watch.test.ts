import { describe, expect, test } from 'vitest'
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import { watchThrottles } from '../../../../src/engine/backfill/throttle-watch.js'
import { engines } from '../../../helpers/engines.js'
import type { ThrottleProxy } from '../../../helpers/throttle-proxy.js'
import { throttledTable } from '../../../helpers/throttled-table.js'

const engine = engines()[0]!

/**
 * A client through the proxy with standard retries and `maxAttempts` attempts a call. ddbm's own client
 * makes 5; the retrying test takes 10, since one update throttled 5 times in a row under a loaded CI
 * machine would fail it for a reason that is not the watcher's (ddbm's writers resend such a call).
 */
function proxiedClient(proxy: ThrottleProxy, maxAttempts: number): DynamoDBClient {
  return new DynamoDBClient({
    region: 'us-east-1',
    endpoint: proxy.endpoint,
    credentials: { accessKeyId: 'ddbmlocal', secretAccessKey: 'ddbmlocal' },
    retryMode: 'standard',
    maxAttempts,
  })
}

/** Runs `task(i)` for i in [0, n) on `workers` concurrent loops. */
async function pool(n: number, workers: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < n) await task(next++)
    }),
  )
}

describe(`${engine.name}: watchThrottles through a throttling proxy`, () => {
  const t = throttledTable(engine, 'Throttled')
  const { table, direct } = t

  test('every throttled attempt is seen, the SDK retries it, nothing is lost or applied twice', async () => {
    const client = proxiedClient(t.proxy, 10)
    const seen: string[] = []
    const alsoSeen: string[] = []
    const stop = watchThrottles(client, (kind, err) => seen.push(`${kind} ${err.name}`))
    const stopOther = watchThrottles(client, (kind) => alsoSeen.push(kind))
    const N = 200
    // Closed for the first 300 ms: the first attempt of every worker is throttled however slow the
    // machine is (on a loaded one, 8 workers may send fewer than 50 a second).
    t.proxy.setLimit({ writesPerSec: 0 })
    setTimeout(() => t.proxy.setLimit({ writesPerSec: 50 }), 300)
    const started = performance.now()
    try {
      await pool(N, 8, async (i) => {
        await client.send(
          new UpdateItemCommand({
            TableName: table,
            Key: { pk: { S: `item-${i}` } },
            // ADD: an update forwarded twice would leave 2.
            UpdateExpression: 'ADD #n :one',
            ExpressionAttributeNames: { '#n': 'n' },
            ExpressionAttributeValues: { ':one': { N: '1' } },
          }),
        )
      })
    } finally {
      stop()
      stopOther()
    }
    const seconds = (performance.now() - started) / 1000
    const stats = t.proxy.stats()
    // 50 a second: 200 updates take at least 3 windows after the first.
    expect(seconds).toBeGreaterThan(3)
    expect(stats.writes.forwarded).toStrictEqual(N)
    expect(stats.writes.throttled).toBeGreaterThanOrEqual(8)
    expect(seen).toStrictEqual(
      Array.from(
        { length: stats.writes.throttled },
        () => 'write ProvisionedThroughputExceededException',
      ),
    )
    expect(alsoSeen.length).toStrictEqual(stats.writes.throttled)

    const items = await direct.send(new ScanCommand({ TableName: table }))
    const counts = (items.Items ?? []).map((item) => [item.pk?.S, item.n?.N])
    expect(counts.length).toStrictEqual(N)
    expect(counts.every(([, n]) => n === '1')).toStrictEqual(true)
    expect(new Set(counts.map(([pk]) => pk)).size).toStrictEqual(N)

    client.destroy()
  }, 60_000)

  test('reads are reported as reads; control-plane calls pass unlimited and uncounted', async () => {
    const client = proxiedClient(t.proxy, 2)
    const before = t.proxy.stats()
    t.proxy.setLimit({ readsPerSec: 0, writesPerSec: 0 })
    const seen: string[] = []
    const stop = watchThrottles(client, (kind) => seen.push(kind))
    try {
      const err = await client
        .send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'item-1' } } }))
        .catch((e: unknown) => e)
      expect((err as Error).name).toStrictEqual('ProvisionedThroughputExceededException')
      expect(seen).toStrictEqual(['read', 'read'])
      const described = await client.send(new DescribeTableCommand({ TableName: table }))
      expect(described.Table?.TableName).toStrictEqual(table)
      t.proxy.setLimit({ readsPerSec: Infinity })
      const got = await client.send(
        new GetItemCommand({ TableName: table, Key: { pk: { S: 'item-1' } } }),
      )
      expect(got.Item?.n?.N).toStrictEqual('1')
      expect(seen).toStrictEqual(['read', 'read'])
      const after = t.proxy.stats()
      expect(after).toStrictEqual({
        forwarded: before.forwarded + 1,
        throttled: before.throttled + 2,
        reads: { forwarded: before.reads.forwarded + 1, throttled: before.reads.throttled + 2 },
        writes: before.writes,
        other: before.other + 1,
      })
    } finally {
      t.proxy.setLimit({ readsPerSec: Infinity, writesPerSec: Infinity })
      stop()
      client.destroy()
    }
  })

  test('a removed watcher sees nothing more; the other one still does', async () => {
    const client = proxiedClient(t.proxy, 2)
    const kept: string[] = []
    const removed: string[] = []
    const stopKept = watchThrottles(client, (kind) => kept.push(kind))
    const stopRemoved = watchThrottles(client, (kind) => removed.push(kind))
    stopRemoved()
    t.proxy.setLimit({ writesPerSec: 0 })
    try {
      const err = await client
        .send(
          new UpdateItemCommand({
            TableName: table,
            Key: { pk: { S: 'late' } },
            UpdateExpression: 'SET x = :x',
            ExpressionAttributeValues: { ':x': { N: '1' } },
          }),
        )
        .catch((e: unknown) => e)
      // The SDK tried twice (its maxAttempts), both throttled.
      expect((err as Error).name).toStrictEqual('ProvisionedThroughputExceededException')
      expect([kept, removed]).toStrictEqual([['write', 'write'], []])
    } finally {
      t.proxy.setLimit({ writesPerSec: Infinity })
      stopKept()
      client.destroy()
    }
  })
})
