import { randomUUID } from 'node:crypto'
import { DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb'
import { afterAll, expect, test } from 'vitest'
import { writeItems, type WriteStats } from '../../../../src/engine/write/write-items.js'
import { DdbmError } from '../../../../src/errors.js'
import {
  assertLoopback,
  dropTables,
  engineClient,
  engines,
  describeOn,
} from '../../../helpers/engines.js'
import { injectFaults, randomFaults } from './fault-injection.js'
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
  describeOn(engine, `${engine.name}: writeItems`, () => {
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

    test('a concurrency or maxAttempts below 1 is a USAGE error, before any call', async () => {
      const table = await fresh()
      const before = counter.calls
      for (const opts of [{ concurrency: 0 }, { maxAttempts: 0 }, { concurrency: 1.5 }]) {
        const err = await writeItems(client, table, testItems(5), opts).catch((e: unknown) => e)
        expect(err).toBeInstanceOf(DdbmError)
        expect((err as DdbmError).code).toBe('USAGE')
      }
      expect(counter.calls - before).toBe(0)
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
      expect((err as DdbmError).hint).toMatch(/ddbm migrate up/)
    })
  })
}

/**
 * Items written under faults on DynamoDB Local in memory: 20,000 by default, to stay well under a
 * minute on 2 shared cores (100,000 took 48 s for the main run and 27 s for the control there);
 * `DDBM_WRITE_FAULT_ITEMS=100000` runs the full size, as `.ci/run` does (a test-only knob, read here,
 * never by ddbm).
 * moto is slower and gets 5,000.
 */
const ITEMS_ON_LOCAL = Number(process.env.DDBM_WRITE_FAULT_ITEMS ?? 20_000)
const ITEMS_ON_MOTO = 5_000

/** 20% of attempts partly unprocessed, 5% answered 500 (half after the write was applied), 2% throttled. */
const RATES = { unprocessed: 0.2, '500-before': 0.025, '500-after': 0.025, throttle: 0.02 }
const SEED = 8

for (const engine of engines()) {
  const items = engine.name === 'moto' ? ITEMS_ON_MOTO : ITEMS_ON_LOCAL
  describeOn(engine, `${engine.name}: writeItems under injected faults`, () => {
    const suffix = randomUUID().slice(0, 8)
    const setup = engineClient(engine)
    afterAll(async () => {
      await dropTables(engine.endpoint, suffix)
      setup.destroy()
    })

    /** A fresh table and a client with faults injected (so the SDK's retries run as configured). */
    const faulty = async (name: string, choose = randomFaults(RATES), sdkAttempts?: number) => {
      const table = `${name}-${suffix}`
      await createItemsTable(setup, table)
      const client =
        sdkAttempts === undefined
          ? engineClient(engine)
          : new DynamoDBClient({
              endpoint: assertLoopback(engine.endpoint),
              region: 'us-east-1',
              credentials: { accessKeyId: 'ddbmlocal', secretAccessKey: 'ddbmlocal' },
              maxAttempts: sdkAttempts,
            })
      return { table, client, faults: injectFaults(client, SEED, choose) }
    }

    test(
      `${items} items: every one present with the expected content; every fault accounted for`,
      { timeout: 180_000 },
      async () => {
        const { table, client, faults } = await faulty('Faults')
        try {
          const stats = await writeItems(client, table, testItems(items), { concurrency: 8 })
          expect([stats.written, stats.failed, stats.firstErrors]).toStrictEqual([items, 0, []])
          expect(stats.batches).toBe(Math.ceil(items / 25))
          // DynamoDB Local never throttles nor fails by itself: every throttle seen was injected, and
          // every faulty attempt was followed by exactly one more (by the SDK or by the writer).
          expect(stats.throttles).toBe(faults.throttle)
          const injected =
            faults.throttle + faults['500-before'] + faults['500-after'] + faults.unprocessed
          expect(stats.retries).toBe(injected)
          expect(faults.attempts).toBe(stats.batches + stats.retries)
          for (const fault of ['throttle', '500-before', '500-after', 'unprocessed'] as const) {
            expect(faults[fault], fault).toBeGreaterThan(0)
          }
          expect(await countItems(setup, table)).toBe(items)
          expect(contentHash(await scanAll(setup, table))).toBe(contentHash(testItems(items)))
        } finally {
          client.destroy()
        }
      },
    )

    test(
      'negative control: without resubmitting UnprocessedItems items go missing, and the writer says so',
      { timeout: 180_000 },
      async () => {
        const { table, client, faults } = await faulty('Control')
        try {
          const stats = await writeItems(client, table, testItems(items), {
            concurrency: 8,
            resubmitUnprocessed: false,
          })
          const present = await countItems(setup, table)
          expect(faults.unprocessedItems).toBeGreaterThan(0)
          expect(present).toBeLessThan(items)
          expect(stats.failed).toBeGreaterThan(0)
          expect(stats.written + stats.failed).toBe(items)
          // Items can be present although reported failed (applied before a 500, then reported
          // unprocessed by the resend), never the other way round.
          expect(present).toBeGreaterThanOrEqual(stats.written)
          expect(stats.firstErrors).toHaveLength(10)
          expect(stats.firstErrors[0]?.error).toBe('UnprocessedItems (not resubmitted)')
        } finally {
          client.destroy()
        }
      },
    )

    test('throttling halves the requests in flight, clean batches raise them again', async () => {
      // One throttle: 8 becomes 4, and 4 + 5 + 6 + 7 clean batches (of 80) bring it back to 8.
      const { table, client, faults } = await faulty('Throttle', ({ index }) =>
        index === 0 ? 'throttle' : 'none',
      )
      try {
        const seen: WriteStats[] = []
        const stats = await writeItems(client, table, testItems(2_000), {
          concurrency: 8,
          onProgress: (s) => seen.push(s),
        })
        expect([stats.written, stats.failed, stats.throttles, faults.throttle]).toStrictEqual([
          2_000, 0, 1, 1,
        ])
        expect(Math.min(...seen.map((s) => s.concurrency))).toBe(4)
        expect(stats.concurrency).toBe(8)
        expect(await countItems(setup, table)).toBe(2_000)
      } finally {
        client.destroy()
      }
    })

    test('a batch throttled past maxAttempts counts its items failed, the others are written', async () => {
      // The SDK does not retry here (maxAttempts 1), so the writer sees each throttle: its three
      // attempts of the first batch are throttled, the second batch goes through.
      const { table, client, faults } = await faulty(
        'GiveUp',
        ({ index }) => (index < 3 ? 'throttle' : 'none'),
        1,
      )
      try {
        const stats = await writeItems(client, table, testItems(50), {
          concurrency: 1,
          maxAttempts: 3,
          keyAttributes: ['pk', 'sk'],
          sleep: async () => undefined,
        })
        expect([stats.written, stats.failed, stats.throttles, faults.throttle]).toStrictEqual([
          25, 25, 3, 3,
        ])
        expect(stats.concurrency).toBe(1)
        expect(stats.firstErrors).toHaveLength(10)
        expect(stats.firstErrors[0]).toStrictEqual({
          key: { pk: { S: 'p#000000' }, sk: { N: '0' } },
          error:
            'ProvisionedThroughputExceededException: injected ProvisionedThroughputExceededException',
        })
        expect(await countItems(setup, table)).toBe(25)
      } finally {
        client.destroy()
      }
    })
  })
}
