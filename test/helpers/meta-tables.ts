import { randomUUID } from 'node:crypto'
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { afterAll } from 'vitest'
import { ensureMetaTable } from '../../src/engine/meta/meta-table.js'

/**
 * Meta tables for one describe block on `client`, named `<prefix>_<random>`; every name handed out is
 * deleted after the block. `uniqueMetaTable()` only names one; `metaTable()` also creates it.
 */
export function metaTables(
  client: DynamoDBClient,
  prefix: string,
): { uniqueMetaTable: () => string; metaTable: () => Promise<string> } {
  const tables: string[] = []
  afterAll(async () => {
    for (const t of tables) await client.send(new DeleteTableCommand({ TableName: t }))
  })
  const uniqueMetaTable = () => {
    const name = `${prefix}_${randomUUID().slice(0, 8)}`
    tables.push(name)
    return name
  }
  const metaTable = async () => {
    const name = uniqueMetaTable()
    await ensureMetaTable(client, name)
    return name
  }
  return { uniqueMetaTable, metaTable }
}
