import { ListTablesCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, test } from 'vitest'
import { migrateStatus, reset, status, tableNames } from '../../../src/api/index.js'
import { engineClient, engines } from '../../helpers/engines.js'
import { suffixedProject } from '../../helpers/temp-tree.js'
import { TEST_SUITE_FILES } from '../../fixtures/test-suite-project.js'

const engine = engines()[0]!

/** The `id`s of every item of `table`, sorted. */
async function ids(table: string): Promise<string[]> {
  const client = engineClient(engine)
  try {
    const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true }))
    return (page.Items ?? []).map((i) => i.id?.S ?? '?').sort()
  } finally {
    client.destroy()
  }
}

async function put(table: string, id: string): Promise<void> {
  const client = engineClient(engine)
  try {
    await client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id } } }))
  } finally {
    client.destroy()
  }
}

async function tablesEndingWith(suffix: string): Promise<string[]> {
  const client = engineClient(engine)
  try {
    const page = await client.send(new ListTablesCommand({}))
    return (page.TableNames ?? []).filter((n) => n.endsWith(suffix)).sort()
  } finally {
    client.destroy()
  }
}

describe(`${engine.name}: tablePrefix gives sessions on one engine tables of their own`, () => {
  test('reset with one prefix deletes and reseeds its tables only; the other prefix keeps its items and history', async () => {
    const { cwd, suffix } = await suffixedProject(engine, TEST_SUITE_FILES)
    const base = { cwd, endpoint: engine.endpoint, processEnv: {} }
    const first = await Promise.all([
      reset({ ...base, tablePrefix: 'a_' }),
      reset({ ...base, tablePrefix: 'b_' }),
    ])
    expect(
      first.map((r) => [
        r.deleted,
        r.migrate.migrations.map((m) => m.name),
        r.seed.tables[0]?.written,
      ]),
    ).toStrictEqual([
      [[], ['0001_customers'], 3],
      [[], ['0001_customers'], 3],
    ])
    await put(`a_Customers-${suffix}`, 'extra-a')
    await put(`b_Customers-${suffix}`, 'extra-b')

    const again = await reset({ ...base, tablePrefix: 'a_' })

    expect(again.deleted).toStrictEqual([`a_Customers-${suffix}`, `a_ddbm_migrations-${suffix}`])
    expect(await ids(`a_Customers-${suffix}`)).toStrictEqual(['c1', 'c2', 'c3'])
    expect(await ids(`b_Customers-${suffix}`)).toStrictEqual(['c1', 'c2', 'c3', 'extra-b'])
    expect(await tablesEndingWith(suffix)).toStrictEqual([
      `a_Customers-${suffix}`,
      `a_ddbm_migrations-${suffix}`,
      `b_Customers-${suffix}`,
      `b_ddbm_migrations-${suffix}`,
    ])
    const b = await migrateStatus({ ...base, tablePrefix: 'b_' })
    expect([b.metaTable, b.rows.map((r) => [r.name, r.state])]).toStrictEqual([
      `b_ddbm_migrations-${suffix}`,
      [['0001_customers', 'applied']],
    ])
    // Without a prefix, the environment's own tables were never created.
    const plain = await status(base)
    expect([plain.metaTable, plain.rows.map((r) => [r.name, r.state])]).toStrictEqual([
      `ddbm_migrations-${suffix}`,
      [['0001_customers', 'pending']],
    ])
  })

  test('tableNames gives the prefixed physical names offline', async () => {
    const { cwd, suffix } = await suffixedProject(engine, TEST_SUITE_FILES)
    expect(await tableNames({ cwd, tablePrefix: 'w2_', processEnv: {} })).toStrictEqual({
      env: 't',
      root: cwd,
      configFile: `${cwd}/ddbm.config.json`,
      tables: { Customers: `w2_Customers-${suffix}` },
      metaTable: `w2_ddbm_migrations-${suffix}`,
    })
  })
})
