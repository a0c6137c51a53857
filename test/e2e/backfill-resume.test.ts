import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import {
  DeleteItemCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import { expect, onTestFinished, test } from 'vitest'
import { migrateUp } from '../../src/api/index.js'
import { readRecords } from '../../src/engine/meta/records.js'
import { CLI, ddbm } from '../helpers/cli.js'
import { putGenerated } from '../helpers/put-items.js'
import { describeOn, engineClient, engines, type Engine } from '../helpers/engines.js'
import { suffixedProject } from '../helpers/temp-tree.js'

/**
 * Resume of a backfill after SIGKILL (issue 11): a `.ts` migration backfills a table in parallel segments;
 * `ddbm migrate up` (the built CLI) is killed three times at random points after it checkpointed some
 * pages, then run to the end. The transform writes `SET v2 = f(item) ADD touched 1`, so the table itself
 * records how often each item was written: `v2` converges, `touched` counts the work done twice.
 */

/**
 * Items of the table. The size, 50,000 items (page 250), takes minutes on a shared 2-core machine,
 * where DynamoDB Local writes 150-1,500 single items per second:
 * `DDBM_BACKFILL_RESUME_ITEMS=50000 npx vitest run test/e2e/backfill-resume.test.ts` runs it. The page
 * size keeps the bound (3 kills x 8 segments x page) at 12 % of the table, below the 15-25 % each killed
 * run checkpoints, so the negative control can tell. DynamoDB Local only: on moto the same test takes
 * 80 s for 1,000 items.
 */
const ITEMS = Number(process.env.DDBM_BACKFILL_RESUME_ITEMS ?? 5_000)
type Size = { items: number; pageSize: number }
const sized = (items: number): Size => ({ items, pageSize: Math.max(5, Math.round(items / 200)) })
const size = sized(ITEMS)
/** The negative control only has to show that the test can fail: 5,000 items at most. */
const controlSize = sized(Math.min(ITEMS, 5_000))
/** Per test: at the 5,000 items by default 50-130 s were measured on a busy machine. */
const TIMEOUT_MS = Math.max(180_000, ITEMS * 12)
const SEGMENTS = 8
const KILLS = 3
/**
 * Lock lease of the project: a killed run's lock is taken over after this long. Not shorter: on a busy
 * machine a backfill saturating DynamoDB Local delays the lock's heartbeat by seconds (3 s leases were lost
 * with 8 writes in flight per segment; the migration keeps 2).
 */
const LOCK_LEASE_MS = 5_000

/** The backfill under test: `leaseSeconds: 1` so a killed run's segments are taken over quickly. */
function backfillMigration(pageSize: number): string {
  return `export async function up(ctx: any): Promise<void> {
  await ctx.backfill({
    table: 'Items',
    segments: ${SEGMENTS},
    pageSize: ${pageSize},
    writeConcurrency: 2,
    leaseSeconds: 1,
    transform: (item: any) => ({
      update: { expression: 'SET v2 = :v ADD touched :one' },
      values: { ':v': item.name + '/' + item.n * 3, ':one': 1 },
    }),
  })
}

export async function down(ctx: any): Promise<void> {}
`
}

/** Item `n` of the table. */
function itemOf(n: number): Record<string, unknown> {
  const id = String(n).padStart(6, '0')
  return { pk: `item#${id}`, n, name: `Item ${id}`, group: n % 17 }
}

/** What the transform makes of `item` (the migration's `v2`). */
const v2Of = (item: Record<string, unknown>) => `${String(item.name)}/${Number(item.n) * 3}`

/** Hash of items (without `touched`), sorted by key: equal for equal table content. */
function contentHash(items: Record<string, unknown>[]): string {
  const hash = createHash('sha256')
  const lines = items.map((item) => {
    const { touched: _touched, ...rest } = item
    return JSON.stringify(
      Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1))),
    )
  })
  for (const line of lines.sort()) hash.update(`${line}\n`)
  return hash.digest('hex')
}

/** The content of an uninterrupted run, computed: every item with its `v2`. */
function expectedHash(items: number): string {
  return contentHash(
    Array.from({ length: items }, (_, n) => {
      const item = itemOf(n)
      return { ...item, v2: v2Of(item) }
    }),
  )
}

/** Writes items 0..count-1 with 16 BatchWriteItem calls in flight. */
const fill = (client: DynamoDBClient, table: string, count: number) =>
  putGenerated(client, table, count, itemOf, 16)

