/**
 * Seeding benchmark against its own DynamoDB Local (in memory, free loopback port). For each item count it
 * measures, one after the other on fresh tables: a raw BatchWriteItem loop (plain SDK, pre-marshalled
 * items, the same concurrency), the ddbm side (what `ddbm seed` runs), and the raw loop again to bracket
 * the noise; it prints items/s of each, the ratio ddbm / mean raw (goal >= 0.9), and the peak RSS of the
 * ddbm side, measured in a child process of its own (goal: flat, under 200 MB).
 * `--sweep 1,2,4,...` instead measures the ddbm side alone at each concurrency (DEFAULT_CONCURRENCY).
 *
 * Run: `npm run bench:seed -- [--items 100000,300000] [--concurrency N] [--sweep 1,2,4,8,16,32]`
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb'
import { marshall } from '@aws-sdk/util-dynamodb'
import { createClient } from '../src/dynamo/client.js'
import { seed } from '../src/api/seed.js'
import { DEFAULT_CONCURRENCY } from '../src/engine/write/write-items.js'
import { startLocal } from '../src/local/dynamodb-local.js'

type Side = 'raw' | 'ddbm'

/** What a child process reports on its last stdout line. */
type Measure = {
  items: number
  written: number
  failed: number
  /** The whole call (ddbm: loading, checking every item, writing, verifying). */
  ms: number
  /** ddbm only: the writing phase, as `ddbm seed` reports it per table (`seconds`). */
  writeMs?: number
  maxRssMb: number
}

const BATCH = 25

/** The benchmark's table: a string hash key `pk` and a number range key `sk`, on demand. */
const BENCH_TABLE = {
  BillingMode: 'PAY_PER_REQUEST' as const,
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' as const },
    { AttributeName: 'sk', AttributeType: 'N' as const },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' as const },
    { AttributeName: 'sk', KeyType: 'RANGE' as const },
  ],
}

/** Item `i`, a plain object of about 500 bytes once marshalled, the same every run. */
function plainItem(i: number): Record<string, unknown> {
  const id = String(i).padStart(8, '0')
  return {
    pk: `customer#${id}`,
    sk: i % 1000,
    name: `Customer ${id}`,
    email: `customer.${id}@example.com`,
    createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    active: i % 3 !== 0,
    score: (i * 7919) % 10007,
    tags: new Set([`segment-${i % 13}`, `region-${i % 5}`]),
    address: {
      street: `${i % 300} Main Street`,
      city: `City ${i % 97}`,
      zip: `${10000 + (i % 89999)}`,
    },
    notes: 'lorem ipsum dolor sit amet '.repeat(11).slice(0, 250 + (i % 31)),
  }
}

/**
 * The ddbm side: `ddbm seed` itself, through the library API, on a throw-away project whose one seed
 * generates plainItem(i): loading the seed with tsx, generating and checking every item (keys, repeated
 * keys) before writing, generating again while writing, then the post-seed verification (counts). The
 * measured time is the whole call.
 */
export async function ddbmSide(
  endpoint: string,
  table: string,
  items: number,
  concurrency: number,
): Promise<{ written: number; failed: number; writeMs: number }> {
  const cwd = await mkdtemp(join(tmpdir(), 'ddbm-bench-project-'))
  try {
    const files: Record<string, string> = {
      'ddbm.config.json': JSON.stringify({
        version: 1,
        defaultEnv: 'bench',
        environments: { bench: { tableNameTemplate: table.replace(/^Bench/, '{table}') } },
      }),
      'schemas/Bench.json': JSON.stringify({ ...BENCH_TABLE, TableName: 'Bench' }),
      'seeds/Bench.seed.ts': `${plainItem.toString()}\nexport default { table: 'Bench', count: ${items}, generate: ({ i }) => plainItem(i) }\n`,
    }
    for (const [name, text] of Object.entries(files)) {
      await mkdir(dirname(join(cwd, name)), { recursive: true })
      await writeFile(join(cwd, name), text)
    }
    const result = await seed({ cwd, endpoint, processEnv: {}, concurrency, indexWaitMs: 0 })
    const t = result.tables[0]
    return { written: t?.written ?? 0, failed: t?.failed ?? 0, writeMs: (t?.seconds ?? 0) * 1000 }
  } finally {
    await rm(cwd, { recursive: true, force: true })
  }
}

/** The baseline: plain SDK, items marshalled beforehand, `concurrency` workers, unprocessed resubmitted. */
async function rawSide(
  client: DynamoDBClient,
  table: string,
  batches: WriteRequest[][],
  concurrency: number,
): Promise<{ written: number; failed: number }> {
  let next = 0
  let written = 0
  const worker = async () => {
    for (let batch = batches[next++]; batch; batch = batches[next++]) {
      let pending: WriteRequest[] = batch
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1_000, 25 * 2 ** attempt)))
        const out = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [table]: pending } }),
        )
        const left = out.UnprocessedItems?.[table] ?? []
        written += pending.length - left.length
        pending = left
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { written, failed: 0 }
}

function clientFor(endpoint: string): DynamoDBClient {
  return createClient({ region: 'us-east-1', endpoint, profile: undefined, processEnv: {} })
}

