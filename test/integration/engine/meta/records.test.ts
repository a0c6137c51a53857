import { DescribeTableCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { expect, test } from 'vitest'
import { ensureMetaTable, metaTableExists } from '../../../../src/engine/meta/meta-table.js'
import {
  deleteRecord,
  putRecord,
  readRecords,
  type MigrationRecord,
} from '../../../../src/engine/meta/records.js'
import { DdbmError } from '../../../../src/errors.js'
import { engineClient, engines, describeOn } from '../../../helpers/engines.js'
import { metaTables } from '../../../helpers/meta-tables.js'

function record(name: string, extra: Partial<MigrationRecord> = {}): MigrationRecord {
  return {
    name,
    checksum: `sum-${name}`,
    status: 'applied',
    startedAt: '2026-03-02T10:00:00.000Z',
    appliedBy: 'ci@build-417 pid 9',
    ddbmVersion: '0.1.0',
    runId: 'run-1',
    ...extra,
  }
}

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: meta table and migration records`, () => {
    const client = engineClient(engine)
    const { metaTable, uniqueMetaTable } = metaTables(client, 'meta_test')

    test('ensureMetaTable is race-safe: 5 parallel calls, one table, then idempotent', async () => {
      const name = uniqueMetaTable()
      expect(await metaTableExists(client, name)).toBe(false)
      const results = await Promise.all([1, 2, 3, 4, 5].map(() => ensureMetaTable(client, name)))
      expect(results.filter((r) => r.created).length).toBeLessThanOrEqual(1)
      expect(await ensureMetaTable(client, name)).toStrictEqual({ created: false })
      expect(await metaTableExists(client, name)).toBe(true)
      const listed = await client.send(new ListTablesCommand({}))
      expect(listed.TableNames?.filter((t) => t === name)).toStrictEqual([name])
      const { Table } = await client.send(new DescribeTableCommand({ TableName: name }))
      expect(Table?.TableStatus).toBe('ACTIVE')
      expect(Table?.KeySchema).toStrictEqual([{ AttributeName: 'pk', KeyType: 'HASH' }])
      expect(Table?.AttributeDefinitions).toStrictEqual([
        { AttributeName: 'pk', AttributeType: 'S' },
      ])
    })

    test('without a lease (a caller holding no lock on purpose) writes are plain', async () => {
      const table = await metaTable()
      await putRecord(client, table, record('0001_a'), undefined)
      expect(await readRecords(client, table)).toStrictEqual([record('0001_a')])
      await deleteRecord(client, table, '0001_a', undefined)
      expect(await readRecords(client, table)).toStrictEqual([])
    })

    test('readRecords follows pagination (30 records, pages of 7)', async () => {
      const table = await metaTable()
      const names = Array.from({ length: 30 }, (_, i) => `${String(i + 1).padStart(4, '0')}_m`)
      // Written in reverse so that the sort, not the write order, decides.
      for (const n of [...names].reverse()) await putRecord(client, table, record(n), undefined)
      const paged = await readRecords(client, table, { pageSize: 7 })
      expect(paged.map((r) => r.name)).toStrictEqual(names)
      expect(await readRecords(client, table)).toStrictEqual(paged)
    })

    test('a malformed record fails loudly, naming its key', async () => {
      const table = await metaTable()
      await client.send(
        new PutItemCommand({
          TableName: table,
          Item: { pk: { S: 'migration#0001_x' }, name: { S: '0001_x' } },
        }),
      )
      const err = (await readRecords(client, table).catch((e: unknown) => e)) as DdbmError
      expect(err).toBeInstanceOf(DdbmError)
      expect(err.code).toBe('INTERNAL')
      expect(err.message).toBe(
        `Meta table ${table}: record migration#0001_x has no string "status"`,
      )
    })
  })
}
