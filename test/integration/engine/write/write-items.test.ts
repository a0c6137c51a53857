import { randomUUID } from 'node:crypto'
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { afterAll, describe, expect, test } from 'vitest'
import { writeItems, type WriteStats } from '../../../../src/engine/write/write-items.js'
import { DdbmError } from '../../../../src/errors.js'
import { dropTables, engineClient, engines } from '../../../helpers/engines.js'
import {
  contentHash,
  countItems,
  createItemsTable,
  KEY,
  scanAll,
  testItem,
  testItems,
} from './tables.js'

/** Counts the BatchWriteItem calls (HTTP attempts) a client makes. */
function countCalls(client: DynamoDBClient): { calls: number } {
  const counter = { calls: 0 }
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'BatchWriteItemCommand') counter.calls++
      return next(args)
    },
    { step: 'finalizeRequest', priority: 'low', name: 'countBatchCalls' },
  )
  return counter
}

for (const engine of engines()) {
  describe(`${engine.name}: writeItems`, () => {
    const suffix = randomUUID().slice(0, 8)
    let n = 0
    const fresh = async (): Promise<string> => {
      const name = `Write${n++}-${suffix}`
      await createItemsTable(client, name)
      return name
    }
    const client = engineClient(engine)
    const counter = countCalls(client)

    afterAll(async () => {
      await dropTables(engine.endpoint, suffix)
      client.destroy()
    })

    test('an empty iterable writes nothing and sends nothing', async () => {
      const table = await fresh()
      const before = counter.calls
      const stats = await writeItems(client, table, [])
      expect({ ...stats, ms: 0 }).toStrictEqual({
        written: 0,
        failed: 0,
        retries: 0,
        throttles: 0,
        batches: 0,
        ms: 0,
        concurrency: 8,
        firstErrors: [],
      })
      expect(counter.calls - before).toBe(0)
    })

    test('exactly 25 items: one call; 26 items (async iterable): two', async () => {
      const table = await fresh()
      let before = counter.calls
      const progress: WriteStats[] = []
      const s25 = await writeItems(client, table, testItems(25), {
        onProgress: (s) => progress.push(s),
      })
      expect([s25.written, s25.failed, s25.batches, counter.calls - before]).toStrictEqual([
        25, 0, 1, 1,
      ])
      expect(progress.map((p) => p.written)).toStrictEqual([25])
      const items = async function* () {
        for (let i = 100; i < 126; i++) yield testItem(i)
      }
      before = counter.calls
      const s26 = await writeItems(client, table, items(), { concurrency: 2 })
      expect([s26.written, s26.failed, s26.batches, counter.calls - before]).toStrictEqual([
        26, 0, 2, 2,
      ])
      expect(await countItems(client, table)).toBe(51)
      expect(contentHash(await scanAll(client, table))).toBe(
        contentHash([...testItems(25), ...testItems(26, 100)]),
      )
    })

    test('a refused item (key of the wrong type) fails alone, named in firstErrors', async () => {
      const table = await fresh()
      const bad: Record<string, AttributeValue> = { ...testItem(7), sk: { S: 'not-a-number' } }
      const items = [...testItems(7), bad, ...testItems(30, 8)]
      const stats = await writeItems(client, table, items, { keyAttributes: KEY })
      expect([stats.written, stats.failed, stats.batches]).toStrictEqual([37, 1, 2])
      expect(stats.firstErrors).toHaveLength(1)
      expect(stats.firstErrors[0]?.key).toStrictEqual({ pk: bad.pk, sk: bad.sk })
      expect(stats.firstErrors[0]?.error).toMatch(/^ValidationException: /)
      expect(await countItems(client, table)).toBe(37)
    })

    test('a missing table stops the write with AWS_FAILED instead of failing every batch', async () => {
      const err = await writeItems(client, `Missing-${suffix}`, testItems(500)).catch(
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(DdbmError)
      expect((err as DdbmError).code).toBe('AWS_FAILED')
      expect((err as DdbmError).details).toStrictEqual({
        table: `Missing-${suffix}`,
        written: 0,
        failed: 0,
      })
      expect(((err as DdbmError).cause as Error).name).toBe('ResourceNotFoundException')
    })
  })
}
