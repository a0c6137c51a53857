import { createRequire } from 'node:module'
import { readFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import {
  DescribeTableCommand,
  PutItemCommand,
  ScanCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { expect, onTestFinished, test } from 'vitest'
import { migrateStatus, migrateUp } from '../../../../src/api/index.js'
import { renderMigrate } from '../../../../src/cli/render-migrations.js'
import { DdbmError } from '../../../../src/errors.js'
import type { Event } from '../../../../src/events.js'
import { describeOn, engineClient, engines } from '../../../helpers/engines.js'
import { suffixedProject } from '../../../helpers/temp-tree.js'

const ROOT = join(import.meta.dirname, '../../../..')
const example = (file: string) => readFile(join(ROOT, 'migrations', file), 'utf8')
/** The SDK as a migration in a temporary project imports it (it has no node_modules of its own). */
const SDK = pathToFileURL(createRequire(import.meta.url).resolve('@aws-sdk/client-dynamodb')).href

/** Six candidates: three PENDING to flag, one PENDING already flagged, two others. */
const CANDIDATES = [
  { PK: 'C#1', SK: 'PROFILE', status: 'PENDING' },
  { PK: 'C#2', SK: 'PROFILE', status: 'PENDING', name: 'Ann' },
  { PK: 'C#3', SK: 'PROFILE', status: 'PENDING' },
  { PK: 'C#4', SK: 'PROFILE', status: 'PENDING', activeFlag: 'Y' },
  { PK: 'C#5', SK: 'PROFILE', status: 'HIRED' },
  { PK: 'C#6', SK: 'PROFILE', status: 'REJECTED' },
]

async function scanAll(client: DynamoDBClient, table: string) {
  const out = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true }))
  return (out.Items ?? []).map((i) => unmarshall(i)).sort((a, b) => (a.PK < b.PK ? -1 : 1))
}

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: migrate up --dry-run of a backfill`, () => {
    const base = { endpoint: engine.endpoint, processEnv: {}, verify: false }

    test('samples the example backfill, shows before / after and the estimate, and changes nothing', async () => {
      const { cwd, suffix } = await suffixedProject(engine, {
        'migrations/0001_create_tables.json': await example('0001_create_tables.json'),
        'migrations/0002_backfill_active_flag.ts': await example('0003_backfill_active_flag.ts'),
      })
      const table = `Candidates-${suffix}`
      // Everything pending: the table a pending migration creates does not exist yet.
      const fresh = await migrateUp({ cwd, ...base, dryRun: true })
      expect(fresh.dryRunBackfills).toStrictEqual([
        {
          migration: '0002_backfill_active_flag',
          name: 'backfill',
          table,
          segments: 4,
          missing: true,
          sample: { scanned: 0, matched: 0, writes: 0, skips: 0 },
          examples: [],
        },
      ])

      await migrateUp({ cwd, ...base, to: '0001_create_tables' })
      const client = engineClient(engine)
      onTestFinished(() => client.destroy())
      for (const item of CANDIDATES)
        await client.send(new PutItemCommand({ TableName: table, Item: marshall(item) }))
      const before = await scanAll(client, table)

      const events: Event[] = []
      const dry = await migrateUp({ cwd, ...base, dryRun: true, emit: (e) => events.push(e) })
      const [found] = dry.dryRunBackfills ?? []
      const { Table } = await client.send(new DescribeTableCommand({ TableName: table }))
      const bytes = Table?.TableSizeBytes ?? 0
      expect(found?.examples.map((e) => e.key.PK).sort()).toStrictEqual(['C#1', 'C#2', 'C#3'])
      const pending = CANDIDATES.filter((c) => c.status === 'PENDING' && !('activeFlag' in c))
      const examples = [...pending]
        .sort((a, b) => {
          const order = found?.examples.map((e) => e.key.PK) ?? []
          return order.indexOf(a.PK) - order.indexOf(b.PK)
        })
        .map((c) => ({
          action: 'update',
          key: { PK: c.PK, SK: c.SK },
          before: c,
          after: { ...c, activeFlag: 'Y' },
          condition: '#s = :pending',
        }))
      expect(dry.dryRunBackfills).toStrictEqual([
        {
          migration: '0002_backfill_active_flag',
          name: 'backfill',
          table,
          segments: 4,
          missing: false,
          sample: { scanned: 6, matched: 4, writes: 3, skips: 1 },
          examples,
          estimate: {
            items: Table?.ItemCount ?? null,
            tableBytes: Table?.TableSizeBytes ?? null,
            readUnits: Math.ceil(bytes / 4096) / 2,
            writes: Math.round(((Table?.ItemCount ?? 0) * 3) / 6),
            writeUnits: Math.round(((Table?.ItemCount ?? 0) * 3) / 6),
            rate: { readPerSec: null, writePerSec: null },
            seconds: null,
          },
        },
      ])
      const text = renderMigrate(dry)
      expect(text).toContain(
        `  backfill backfill of ${table}, 4 segments: sampled 4 item(s) (6 scanned): 3 would be written, 1 skipped\n` +
          `    update {"PK":"${examples[0]?.key.PK}","SK":"PROFILE"} if #s = :pending\n`,
      )
      expect(text).toMatch(/\n {2}estimate: [\d,]+ items \([\d.]+ [KM]?B\), .*; rate unlimited$/)
      // The migration's own log ran on the zero counts a dry run resolves with.
      expect(events).toContainEqual({
        kind: 'log',
        level: 'info',
        message: 'activeFlag set on 0 pending candidate(s)',
      })
      expect(await scanAll(client, table)).toStrictEqual(before)
      expect((await migrateStatus({ cwd, ...base })).rows.map((r) => r.state)).toStrictEqual([
        'applied',
        'pending',
      ])
    })

    test('a migration reading a table a pending migration creates is reported not previewed; a table nothing creates fails', async () => {
      const reads = `export async function up(ctx: any): Promise<void> {
  const found = await ctx.get('Candidates', { PK: 'C#1', SK: 'PROFILE' })
  if (found === undefined) await ctx.put('Candidates', { PK: 'C#1', SK: 'PROFILE', status: 'NEW' })
}
export async function down(): Promise<void> {}
`
      const created = JSON.parse(await example('0001_create_tables.json')) as {
        up: { op: string; table: string }[]
      }
      const { cwd, suffix } = await suffixedProject(engine, {
        'migrations/0001_create_tables.json': await example('0001_create_tables.json'),
        'migrations/0002_reads.ts': reads,
      })
      const events: Event[] = []
      const dry = await migrateUp({ cwd, ...base, dryRun: true, emit: (e) => events.push(e) })
      const tables = created.up.map((op) => `${op.table}-${suffix}`)
      const reason = `its up() read a table that does not exist yet; the pending migrations before it create ${tables.join(', ')}`
      expect([dry.migrations.map((m) => m.name), dry.notPreviewed]).toStrictEqual([
        ['0001_create_tables', '0002_reads'],
        [{ migration: '0002_reads', reason, createdBefore: tables }],
      ])
      expect(events).toContainEqual({
        kind: 'log',
        level: 'warn',
        message: `0002_reads (dry run): not previewed: ${reason}`,
      })
      expect(renderMigrate(dry)).toContain(
        `0002_reads\n  run migrations/0002_reads.ts up(ctx)\n  not previewed: ${reason}`,
      )
      const client = engineClient(engine)
      onTestFinished(() => client.destroy())
      const described = await client
        .send(new DescribeTableCommand({ TableName: `Candidates-${suffix}` }))
        .then(
          () => 'exists',
          (e: Error) => e.name,
        )
      expect(described).toBe('ResourceNotFoundException')

      // Nothing pending creates a table: the same read is a real failure.
      const alone = await suffixedProject(engine, { 'migrations/0001_reads.ts': reads })
      const err = await migrateUp({ cwd: alone.cwd, ...base, dryRun: true }).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(DdbmError)
      expect([(err as DdbmError).code, (err as DdbmError).details]).toStrictEqual([
        'MIGRATION_FAILED',
        { name: '0001_reads', direction: 'up' },
      ])
    })

    test('a migration that sends a write through ctx.client is refused; ctx.put only says what it would do', async () => {
      const { cwd, suffix } = await suffixedProject(engine, {
        'migrations/0001_create_tables.json': await example('0001_create_tables.json'),
        'migrations/0002_writes.ts': `import { PutItemCommand } from '${SDK}'
export async function up(ctx: any): Promise<void> {
  await ctx.put('Candidates', { PK: 'C#helper', SK: 'PROFILE' })
  await ctx.client.send(new PutItemCommand({
    TableName: ctx.tableName('Candidates'),
    Item: ctx.marshall({ PK: 'C#sdk', SK: 'PROFILE' }),
  }))
}
export async function down(): Promise<void> {}
`,
      })
      const table = `Candidates-${suffix}`
      await migrateUp({ cwd, ...base, to: '0001_create_tables' })
      const client = engineClient(engine)
      onTestFinished(() => client.destroy())
      await client.send(new PutItemCommand({ TableName: table, Item: marshall(CANDIDATES[0]) }))
      const before = await scanAll(client, table)

      const events: Event[] = []
      const err = await migrateUp({ cwd, ...base, dryRun: true, emit: (e) => events.push(e) }).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(DdbmError)
      const e = err as DdbmError
      expect([e.code, e.message, e.details]).toStrictEqual([
        'MIGRATION_FAILED',
        'Dry run: 0002_writes sent PutItemCommand through ctx.client; a dry run only reads, so it was refused (nothing was changed)',
        { name: '0002_writes', direction: 'up', command: 'PutItemCommand', dryRun: true },
      ])
      expect(events.filter((x) => x.kind === 'log')).toStrictEqual([
        {
          kind: 'log',
          level: 'info',
          message: `0002_writes (dry run): would put {"PK":"C#helper","SK":"PROFILE"} into ${table}`,
        },
      ])
      expect(await scanAll(client, table)).toStrictEqual(before)
    })
  })
}
