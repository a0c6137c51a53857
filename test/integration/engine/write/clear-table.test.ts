import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { clearTable } from '../../../../src/engine/write/clear-table.js'
import { writeItems } from '../../../../src/engine/write/write-items.js'
import { dropTables, engineClient, engines, describeOn } from '../../../helpers/engines.js'
import { countItems, createItemsTable, KEY, testItems } from './tables.js'

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: clearTable`, () => {
    const suffix = randomUUID().slice(0, 8)
    const table = `Clear-${suffix}`
    const client = engineClient(engine)

    beforeAll(() => createItemsTable(client, table))
    afterAll(async () => {
      await dropTables(engine.endpoint, suffix)
      client.destroy()
    })

    test('deletes every item of a table of 3,000 (parallel scan), keeps the table', async () => {
      const written = await writeItems(client, table, testItems(3_000))
      expect([written.written, written.failed]).toStrictEqual([3_000, 0])
      expect(await countItems(client, table)).toBe(3_000)
      const progress: number[] = []
      const result = await clearTable(client, table, KEY, {
        segments: 3,
        onProgress: (deleted) => progress.push(deleted),
      })
      expect(result).toStrictEqual({ deleted: 3_000, failed: 0 })
      expect(await countItems(client, table)).toBe(0)
      expect(progress.length).toBe(120)
      expect(Math.max(...progress)).toBe(3_000)
      // The table is still there: clearing it again finds nothing.
      expect(await clearTable(client, table, KEY)).toStrictEqual({ deleted: 0, failed: 0 })
    })
  })
}
