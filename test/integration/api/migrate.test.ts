import {
  CreateTableCommand,
  DescribeTableCommand,
  ListBackupsCommand,
  ListTablesCommand,
  ScanCommand,
  type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { appendFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, onTestFinished, test } from 'vitest'
import { migrateDown, migrateStatus, migrateUp } from '../../../src/api/index.js'
import { memoryMetaStore } from '../../../src/engine/meta/memory-meta-store.js'
import { withSession } from '../../../src/api/session.js'
import { DdbmError } from '../../../src/errors.js'
import type { Event } from '../../../src/events.js'
import { callCounter } from '../../helpers/calls.js'
import { dropTables, engines, installed, type Engine, describeOn } from '../../helpers/engines.js'
import { migrationProject } from '../../helpers/temp-tree.js'

/** A migration project whose tables are dropped when the test ends (see dropTables in helpers/engines.ts). */
async function project(opts: { protected?: boolean } = {}) {
  const p = await migrationProject(opts)
  onTestFinished(() =>
    Promise.all(installed().map((e) => dropTables(e.endpoint, p.suffix))).then(() => undefined),
  )
  return p
}

/** Table descriptions without what differs between two creations (ids, times, sizes, ARNs' table ids). */
function normalize(t: TableDescription): unknown {
  const {
    TableId: _id,
    CreationDateTime: _c,
    TableSizeBytes: _s,
    ItemCount: _n,
    BillingModeSummary,
    ...rest
  } = t
  const gsis = (t.GlobalSecondaryIndexes ?? [])
    .map(({ IndexSizeBytes: _is, ItemCount: _ic, ...g }) => g)
    .sort((a, b) => String(a.IndexName).localeCompare(String(b.IndexName)))
  const { ProvisionedThroughput, ...plain } = rest
  const {
    LastIncreaseDateTime: _li,
    LastDecreaseDateTime: _ld,
    ...throughput
  } = ProvisionedThroughput ?? {}
  return {
    ...plain,
    ProvisionedThroughput: throughput,
    BillingMode: BillingModeSummary?.BillingMode,
    GlobalSecondaryIndexes: gsis.map(({ ProvisionedThroughput: p, ...g }) => {
      const { LastIncreaseDateTime: _a, LastDecreaseDateTime: _b, ...pt } = p ?? {}
      return { ...g, ProvisionedThroughput: pt }
    }),
  }
}

async function describeAll(engine: Engine, cwd: string, names: string[]) {
  return withSession({ cwd, endpoint: engine.endpoint, processEnv: {} }, async (s) => {
    const out: Record<string, unknown> = {}
    for (const name of names) {
      const { Table } = await s.client.send(new DescribeTableCommand({ TableName: name }))
      out[name] = normalize(Table ?? {})
    }
    return out
  })
}

async function tablesWith(engine: Engine, cwd: string, suffix: string): Promise<string[]> {
  return withSession({ cwd, endpoint: engine.endpoint, processEnv: {} }, async (s) => {
    const names: string[] = []
    let start: string | undefined
    do {
      const page = await s.client.send(new ListTablesCommand({ ExclusiveStartTableName: start }))
      names.push(...(page.TableNames ?? []))
      start = page.LastEvaluatedTableName
    } while (start !== undefined)
    return names.filter((n) => n.endsWith(suffix)).sort()
  })
}

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: migrate up / down`, () => {
    const base = { endpoint: engine.endpoint, processEnv: {} }

    test('up, down to 0, up again leaves identical table descriptions', async () => {
      const { cwd, suffix, tableName } = await project()
      const up = await migrateUp({ cwd, ...base })
      expect(up.migrations.map((m) => m.name)).toStrictEqual([
        '0001_tables',
        '0002_indexes',
        '0003_marker',
      ])
      expect(up.status.map((r) => r.state)).toStrictEqual(['applied', 'applied', 'applied'])
      const names = [tableName('Orders'), tableName('Customers')]
      const first = await describeAll(engine, cwd, names)
      expect(first[tableName('Customers')]).toMatchObject({
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      })

      const down = await migrateDown({ cwd, ...base, to: 0 })
      expect(down.migrations.map((m) => m.name)).toStrictEqual([
        '0003_marker',
        '0002_indexes',
        '0001_tables',
      ])
      expect(await tablesWith(engine, cwd, suffix)).toStrictEqual([`ddbm_migrations-${suffix}`])
      expect((await migrateStatus({ cwd, ...base })).rows.map((r) => r.state)).toStrictEqual([
        'pending',
        'pending',
        'pending',
      ])

      await migrateUp({ cwd, ...base })
      expect(await describeAll(engine, cwd, names)).toStrictEqual(first)
    })

    test('on a protected environment, a confirmed deleteTable takes a backup first where supported', async () => {
      const { cwd, suffix, tableName } = await project({ protected: true })
      await migrateUp({ ...base, cwd, to: '0001_tables' })
      const events: Event[] = []
      const down = await migrateDown({
        ...base,
        cwd,
        confirmEnv: 't',
        emit: (e) => events.push(e),
      })
      expect(down.migrations.map((m) => m.name)).toStrictEqual(['0001_tables'])
      expect(await tablesWith(engine, cwd, suffix)).toStrictEqual([`ddbm_migrations-${suffix}`])
      const backups = await withSession(
        { ...base, cwd },
        async (s) =>
          (await s.client.send(new ListBackupsCommand({})).catch(() => ({ BackupSummaries: [] })))
            .BackupSummaries ?? [],
      )
      const ours = backups
        .filter((b) => b.TableName?.endsWith(suffix))
        .map((b) => b.TableName)
        .sort()
      if (engine.supports.backups) {
        expect(ours).toStrictEqual([tableName('Customers'), tableName('Orders')])
        // Tables are deleted concurrently: the backups come in the order they were taken.
        expect(down.backups?.map((b) => [b.migration, b.op, b.table]).sort()).toStrictEqual([
          ['0001_tables', 'deleteTable', tableName('Customers')],
          ['0001_tables', 'deleteTable', tableName('Orders')],
        ])
      } else {
        expect(ours).toStrictEqual([])
        expect(down.backups).toBeUndefined()
        const warnings = events.filter((e) => e.kind === 'log' && e.level === 'warn')
        expect(warnings).toHaveLength(2)
      }
    })

    test('--step and --to apply part of the history; down reverts one by default', async () => {
      const { cwd } = await project()
      const one = await migrateUp({ cwd, ...base, step: 1 })
      expect(one.migrations.map((m) => m.name)).toStrictEqual(['0001_tables'])
      const two = await migrateUp({ cwd, ...base, to: '0002_indexes' })
      expect(two.migrations.map((m) => m.name)).toStrictEqual(['0002_indexes'])
      const again = await migrateUp({ cwd, ...base, to: '0002_indexes' })
      expect(again.migrations).toStrictEqual([])
      const reverted = await migrateDown({ cwd, ...base })
      expect(reverted.migrations.map((m) => m.name)).toStrictEqual(['0002_indexes'])
      expect(reverted.status.map((r) => r.state)).toStrictEqual(['applied', 'pending', 'pending'])
    })
  })
}

describe('dynamodb-local: safety before any change', () => {
  const engine = engines()[0] as Engine
  const base = { endpoint: engine.endpoint, processEnv: {} }

  test('--dry-run prints the exact operations with physical names and sends no mutating call', async () => {
    const { cwd, suffix, tableName } = await project()
    const count = callCounter()
    const result = await migrateUp({ cwd, ...base, dryRun: true, instrument: count.instrument })
    expect(count.mutating()).toStrictEqual([])
    expect(result.dryRun).toBe(true)
    expect(result.migrations.flatMap((m) => m.steps.map((s) => s.table))).toStrictEqual([
      tableName('Orders'),
      tableName('Customers'),
      tableName('Orders'),
      tableName('Orders'),
      tableName('Customers'),
      '',
    ])
    expect(result.migrations[1]?.steps.map((s) => s.text.replaceAll(suffix, 'SUFFIX')))
      .toMatchInlineSnapshot(`
      [
        "create GSI byStatus on Orders-SUFFIX (status HASH, SK RANGE; KEYS_ONLY)",
        "create GSI byDate on Orders-SUFFIX (createdAt HASH; INCLUDE total)",
        "set billing of Customers-SUFFIX to PROVISIONED (table 5/5 RCU/WCU)",
      ]
    `)
    expect(await tablesWith(engine, cwd, suffix)).toStrictEqual([])
  })

  test('an edited applied migration is refused before any mutating call, naming file, when and who', async () => {
    const { cwd } = await project()
    await migrateUp({ cwd, ...base, step: 1 })
    await appendFile(join(cwd, 'migrations', '0001_tables.json'), '\n')
    const count = callCounter()
    const err = await migrateUp({ cwd, ...base, instrument: count.instrument }).catch(
      (e: unknown) => e,
    )
    expect(err).toMatchObject({ code: 'MIGRATION_CHANGED', exitCode: 1 })
    expect((err as Error).message).toMatch(
      /^migrations\/0001_tables\.json was applied \S+ by .+ with checksum [0-9a-f]{12}…; the file now hashes to [0-9a-f]{12}…$/,
    )
    expect(count.mutating()).toStrictEqual([])
  })

  test('an applied migration whose file is gone is refused before any mutating call', async () => {
    const { cwd } = await project()
    await migrateUp({ cwd, ...base })
    await rm(join(cwd, 'migrations', '0003_marker.ts'))
    const count = callCounter()
    await expect(migrateDown({ cwd, ...base, instrument: count.instrument })).rejects.toMatchObject(
      {
        code: 'MIGRATION_MISSING',
      },
    )
    expect(count.mutating()).toStrictEqual([])
  })

  test('a new migration that sorts before the last applied one is refused before any mutating call', async () => {
    const { cwd } = await project()
    await migrateUp({ cwd, ...base })
    await writeFile(
      join(cwd, 'migrations', '0002_hotfix.json'),
      '{ "version": 1, "up": [], "down": [] }\n',
    )
    const count = callCounter()
    const err = await migrateUp({ cwd, ...base, instrument: count.instrument }).catch(
      (e: unknown) => e,
    )
    expect(err).toMatchObject({ code: 'MIGRATION_ORDER' })
    expect((err as Error).message).toBe(
      'migrations/0002_hotfix.json is new, but sorts before 0003_marker, which is already applied',
    )
    expect(count.mutating()).toStrictEqual([])
  })

  test('deleting tables on a protected environment needs its name: --yes is not enough', async () => {
    const { cwd, suffix } = await project({ protected: true })
    await migrateUp({ cwd, ...base, to: '0001_tables' })
    for (const confirmation of [{}, { yes: true }, { confirmEnv: 'prod' }]) {
      await expect(migrateDown({ cwd, ...base, ...confirmation })).rejects.toMatchObject({
        code: 'PROTECTED_ENV',
        exitCode: 2,
      })
    }
    expect(await tablesWith(engine, cwd, suffix)).toHaveLength(3)
    await migrateDown({ cwd, ...base, confirmEnv: 't' })
    expect(await tablesWith(engine, cwd, suffix)).toStrictEqual([`ddbm_migrations-${suffix}`])
  })

  test('the .ts data migration gets the context: its marker item is written once', async () => {
    const { cwd, tableName } = await project()
    await migrateUp({ cwd, ...base })
    const markers = await withSession(
      { cwd, ...base },
      async (s) =>
        (await s.client.send(new ScanCommand({ TableName: tableName('Customers') }))).Items ?? [],
    )
    expect(markers).toHaveLength(1)
  })

  test('a failed .json migration: the error names it, keeps the step results and the cause; recorded failed', async () => {
    const { cwd, tableName } = await project()
    // Orders already exists with other keys: 0001's first step refuses it as drift.
    await withSession({ cwd, ...base }, (s) =>
      s.client.send(
        new CreateTableCommand({
          TableName: tableName('Orders'),
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      ),
    )
    const err = (await migrateUp({ cwd, ...base }).catch((e: unknown) => e)) as DdbmError
    expect(err).toBeInstanceOf(DdbmError)
    expect(err.code).toBe('MIGRATION_FAILED')
    expect(err.message).toMatch(
      new RegExp(
        `^Migration 0001_tables failed: step 1/2 \\(create table ${tableName('Orders')} .*\\) failed: .*drift`,
      ),
    )
    expect(err.details?.name).toBe('0001_tables')
    const results = err.details?.results as { op: string; status: string }[]
    // Customers is another table: its step started with Orders' and was under way, so it finished.
    expect(results.map((r) => `${r.op} ${r.status}`)).toStrictEqual([
      'createTable failed',
      'createTable done',
    ])
    expect(err.cause).toBeInstanceOf(DdbmError)
    expect((err.cause as DdbmError).message).toMatch(/^step 1\/2 /)
    const status = await migrateStatus({ cwd, ...base })
    expect(status.rows.map((r) => `${r.name} ${r.state}`)).toStrictEqual([
      '0001_tables failed',
      '0002_indexes pending',
      '0003_marker pending',
    ])
    expect(status.rows[0]?.error).toBe((err.cause as DdbmError).message)
  })

  test('an injected meta store holds the records and the lock: no meta table is created', async () => {
    const { cwd, suffix, tableName } = await project()
    const metaStore = memoryMetaStore({ table: 'in-memory' })
    const up = await migrateUp({ cwd, ...base, metaStore })
    expect([up.metaTable, up.status.map((r) => r.state)]).toStrictEqual([
      'in-memory',
      ['applied', 'applied', 'applied'],
    ])
    expect((await metaStore.readRecords()).map((r) => `${r.name} ${r.status}`)).toStrictEqual([
      '0001_tables applied',
      '0002_indexes applied',
      '0003_marker applied',
    ])
    expect(await tablesWith(engine, cwd, suffix)).toStrictEqual([
      tableName('Customers'),
      tableName('Orders'),
    ])
    const status = await migrateStatus({ cwd, ...base, metaStore })
    expect(status.rows.map((r) => r.state)).toStrictEqual(['applied', 'applied', 'applied'])
    expect((await migrateStatus({ cwd, ...base })).rows.map((r) => r.state)).toStrictEqual([
      'pending',
      'pending',
      'pending',
    ])
  })
})