/** Every item of `table` (a parallel scan of 8 segments, consistent reads). */
async function scanAll(
  client: DynamoDBClient,
  table: string,
  filter?: {
    expression: string
    names: Record<string, string>
    values: Record<string, AttributeValue>
  },
): Promise<Record<string, unknown>[]> {
  const segment = async (index: number) => {
    const items: Record<string, unknown>[] = []
    let start: Record<string, AttributeValue> | undefined
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: table,
          Segment: index,
          TotalSegments: 8,
          ConsistentRead: true,
          Limit: 1000,
          ExclusiveStartKey: start,
          ...(filter === undefined
            ? {}
            : {
                FilterExpression: filter.expression,
                ExpressionAttributeNames: filter.names,
                ExpressionAttributeValues: filter.values,
              }),
        }),
      )
      for (const raw of page.Items ?? []) items.push(unmarshall(raw))
      start = page.LastEvaluatedKey
    } while (start !== undefined)
    return items
  }
  return (await Promise.all(Array.from({ length: 8 }, (_, i) => segment(i)))).flat()
}

/** The backfill's segment items in the meta table. */
async function segmentItems(
  client: DynamoDBClient,
  metaTable: string,
): Promise<Record<string, unknown>[]> {
  return scanAll(client, metaTable, {
    expression: 'begins_with(#pk, :prefix) AND #kind = :segment',
    names: { '#pk': 'pk', '#kind': 'kind' },
    values: { ':prefix': { S: 'backfill#' }, ':segment': { S: 'segment' } },
  })
}

/** Items scanned by the checkpoints in the meta table, over every segment. */
async function checkpointed(client: DynamoDBClient, metaTable: string): Promise<number> {
  return (await segmentItems(client, metaTable)).reduce((n, s) => n + Number(s.scanned ?? 0), 0)
}

/** Deletes every backfill item of the meta table (the negative control: no checkpoint survives). */
async function dropBackfillState(client: DynamoDBClient, metaTable: string): Promise<number> {
  const items = await scanAll(client, metaTable, {
    expression: 'begins_with(#pk, :prefix)',
    names: { '#pk': 'pk' },
    values: { ':prefix': { S: 'backfill#' } },
  })
  for (const item of items) {
    await client.send(
      new DeleteItemCommand({ TableName: metaTable, Key: { pk: { S: String(item.pk) } } }),
    )
  }
  return items.length
}

/**
 * Runs `ddbm migrate up` and SIGKILLs it once the checkpoints in the meta table count `after` more items
 * scanned than when it started. Returns the items checkpointed when it was killed (since its start), or
 * fails when it ended by itself first.
 */
async function upKilledAfter(
  engine: Engine,
  cwd: string,
  client: DynamoDBClient,
  metaTable: string,
  after: number,
): Promise<number> {
  const base = await checkpointed(client, metaTable).catch(() => 0)
  const child = spawn(process.execPath, [CLI, 'migrate', 'up', '--endpoint', engine.endpoint], {
    cwd,
    // As the ddbm() helper: nothing from AWS_* (no real account), CI=true.
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))),
      CI: 'true',
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve))
  let exited = false
  void closed.then(() => (exited = true))
  for (;;) {
    await new Promise((r) => setTimeout(r, 100))
    if (exited) throw new Error(`migrate up ended before it was killed:\n${stderr}`)
    const done = (await checkpointed(client, metaTable).catch(() => base)) - base
    if (done >= after) {
      child.kill('SIGKILL')
      await closed
      return done
    }
  }
}

/** A seeded PRNG (mulberry32), so a failing run can be repeated from the seed in its message. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const engine = engines()[0]!
/** Items a resumed run may write again: one page per segment per kill. */
const boundOf = (s: Size) => KILLS * SEGMENTS * s.pageSize
const bound = boundOf(size)

