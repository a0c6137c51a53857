/**
 * Measures the embedded engine for each storage mode: time from spawn to first answer, and BatchWriteItem
 * throughput (5,000 items of ~500 bytes, 25 per batch, 8 requests in flight, UnprocessedItems retried).
 * Run: `npx tsx scripts/measure-local.ts [runs]`.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb'
import { startLocal, type LocalStorage } from '../src/local/dynamodb-local.js'

const ITEMS = 5_000
const BATCH = 25
const IN_FLIGHT = 8
const TABLE = 'Measure'

/** One measurement: start-up ms and items/s for a storage mode. */
type Result = { storage: LocalStorage; startMs: number; itemsPerSecond: number }

function item(i: number): WriteRequest {
  return {
    PutRequest: {
      Item: {
        pk: { S: `item#${String(i).padStart(6, '0')}` },
        sk: { S: 'v1' },
        n: { N: String(i) },
        payload: { S: 'x'.repeat(450) },
      },
    },
  }
}

async function writeAll(client: DynamoDBClient): Promise<void> {
  const batches: WriteRequest[][] = []
  for (let i = 0; i < ITEMS; i += BATCH) {
    batches.push(Array.from({ length: Math.min(BATCH, ITEMS - i) }, (_, j) => item(i + j)))
  }
  let next = 0
  const worker = async () => {
    for (let batch = batches[next++]; batch; batch = batches[next++]) {
      let pending: WriteRequest[] = batch
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1_000, 25 * 2 ** attempt)))
        const out = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [TABLE]: pending } }),
        )
        pending = out.UnprocessedItems?.[TABLE] ?? []
      }
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
}

async function measure(storage: LocalStorage): Promise<Result> {
  const root = await mkdtemp(join(tmpdir(), 'ddbm-measure-'))
  let startMs = 0
  const local = await startLocal({
    dir: join(root, '.ddbm'),
    storage,
    owner: 'command',
    onProgress: (status, info) => {
      if (status === 'ready') startMs = info.ms ?? 0
    },
  })
  try {
    const client = new DynamoDBClient({
      endpoint: local.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    })
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    )
    const t0 = performance.now()
    await writeAll(client)
    const seconds = (performance.now() - t0) / 1000
    client.destroy()
    return { storage, startMs, itemsPerSecond: Math.round(ITEMS / seconds) }
  } finally {
    await local.stop()
    await rm(root, { recursive: true, force: true })
  }
}

const runs = Number(process.argv[2] ?? 1)
console.log(`machine: ${cpus().length} cores, node ${process.version}; ${ITEMS} items of ~500 B`)
for (let run = 1; run <= runs; run++) {
  for (const storage of ['memory', 'disk'] as const) {
    const r = await measure(storage)
    console.log(
      `run ${run} ${r.storage.padEnd(6)} start-up ${String(r.startMs).padStart(5)} ms   ${r.itemsPerSecond} items/s`,
    )
  }
}
