import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll } from 'vitest'
import { dropTables, engineClient, type Engine } from './engines.js'
import { startThrottleProxy, type ThrottleProxy } from './throttle-proxy.js'

/** What {@link throttledTable} sets up; `proxy` is there once the suite's `beforeAll` ran. */
export type ThrottledTable = { table: string; direct: DynamoDBClient; proxy: ThrottleProxy }

/**
 * For a describe block: a table `<prefix>-<suffix>` (key `pk` S, on demand) on `engine`, created before its
 * tests with a throttling proxy in front of the engine (50 writes a second), both removed after them.
 * `direct` reaches the engine without the proxy.
 */
export function throttledTable(engine: Engine, prefix: string): ThrottledTable {
  const suffix = randomUUID().slice(0, 8)
  const made = { table: `${prefix}-${suffix}`, direct: engineClient(engine) } as ThrottledTable
  beforeAll(async () => {
    await made.direct.send(
      new CreateTableCommand({
        TableName: made.table,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    )
    made.proxy = await startThrottleProxy({ target: engine.endpoint, writesPerSec: 50 })
  })
  afterAll(async () => {
    await made.proxy?.close()
    await dropTables(engine.endpoint, suffix)
    made.direct.destroy()
  })
  return made
}
