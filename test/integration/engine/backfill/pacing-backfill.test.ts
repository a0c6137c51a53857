import { randomUUID } from 'node:crypto'
import { expect, onTestFinished, test } from 'vitest'
import { migrateUp } from '../../../../src/api/migrate.js'
import {
  backfilled,
  backfillProject,
  fillItems,
  scanItems,
} from '../../../helpers/backfill-project.js'
import {
  describeOn,
  dropTables,
  engineClient,
  engines,
  type Engine,
} from '../../../helpers/engines.js'
import { tempTree } from '../../../helpers/temp-tree.js'
import { startThrottleProxy } from '../../../helpers/throttle-proxy.js'

const ITEMS = 600
const LIMIT = 50

const engine = engines()[0] as Engine

describeOn(
  engine,
  `${engine.name}: a backfill through a proxy that throttles above ${LIMIT} writes/s`,
  () => {
    test('asked for 200 writes/s, it converges near the limit with few throttles and loses nothing', async () => {
      const suffix = randomUUID().slice(0, 8)
      onTestFinished(() => dropTables(engine.endpoint, suffix))
      const cwd = await tempTree(
        'ddbm-bf-pacing-',
        backfillProject(suffix, {
          segments: 4,
          concurrency: 4,
          pageSize: 50,
          rate: '{ writePerSec: 200 }',
          delayMs: 0,
        }),
      )
      const client = engineClient(engine)
      onTestFinished(() => client.destroy())
      const created = await migrateUp({
        cwd,
        endpoint: engine.endpoint,
        to: '0001_items',
        verify: false,
      })
      expect(created.status.map((r) => r.state)).toStrictEqual(['applied', 'pending'])
      await fillItems(client, `Items-${suffix}`, ITEMS)

      const proxy = await startThrottleProxy({ target: engine.endpoint, writesPerSec: LIMIT })
      onTestFinished(() => proxy.close())
      const started = performance.now()
      const up = await migrateUp({ cwd, endpoint: proxy.endpoint, verify: false })
      const seconds = (performance.now() - started) / 1000
      const [result] = up.backfills ?? []
      const writes = proxy.stats().writes

      // Nothing lost, nothing written twice.
      const items = await scanItems(client, `Items-${suffix}`)
      expect(items.map(({ touched: _t, ...item }) => item)).toStrictEqual(backfilled(ITEMS))
      expect(items.filter((i) => i.touched !== 1)).toStrictEqual([])
      expect([result?.counts.written, result?.rate.writePerSec]).toStrictEqual([ITEMS, 200])

      // The AIMD pacer saw throttles and cut its rate: throttled requests stay a small share of the
      // writes, and the write requests that went through (items, checkpoints and leases: the proxy
      // limits them all) come near the limit, not the 200 asked for.
      const rate = writes.forwarded / seconds
      const report = { rate, throttles: result?.throttles, writes }
      expect(result?.throttles ?? 0, JSON.stringify(report)).toBeGreaterThan(0)
      expect(
        writes.throttled / (writes.forwarded + writes.throttled),
        JSON.stringify(report),
      ).toBeLessThan(0.3)
      expect(rate, JSON.stringify(report)).toBeGreaterThan(LIMIT * 0.5)
      expect(rate, JSON.stringify(report)).toBeLessThan(LIMIT * 1.2)
    }, 120_000)
  },
)
