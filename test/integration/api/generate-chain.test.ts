import { readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { generateMigration, migrateDown, migrateUp } from '../../../src/api/index.js'
import type { TableSchema } from '../../../src/schema/table-schema.js'
import { pkSkTable } from '../../fixtures/tables.js'
import { engines, describeOn } from '../../helpers/engines.js'
import { suffixedProject, tmpProject } from '../../helpers/temp-tree.js'

const orders = (edit: (t: TableSchema) => void = () => {}): TableSchema => {
  const t = pkSkTable('Orders')
  edit(t)
  return t
}
const customers = (edit: (t: TableSchema) => void = () => {}): TableSchema => {
  const t: TableSchema = {
    TableName: 'Customers',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }
  edit(t)
  return t
}
const withGsis =
  (byDate: 'KEYS_ONLY' | 'INCLUDE', byStatus = true) =>
  (t: TableSchema) => {
    t.AttributeDefinitions.push(
      ...(byStatus ? [{ AttributeName: 'status', AttributeType: 'S' as const }] : []),
      { AttributeName: 'createdAt', AttributeType: 'S' },
    )
    t.GlobalSecondaryIndexes = [
      ...(byStatus
        ? [
            {
              IndexName: 'byStatus',
              KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' as const }],
              Projection: { ProjectionType: 'ALL' as const },
            },
          ]
        : []),
      {
        IndexName: 'byDate',
        KeySchema: [{ AttributeName: 'createdAt', KeyType: 'HASH' }],
        Projection:
          byDate === 'INCLUDE'
            ? { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] }
            : { ProjectionType: 'KEYS_ONLY' },
      },
    ]
  }
const ttl = (t: TableSchema) => {
  t.TimeToLiveSpecification = { AttributeName: 'expiresAt', Enabled: true }
}
const provisioned = (t: TableSchema) => {
  t.BillingMode = 'PROVISIONED'
  t.ProvisionedThroughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
}

/** Each edit of schemas/ and the operations `generate` must plan for it. */
const CHAIN: { name: string; schemas: TableSchema[]; ops: string[] }[] = [
  {
    name: 'add tables',
    schemas: [orders(), customers()],
    ops: ['createTable Customers', 'createTable Orders'],
  },
  {
    name: 'two indexes',
    schemas: [orders(withGsis('KEYS_ONLY')), customers()],
    ops: ['createGsi Orders', 'createGsi Orders'],
  },
  {
    name: 'projection',
    schemas: [orders(withGsis('INCLUDE')), customers()],
    ops: ['deleteGsi Orders', 'createGsi Orders'],
  },
  {
    name: 'ttl',
    schemas: [orders((t) => (withGsis('INCLUDE')(t), ttl(t))), customers()],
    ops: ['updateTtl Orders'],
  },
  {
    name: 'billing',
    schemas: [orders((t) => (withGsis('INCLUDE')(t), ttl(t))), customers(provisioned)],
    ops: ['updateBilling Customers'],
  },
  {
    name: 'drop status index',
    schemas: [orders((t) => (withGsis('INCLUDE', false)(t), ttl(t))), customers(provisioned)],
    ops: ['deleteGsi Orders'],
  },
  {
    name: 'drop customers',
    schemas: [orders((t) => (withGsis('INCLUDE', false)(t), ttl(t)))],
    ops: ['deleteTable Customers'],
  },
]

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: schemas/ edits → generate → up → verify`, () => {
    test('a chain of 7 edits ends each time with zero drift; down to 0 leaves no table', async () => {
      const { cwd, suffix } = await suffixedProject(engine)
      const base = { cwd, endpoint: engine.endpoint, processEnv: {} }
      for (const [i, step] of CHAIN.entries()) {
        await rm(join(cwd, 'schemas'), { recursive: true, force: true })
        await mkdir(join(cwd, 'schemas'))
        for (const s of step.schemas)
          await writeFile(join(cwd, 'schemas', `${s.TableName}.json`), JSON.stringify(s))
        const generated = await generateMigration({ cwd, name: step.name })
        expect(
          generated.up.map((op) => `${op.op} ${op.table}`),
          step.name,
        ).toStrictEqual(step.ops)
        expect(generated.file).toBe(
          `migrations/${String(i + 1).padStart(4, '0')}_${step.name.replaceAll(' ', '_')}.json`,
        )

        const up = await migrateUp(base)
        expect(up.migrations.map((m) => m.name)).toHaveLength(1)
        expect(up.verify?.summary.drift, step.name).toBe(0)
        expect(up.verify?.summary.pending, step.name).toBe(0)

        const again = await generateMigration({ cwd, name: 'nothing' })
        expect(again.file).toBeUndefined()
      }
      const projection = JSON.parse(
        await readFile(join(cwd, 'migrations/0003_projection.json'), 'utf8'),
      )
      expect(projection.notes).toStrictEqual([
        expect.stringMatching(/^Orders: index byDate is rebuilt/),
      ])
      await migrateDown({ ...base, to: 0 })
      const { ListTablesCommand } = await import('@aws-sdk/client-dynamodb')
      const { withSession } = await import('../../../src/api/index.js')
      const left = await withSession(base, async (s) =>
        ((await s.client.send(new ListTablesCommand({}))).TableNames ?? []).filter((n) =>
          n.endsWith(suffix),
        ),
      )
      expect(left).toStrictEqual([`ddbm_migrations-${suffix}`])
    }, 120_000)
  })
}

describe('generate is deterministic', () => {
  test('the same inputs give identical bytes', async () => {
    const cwd = await tmpProject({
      'schemas/Orders.json': orders((t) => (withGsis('INCLUDE')(t), ttl(t))),
      'schemas/Customers.json': customers(provisioned),
    })
    const first = await generateMigration({ cwd, name: 'init' })
    const bytes = await readFile(join(cwd, first.file ?? ''), 'utf8')
    await rm(join(cwd, first.file ?? ''))
    const second = await generateMigration({ cwd, name: 'init' })
    expect(await readFile(join(cwd, second.file ?? ''), 'utf8')).toBe(bytes)
  })
})