/** Child mode: one side, one table; prints a {@link Measure} as JSON. */
async function child(args: Map<string, string>): Promise<void> {
  const side = args.get('child') as Side
  const items = Number(args.get('items'))
  const concurrency = Number(args.get('concurrency'))
  const table = String(args.get('table'))
  const client = clientFor(String(args.get('endpoint')))
  let batches: WriteRequest[][] = []
  if (side === 'raw') {
    for (let i = 0; i < items; i += BATCH) {
      batches.push(
        Array.from({ length: Math.min(BATCH, items - i) }, (_, j) => ({
          PutRequest: { Item: marshall(plainItem(i + j), { convertClassInstanceToMap: true }) },
        })),
      )
    }
  }
  const t0 = performance.now()
  const result =
    side === 'raw'
      ? await rawSide(client, table, batches, concurrency)
      : await ddbmSide(String(args.get('endpoint')), table, items, concurrency)
  const ms = performance.now() - t0
  batches = []
  client.destroy()
  const measure: Measure = {
    items,
    ...result,
    ms,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }
  console.log(JSON.stringify(measure))
}

/** Runs one side in a child process (same tsx loader) and returns what it reports. */
function runChild(side: Side, endpoint: string, table: string, items: number, concurrency: number) {
  const script = fileURLToPath(import.meta.url)
  const argv = [...process.execArgv, script, '--child', side, '--endpoint', endpoint]
  argv.push('--table', table, '--items', String(items), '--concurrency', String(concurrency))
  return new Promise<Measure>((resolve, reject) => {
    const proc = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    proc.on('error', reject)
    proc.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? ''
      if (code !== 0) reject(new Error(`${side} child exited ${code}: ${out}`))
      else resolve(JSON.parse(last) as Measure)
    })
  })
}

async function withTable<T>(
  client: DynamoDBClient,
  table: string,
  run: () => Promise<T>,
): Promise<T> {
  await client.send(new CreateTableCommand({ ...BENCH_TABLE, TableName: table }))
  try {
    return await run()
  } finally {
    await client.send(new DeleteTableCommand({ TableName: table }))
  }
}

const perSecond = (m: Measure) => Math.round((m.written / m.ms) * 1000)

function check(side: string, m: Measure): void {
  if (m.written !== m.items || m.failed !== 0) {
    throw new Error(`${side}: ${m.written} of ${m.items} written, ${m.failed} failed`)
  }
}

async function main(args: Map<string, string>): Promise<void> {
  const list = (name: string, fallback: string) =>
    (args.get(name) ?? fallback).split(',').map((v) => Number(v.replace(/_/g, '')))
  const counts = list('items', '100000')
  const concurrency = Number(args.get('concurrency') ?? DEFAULT_CONCURRENCY)
  const root = await mkdtemp(join(tmpdir(), 'ddbm-bench-seed-'))
  const local = await startLocal({ dir: join(root, '.ddbm'), storage: 'memory', owner: 'command' })
  const client = clientFor(local.endpoint)
  console.log(`machine: ${cpus().length} cores, node ${process.version}; DynamoDB Local in memory`)
  try {
    let k = 0
    if (args.has('sweep')) {
      const items = counts[0] ?? 20_000
      console.log(`sweep: ddbm side, ${items} items of ~500 B per concurrency`)
      // One unmeasured run first, so the first concurrency measured does not pay for the JVM's warm-up.
      await withTable(client, 'Warm-up', () =>
        runChild('ddbm', local.endpoint, 'Warm-up', items, DEFAULT_CONCURRENCY),
      )
      for (const c of list('sweep', '1,2,4,8,16,32')) {
        const m = await withTable(client, `Sweep-${k++}`, () =>
          runChild('ddbm', local.endpoint, `Sweep-${k - 1}`, items, c),
        )
        check('ddbm', m)
        console.log(
          `concurrency ${String(c).padStart(2)}  ${perSecond(m)} items/s  (${Math.round(m.ms)} ms)`,
        )
      }
      return
    }
    console.log(`items of ~500 B, concurrency ${concurrency}`)
    // Unmeasured, so the first raw run does not pay for the JVM's warm-up.
    await withTable(client, 'Warm-up', () =>
      runChild('raw', local.endpoint, 'Warm-up', 20_000, concurrency),
    )
    for (const items of counts) {
      const run = async (side: Side) => {
        const table = `Bench-${side}-${k++}`
        const m = await withTable(client, table, () =>
          runChild(side, local.endpoint, table, items, concurrency),
        )
        check(side, m)
        return m
      }
      const raw1 = await run('raw')
      const ddbm = await run('ddbm')
      const raw2 = await run('raw')
      const rawMean = (perSecond(raw1) + perSecond(raw2)) / 2
      const writing = Math.round((ddbm.written / (ddbm.writeMs ?? ddbm.ms)) * 1000)
      console.log(
        `${items} items: raw ${perSecond(raw1)} items/s, ddbm seed writing ${writing} items/s ` +
          `(whole command ${perSecond(ddbm)} items/s: ${(ddbm.ms / 1000).toFixed(1)} s with the ` +
          `check of every item before writing and the verification after), raw ${perSecond(raw2)} items/s; ` +
          `writing/raw ${(writing / rawMean).toFixed(2)}, whole/raw ${(perSecond(ddbm) / rawMean).toFixed(2)}; ` +
          `ddbm peak RSS ${ddbm.maxRssMb} MB`,
      )
    }
  } finally {
    client.destroy()
    await local.stop()
    await rm(root, { recursive: true, force: true })
  }
}

/** `--name value` pairs. */
function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg.startsWith('--'))
      args.set(arg.slice(2), argv[i + 1]?.startsWith('--') ? '' : (argv[++i] ?? ''))
  }
  return args
}

// The SDK's "Node 22 after January 2027" warning would interleave with the results (src/cli/main.ts does the same).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
const args = parseArgs(process.argv.slice(2))
await (args.has('child') ? child(args) : main(args))
