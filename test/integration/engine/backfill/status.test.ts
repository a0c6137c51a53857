import {
  DescribeTableCommand,
  PutItemCommand,
  ScanCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { expect, onTestFinished, test } from 'vitest'
import { migrateStatus, migrateUp } from '../../../../src/api/index.js'
import { renderStatus } from '../../../../src/cli/render-migrations.js'
import { MigrateStatusDoc } from '../../../../src/output-schemas/index.js'
import { describeOn, engineClient, engines } from '../../../helpers/engines.js'
import { suffixedProject } from '../../../helpers/temp-tree.js'

const TABLE = {
  TableName: 'Items',
  AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
}

/** Transforms 5 items, one segment at a time and one item per page, then throws on the 6th. */
const FAILING = `let n = 0
export async function up(ctx: any): Promise<void> {
  await ctx.backfill({
    table: 'Items',
    segments: 4,
    concurrency: 1,
    pageSize: 1,
    transform: () => {
      if (++n > 5) throw new Error('boom')
      return { update: { set: { done: true } } }
    },
  })
}
export async function down(): Promise<void> {}
`

async function segmentSizes(client: DynamoDBClient, table: string): Promise<number[]> {
  const sizes: number[] = []
  for (let segment = 0; segment < 4; segment++) {
    const out = await client.send(
      new ScanCommand({
        TableName: table,
        Segment: segment,
        TotalSegments: 4,
        ConsistentRead: true,
      }),
    )
    sizes.push(out.Items?.length ?? 0)
  }
  return sizes
}

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: migrate status shows a backfill left half done`, () => {
    test('segments done and open, counts, no holder left, as the checkpoints say', async () => {
      const { cwd, suffix } = await suffixedProject(engine, {
        'migrations/0001_items.json': {
          version: 1,
          up: [{ op: 'createTable', table: 'Items', definition: TABLE }],
          down: [{ op: 'deleteTable', table: 'Items' }],
        },
        'migrations/0002_half.ts': FAILING,
      })
      const base = { cwd, endpoint: engine.endpoint, processEnv: {}, verify: false }
      const table = `Items-${suffix}`
      await migrateUp({ ...base, to: '0001_items' })
      const client = engineClient(engine)
      onTestFinished(() => client.destroy())
      for (let i = 0; i < 20; i++)
        await client.send(new PutItemCommand({ TableName: table, Item: marshall({ PK: `i${i}` }) }))

      const itemCount =
        (await client.send(new DescribeTableCommand({ TableName: table }))).Table?.ItemCount ?? 0
      await expect(migrateUp(base)).rejects.toThrow(/the transform failed for .*: boom/)

      // Segments run in order, one at a time: those whose items all fit in the first 5 are done.
      const sizes = await segmentSizes(client, table)
      let sum = 0
      const done = sizes.map((size) => (sum += size) <= 5)
      const scan = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true }))
      const written = (scan.Items ?? []).map((i) => unmarshall(i)).filter((i) => i.done === true)
      expect(written.length).toStrictEqual(5)

      const open = [0, 1, 2, 3].filter((i) => !done[i])
      const status = await migrateStatus(base)
      expect(MigrateStatusDoc.parse(JSON.parse(JSON.stringify(status)))).toStrictEqual(status)
      const [b] = status.backfills ?? []
      expect(
        b === undefined
          ? undefined
          : { ...b, counts: { ...b.counts, readUnits: 0, writeUnits: 0 } },
      ).toStrictEqual({
        migration: '0002_half',
        name: 'backfill',
        table,
        direction: 'up',
        startedBy: b?.startedBy,
        startedAt: b?.startedAt,
        segmentsDone: done.filter((d) => d).length,
        segments: 4,
        counts: {
          scanned: 5,
          matched: 5,
          written: 5,
          skipped: 0,
          failed: 0,
          readUnits: 0,
          writeUnits: 0,
        },
        itemCount,
        lastCheckpointAt: b?.lastCheckpointAt,
        holders: [],
        unheld: open,
      })
      expect(status.backfills).toHaveLength(1)
      expect(renderStatus(status).split('\n').slice(-3)).toStrictEqual([
        `backfill 0002_half/backfill (up) on ${table}: ${4 - open.length}/4 segments done, 5 scanned of about ${itemCount}, 5 written, 0 skipped`,
        `  started by ${b?.startedBy} at ${b?.startedAt}; last checkpoint ${b?.lastCheckpointAt}`,
        `  ${open.length === 1 ? 'segment' : 'segments'} ${open.join(', ')} not held (the next run resumes them)`,
      ])
    }, 60_000)
  })
}