describeOn(engine, `${engine.name}: a backfill killed (SIGKILL) three times resumes`, () => {
  /** Creates the project and its filled table; returns what the runs need. */
  const setUp = async (size: Size) => {
    const table = {
      TableName: 'Items',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }
    const { cwd, suffix } = await suffixedProject(engine, {
      'schemas/Items.json': table,
      'migrations/0001_table.json': {
        version: 1,
        up: [{ op: 'createTable', table: 'Items', definition: table }],
        down: [{ op: 'deleteTable', table: 'Items' }],
      },
      'migrations/0002_backfill.ts': backfillMigration(size.pageSize),
    })
    // The same environment as suffixedProject's, with the short lock lease.
    await writeFile(
      `${cwd}/ddbm.config.json`,
      `${JSON.stringify({
        version: 1,
        defaultEnv: 't',
        lock: { leaseMs: LOCK_LEASE_MS },
        environments: { t: { tableNameTemplate: `{table}-${suffix}` } },
      })}\n`,
    )
    await migrateUp({ cwd, endpoint: engine.endpoint, processEnv: {}, to: '0001_table' })
    const client = engineClient(engine)
    onTestFinished(() => client.destroy())
    const items = `Items-${suffix}`
    await fill(client, items, size.items)
    return { cwd, client, items, metaTable: `ddbm_migrations-${suffix}` }
  }

  /**
   * Kills `migrate up` KILLS times, each after it checkpointed a random 15-25 % of the table (so the last
   * run still has work left), calling `beforeRestart` after each kill; then runs it to the end.
   */
  const killThreeTimesThenFinish = async (
    env: Awaited<ReturnType<typeof setUp>>,
    size: Size,
    seed: number,
    beforeRestart: () => Promise<unknown>,
  ) => {
    const rnd = random(seed)
    const kills: number[] = []
    const seconds: number[] = []
    let t = performance.now()
    const lap = () => {
      seconds.push(Math.round((performance.now() - t) / 100) / 10)
      t = performance.now()
    }
    for (let k = 0; k < KILLS; k++) {
      const after = Math.round(size.items * (0.15 + 0.1 * rnd()))
      kills.push(await upKilledAfter(engine, env.cwd, env.client, env.metaTable, after))
      await beforeRestart()
      lap()
    }
    const last = await ddbm(['migrate', 'up', '--json', '--endpoint', engine.endpoint], {
      cwd: env.cwd,
    })
    lap()
    const items = await scanAll(env.client, env.items)
    const touchedTwice = items.filter((i) => Number(i.touched) > 1).length
    const records = await readRecords(env.client, env.metaTable)
    const context = `seed ${seed}; checkpointed when killed ${kills.join(', ')}; last run: ${last.stderr}`
    return { kills, seconds, last, items, touchedTwice, records, context }
  }

  test(
    `every item transformed once more at most within one page per segment and kill (${size.items} items, ${SEGMENTS} segments, page ${size.pageSize})`,
    async () => {
      const env = await setUp(size)
      const seed = Math.floor(Math.random() * 2 ** 31)
      const run = await killThreeTimesThenFinish(env, size, seed, () => Promise.resolve())
      const { context } = run
      console.log(
        `${engine.name}: ${run.touchedTwice} of ${size.items} items written more than once (bound ${bound}); checkpointed when killed ${run.kills.join(', ')}; seconds per run ${run.seconds.join(', ')} (seed ${seed})`,
      )
      expect(run.last.code, context).toBe(0)
      expect(run.items.length, context).toBe(size.items)
      expect(run.items.filter((i) => i.v2 !== v2Of(i)).length, context).toBe(0)
      expect(contentHash(run.items), context).toBe(expectedHash(size.items))
      // Not vacuous: a run that started over would write at least the furthest kill's items twice.
      expect(Math.max(...run.kills), context).toBeGreaterThan(bound)
      expect(run.touchedTwice, context).toBeLessThanOrEqual(bound)
      expect(
        run.records.map((r) => [r.name, r.status]),
        context,
      ).toStrictEqual([
        ['0001_table', 'applied'],
        ['0002_backfill', 'applied'],
      ])
      const document = JSON.parse(run.last.stdout) as {
        result: { backfills?: { resumedSegments: number; counts: { scanned: number } }[] }
      }
      const backfills = document.result.backfills ?? []
      expect(backfills.length, context).toBe(1)
      expect(backfills[0]?.resumedSegments, context).toBeGreaterThan(0)
    },
    TIMEOUT_MS,
  )

  test(
    'negative control: with the checkpoints deleted before each restart, the killed runs’ work is done again',
    async () => {
      const env = await setUp(controlSize)
      const seed = Math.floor(Math.random() * 2 ** 31)
      const run = await killThreeTimesThenFinish(env, controlSize, seed, () =>
        dropBackfillState(env.client, env.metaTable),
      )
      const { context } = run
      console.log(
        `${engine.name}, no checkpoints: ${run.touchedTwice} of ${controlSize.items} items written more than once (bound with checkpoints ${boundOf(controlSize)}); checkpointed when killed ${run.kills.join(', ')} (seed ${seed})`,
      )
      expect(run.last.code, context).toBe(0)
      expect(run.items.filter((i) => i.v2 !== v2Of(i)).length, context).toBe(0)
      // Every run started over: what the furthest killed run had checkpointed was written again.
      expect(run.touchedTwice, context).toBeGreaterThanOrEqual(Math.max(...run.kills))
      expect(run.touchedTwice, context).toBeGreaterThan(boundOf(controlSize))
    },
    TIMEOUT_MS,
  )
})
