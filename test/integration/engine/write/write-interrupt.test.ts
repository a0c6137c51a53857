import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, test } from 'vitest'
import { writeItems } from '../../../../src/engine/write/write-items.js'
import { clearTable } from '../../../../src/engine/write/clear-table.js'
import { interruption } from '../../../../src/interrupt.js'
import { dropTables, engineClient, engines } from '../../../helpers/engines.js'
import { countItems, createItemsTable, KEY, testItems } from './tables.js'

const engine = engines()[0]!

describe(`${engine.name}: an interrupted write`, () => {
  const suffix = randomUUID().slice(0, 8)
  const client = engineClient(engine)
  afterAll(async () => {
    await dropTables(engine.endpoint, suffix)
    client.destroy()
  })

  test('stops at a batch boundary: the batches in flight finish, no other starts, and the counts say so', async () => {
    const table = `Interrupted-${suffix}`
    await createItemsTable(client, table)
    const controller = new AbortController()
    let pulled = 0
    const source = function* () {
      for (const item of testItems(2_000)) {
        pulled++
        yield item
      }
    }
    const stats = await writeItems(client, table, source(), {
      concurrency: 1,
      signal: controller.signal,
      onProgress: (s) => {
        if (s.batches === 3) controller.abort(interruption('SIGINT'))
      },
    })
    expect([stats.written, stats.failed, stats.batches, stats.interrupted]).toStrictEqual([
      75,
      0,
      3,
      true,
    ])
    expect(pulled).toBe(75)
    expect(await countItems(client, table)).toBe(75)

    const cleared = await clearTable(client, table, KEY, {
      concurrency: 1,
      signal: controller.signal,
    })
    expect(cleared).toStrictEqual({ deleted: 0, failed: 0, interrupted: true })
    expect(await countItems(client, table)).toBe(75)
  })
})
