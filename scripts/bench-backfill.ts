/**
 * Backfill benchmark against its own DynamoDB Local (in memory, free loopback port), on a table of N items
 * filled beforehand (unmeasured). Every write is the same UpdateItem, `SET v2 = :v ADD touched :one`, so the
 * table records how often each item was written.
 *
 * Throughput: a raw parallel scan-and-write loop (plain SDK: Scan with Segment/TotalSegments and Limit, the
 * next page read while this one is written, `--write-concurrency` UpdateItem calls in flight per segment; no
 * checkpoints, no leases) against ddbm's backfill (`migrateUp` of the library on a throw-away project whose
 * `.ts` migration calls ctx.backfill with the same segments, page size and writes in flight), each side in a
 * child process of its own, on a fresh table each run, taking turns; the medians and the ratio
 * backfill / raw (goal >= 0.9).
 *
 * Crash (`--crash-runs`, default 1): the built CLI (`ddbm migrate up`) run to the end on a fresh table, then on
 * another fresh table SIGKILLed once the checkpoints in the meta table count `--kill-at` of the items, and
 * run again to the end. Reported: items written twice (`touched > 1`) against one checkpoint interval
 * (page size x segments), and the seconds lost: killed + resumed - uninterrupted, less one more process
 * start-up and the wait to take the dead run's lock and segment leases over.
 *
 * Run: `npm run bench:backfill -- [--items 50000] [--segments 8] [--page-size 500] [--write-concurrency 8]
 * [--runs 3] [--crash-runs 1] [--kill-at 0.5] [--only throughput|crash]` (builds first: the crash part runs
 * the built CLI).
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import {
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { migrateUp } from '../src/api/migrate.js'
import { putGenerated } from '../test/helpers/put-items.js'
import { createClient } from '../src/dynamo/client.js'
import { startLocal } from '../src/local/dynamodb-local.js'

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url))

type Params = { items: number; segments: number; pageSize: number; writeConcurrency: number }

/** What a throughput child reports on its last stdout line. */
type Measure = {
  /** Items scanned and written. */
  scanned: number
  written: number
  /** The scan-and-write part (ddbm: the backfill's own `seconds`). */
  ms: number
  /** ddbm: the whole `migrateUp` call (session, lock, loading the migration, verify). */
  wholeMs?: number
  /** DynamoDB calls by operation: how many, and their summed latency (ms). */
  calls: Record<string, { n: number; ms: number }>
}

/** Counts every call of `client` by operation into `calls`, with its latency (SDK retries included). */
function counter(calls: Measure['calls']) {
  return (client: DynamoDBClient) =>
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const name = String(context.commandName).replace(/Command$/, '')
        const t0 = performance.now()
        try {
          return await next(args)
        } finally {
          const c = (calls[name] ??= { n: 0, ms: 0 })
          c.n++
          c.ms += performance.now() - t0
        }
      },
      { step: 'initialize', name: 'benchCalls' },
    )
}

/** The segment and lock leases of the crash runs: a dead run's are taken over after this long. */
const LOCK_LEASE_MS = 3_000
const SEGMENT_LEASE_SECONDS = 2

const TABLE = {
  TableName: 'Bench',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
}

/** Item `n`: about 200 bytes. */
function itemOf(n: number): Record<string, unknown> {
  const id = String(n).padStart(8, '0')
  return {
    pk: `item#${id}`,
    n,
    name: `Item ${id}`,
    email: `item.${id}@example.com`,
    group: n % 17,
    notes: 'lorem ipsum dolor sit amet '.repeat(4).slice(0, 80 + (n % 31)),
  }
}

/** The update both sides write for `item`. */
const EXPRESSION = 'SET v2 = :v ADD touched :one'
const valuesOf = (item: Record<string, unknown>) => ({
  ':v': `${String(item.name)}/${Number(item.n) * 3}`,
  ':one': 1,
})

/**
 * A throw-away project: `Bench` under `{table}-<tag>`, 0001 creates it, 0002 backfills it. `crash`: short
 * segment leases (a killed run's segments are taken over after SEGMENT_LEASE_SECONDS instead of the default
 * 30 s; the renewals then come every 0.7 s instead of 10 s, which is why the throughput runs keep the default).
 */
async function project(root: string, tag: string, p: Params, crash: boolean): Promise<string> {
  const cwd = join(root, tag)
  const files: Record<string, string> = {
    'ddbm.config.json': JSON.stringify({
      version: 1,
      defaultEnv: 'bench',
      lock: { leaseMs: LOCK_LEASE_MS },
      environments: { bench: { tableNameTemplate: `{table}-${tag}` } },
    }),
    'schemas/Bench.json': JSON.stringify(TABLE),
    'migrations/0001_table.json': JSON.stringify({
      version: 1,
      up: [{ op: 'createTable', table: 'Bench', definition: TABLE }],
      down: [{ op: 'deleteTable', table: 'Bench' }],
    }),
    'migrations/0002_backfill.ts': `export async function up(ctx: any): Promise<void> {
  await ctx.backfill({
    table: 'Bench',
    segments: ${p.segments},
    pageSize: ${p.pageSize},
    writeConcurrency: ${p.writeConcurrency},
    ${crash ? `leaseSeconds: ${SEGMENT_LEASE_SECONDS},` : ''}
    transform: (item: any) => ({
      update: { expression: ${JSON.stringify(EXPRESSION)} },
      values: { ':v': item.name + '/' + item.n * 3, ':one': 1 },
    }),
  })
}

export async function down(ctx: any): Promise<void> {}
`,
  }
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(cwd, name)), { recursive: true })
    await writeFile(join(cwd, name), text)
  }
  return cwd
}

/** Creates the project's table (migration 0001 through the library) and fills it with N items. */
async function prepare(endpoint: string, cwd: string, table: string, items: number) {
  await migrateUp({ cwd, endpoint, processEnv: {}, to: '0001_table' })
  const client = clientFor(endpoint)
  try {
    await putGenerated(client, table, items, itemOf)
  } finally {
    client.destroy()
  }
}

/**
 * The baseline: per segment, Scan pages (Limit = page size, the next one requested while this one is
 * written) and `writeConcurrency` UpdateItem calls in flight; all segments at once.
 */
async function rawSide(client: DynamoDBClient, table: string, p: Params): Promise<Measure> {
  const calls: Measure['calls'] = {}
  counter(calls)(client)
  let scanned = 0
  let written = 0
  const scan = (segment: number, start?: Record<string, AttributeValue>) =>
    client.send(
      new ScanCommand({
        TableName: table,
        Segment: segment,
        TotalSegments: p.segments,
        Limit: p.pageSize,
        ReturnConsumedCapacity: 'TOTAL',
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    )
  const segment = async (index: number) => {
    let next: Promise<ScanCommandOutput> | undefined = scan(index)
    while (next !== undefined) {
      const page: ScanCommandOutput = await next
      next = page.LastEvaluatedKey === undefined ? undefined : scan(index, page.LastEvaluatedKey)
      const items = page.Items ?? []
      scanned += page.ScannedCount ?? items.length
      let i = 0
      const lane = async () => {
        while (i < items.length) {
          const raw = items[i++] as Record<string, AttributeValue>
          const item = unmarshall(raw)
          await client.send(
            new UpdateItemCommand({
              TableName: table,
              Key: { pk: raw.pk as AttributeValue },
              UpdateExpression: EXPRESSION,
              ExpressionAttributeValues: marshall(valuesOf(item)),
              ReturnConsumedCapacity: 'TOTAL',
            }),
          )
          written++
        }
      }
      await Promise.all(Array.from({ length: Math.min(p.writeConcurrency, items.length) }, lane))
    }
  }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: p.segments }, (_, i) => segment(i)))
  return { scanned, written, ms: performance.now() - t0, calls }
}

/** ddbm's side: `migrate up` through the library, which runs migration 0002's backfill. */
async function ddbmSide(endpoint: string, cwd: string): Promise<Measure> {
  const calls: Measure['calls'] = {}
  const t0 = performance.now()
  const result = await migrateUp({ cwd, endpoint, processEnv: {}, instrument: counter(calls) })
  const wholeMs = performance.now() - t0
  const b = result.backfills?.[0]
  if (b === undefined) throw new Error('migrateUp ran no backfill')
  return {
    scanned: b.counts.scanned,
    written: b.counts.written,
    ms: b.seconds * 1000,
    wholeMs,
    calls,
  }
}

function clientFor(endpoint: string): DynamoDBClient {
  return createClient({ region: 'us-east-1', endpoint, profile: undefined, processEnv: {} })
}

/** Child mode: one side on one prepared table; prints a {@link Measure} as JSON. */
async function child(args: Map<string, string>): Promise<void> {
  const endpoint = String(args.get('endpoint'))
  const p = params(args)
  if (args.get('child') === 'raw') {
    const client = clientFor(endpoint)
    const m = await rawSide(client, String(args.get('table')), p)
    client.destroy()
    console.log(JSON.stringify(m))
  } else {
    console.log(JSON.stringify(await ddbmSide(endpoint, String(args.get('cwd')))))
  }
}

/** Runs one side in a child process (same tsx loader) and returns what it reports. */
function runChild(extra: string[]): Promise<Measure> {
  const argv = [...process.execArgv, fileURLToPath(import.meta.url), ...extra]
  return new Promise<Measure>((resolve, reject) => {
    const proc = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    proc.on('error', reject)
    proc.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? ''
      if (code !== 0) reject(new Error(`child exited ${code}: ${out}`))
      else resolve(JSON.parse(last) as Measure)
    })
  })
}

/** How often each item was written: [items written once, items written more than once, items missing v2]. */
async function touchedCounts(
  endpoint: string,
  table: string,
  segments: number,
): Promise<{ once: number; twice: number; missing: number }> {
  const client = clientFor(endpoint)
  const counts = { once: 0, twice: 0, missing: 0 }
  try {
    await Promise.all(
      Array.from({ length: segments }, async (_, segment) => {
        let start: Record<string, AttributeValue> | undefined
        do {
          const page = await client.send(
            new ScanCommand({
              TableName: table,
              Segment: segment,
              TotalSegments: segments,
              Limit: 1000,
              ProjectionExpression: 'touched, v2',
              ...(start === undefined ? {} : { ExclusiveStartKey: start }),
            }),
          )
          for (const raw of page.Items ?? []) {
            const t = Number(raw.touched?.N ?? 0)
            if (raw.v2 === undefined) counts.missing++
            else if (t > 1) counts.twice++
            else counts.once++
          }
          start = page.LastEvaluatedKey
        } while (start !== undefined)
      }),
    )
  } finally {
    client.destroy()
  }
  return counts
}

/** Items scanned according to the checkpoints of the backfill in `metaTable`. */
async function checkpointed(client: DynamoDBClient, metaTable: string): Promise<number> {
  const page = await client.send(
    new ScanCommand({
      TableName: metaTable,
      ConsistentRead: true,
      FilterExpression: 'begins_with(pk, :p) AND #kind = :segment',
      ExpressionAttributeNames: { '#kind': 'kind' },
      ExpressionAttributeValues: { ':p': { S: 'backfill#' }, ':segment': { S: 'segment' } },
    }),
  )
  return (page.Items ?? []).reduce((n, i) => n + Number(i.scanned?.N ?? 0), 0)
}

/** One `ddbm migrate up` of the built CLI: when its stderr lines came (ms since spawn), and how it ended. */
type CliRun = { ms: number; code: number | null; lines: { at: number; text: string }[] }

/** Runs the built CLI's `migrate up`; SIGKILLs it once `killWhen()` (polled every 100 ms) says so. */
function cliUp(cwd: string, endpoint: string, killWhen?: () => Promise<boolean>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', NO_COLOR: '1' }
    for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k]
    const proc = spawn(process.execPath, [CLI, 'migrate', 'up', '--endpoint', endpoint], {
      cwd,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    const lines: { at: number; text: string }[] = []
    let buffer = ''
    proc.stderr.on('data', (d: Buffer) => {
      buffer += d.toString()
      const parts = buffer.split('\n')
      buffer = parts.pop() ?? ''
      for (const text of parts) lines.push({ at: performance.now() - t0, text })
    })
    let timer: NodeJS.Timeout | undefined
    if (killWhen !== undefined) {
      const poll = async () => {
        if (await killWhen().catch(() => false)) proc.kill('SIGKILL')
        else timer = setTimeout(() => void poll(), 100)
      }
      timer = setTimeout(() => void poll(), 100)
    }
    proc.on('error', reject)
    proc.on('close', (code) => {
      clearTimeout(timer)
      resolve({ ms: performance.now() - t0, code, lines })
    })
  })
}

/** ms since spawn of the first stderr line matching `re`, if any. */
const lineAt = (run: CliRun, re: RegExp) => run.lines.find((l) => re.test(l.text))?.at

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2
}
const rate = (m: Measure) => (m.written / m.ms) * 1000
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`

function params(args: Map<string, string>): Params {
  const num = (name: string, fallback: number) =>
    Number((args.get(name) ?? `${fallback}`).replace(/_/g, ''))
  return {
    items: num('items', 50_000),
    segments: num('segments', 8),
    pageSize: num('page-size', 500),
    writeConcurrency: num('write-concurrency', 8),
  }
}

async function main(args: Map<string, string>): Promise<void> {
  const p = params(args)
  const runs = Number(args.get('runs') ?? 3)
  const crashRuns = Number(args.get('crash-runs') ?? 1)
  const killAt = Number(args.get('kill-at') ?? 0.5)
  const only = args.get('only')
  const root = await mkdtemp(join(tmpdir(), 'ddbm-bench-backfill-'))
  const local = await startLocal({ dir: join(root, '.ddbm'), storage: 'memory', owner: 'command' })
  const endpoint = local.endpoint
  const client = clientFor(endpoint)
  console.log(
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, node ${process.version}; DynamoDB Local in memory`,
  )
  console.log(
    `${fmt(p.items)} items of ~200 B, ${p.segments} segments, page ${p.pageSize}, ` +
      `${p.writeConcurrency} writes in flight per segment; each write: UpdateItem ${EXPRESSION}`,
  )
  let k = 0
  const fresh = async (opts: { crash?: boolean; items?: number } = {}) => {
    const tag = `r${k++}`
    const cwd = await project(root, tag, p, opts.crash ?? false)
    await prepare(endpoint, cwd, `Bench-${tag}`, opts.items ?? p.items)
    return { tag, cwd, table: `Bench-${tag}`, metaTable: `ddbm_migrations-${tag}` }
  }
  const verify = async (side: string, table: string, m?: Measure) => {
    const t = await touchedCounts(endpoint, table, p.segments)
    if (t.missing !== 0 || (m !== undefined && m.written !== p.items))
      throw new Error(`${side}: ${t.missing} item(s) without v2, ${m?.written} written`)
    return t
  }
  try {
    if (only !== 'crash') {
      // Unmeasured: the JVM's warm-up, and tsx's first compilation of the migration.
      {
        const warm = Math.min(p.items, 5_000)
        const w = await fresh({ items: warm })
        await runChild(['--child', 'raw', '--endpoint', endpoint, '--table', w.table, ...flags(p)])
        const w2 = await fresh({ items: warm })
        await runChild(['--child', 'ddbm', '--endpoint', endpoint, '--cwd', w2.cwd, ...flags(p)])
      }
      const raw: Measure[] = []
      const ddbm: Measure[] = []
      for (let r = 0; r < runs; r++) {
        // Taking turns, raw first on odd runs, so that drift in the machine's load hits both sides.
        for (const side of r % 2 === 0 ? ['raw', 'ddbm'] : ['ddbm', 'raw']) {
          const t = await fresh()
          const m = await runChild(
            side === 'raw'
              ? ['--child', 'raw', '--endpoint', endpoint, '--table', t.table, ...flags(p)]
              : ['--child', 'ddbm', '--endpoint', endpoint, '--cwd', t.cwd, ...flags(p)],
          )
          await verify(side, t.table, m)
          ;(side === 'raw' ? raw : ddbm).push(m)
          console.log(
            `run ${r + 1} ${side.padEnd(4)}: ${fmt(rate(m))} items/s (${sec(m.ms)}` +
              `${m.wholeMs === undefined ? '' : `; whole migrateUp ${sec(m.wholeMs)}`})`,
          )
        }
      }
      const rawRate = median(raw.map(rate))
      const ddbmRate = median(ddbm.map(rate))
      const wholeRate = median(ddbm.map((m) => (m.written / (m.wholeMs ?? m.ms)) * 1000))
      // The load of a shared machine drifts: the ratio within each run (the two sides back to back) too.
      const paired = median(ddbm.map((m, r) => rate(m) / rate(raw[r] ?? m)))
      const callsOf = (ms: Measure[]) => {
        const sum: Measure['calls'] = {}
        for (const m of ms) {
          for (const [name, c] of Object.entries(m.calls)) {
            const t = (sum[name] ??= { n: 0, ms: 0 })
            t.n += c.n
            t.ms += c.ms
          }
        }
        return Object.entries(sum)
          .sort(([, a], [, b]) => b.n - a.n)
          .map(([name, c]) => `${name} ${fmt(c.n / ms.length)} (${(c.ms / c.n).toFixed(0)} ms)`)
          .join(', ')
      }
      console.log(`calls per run (mean latency): raw ${callsOf(raw)}`)
      console.log(`calls per run (mean latency): ddbm ${callsOf(ddbm)}`)
      console.log(
        `median: raw ${fmt(rawRate)} items/s, backfill ${fmt(ddbmRate)} items/s: ` +
          `backfill/raw ${(ddbmRate / rawRate).toFixed(2)}x (median of the runs' own ratios ` +
          `${paired.toFixed(2)}x; whole migrateUp ${fmt(wholeRate)} items/s: ${(wholeRate / rawRate).toFixed(2)}x)`,
      )
    }
    if (only !== 'throughput') {
      const interval = p.pageSize * p.segments
      for (let r = 0; r < crashRuns; r++) {
        const a = await fresh({ crash: true })
        const full = await cliUp(a.cwd, endpoint)
        if (full.code !== 0) throw new Error(`uninterrupted run exited ${full.code}`)
        await verify('uninterrupted', a.table)
        const b = await fresh({ crash: true })
        let killedAt = 0
        const killed = await cliUp(b.cwd, endpoint, async () => {
          killedAt = await checkpointed(client, b.metaTable)
          return killedAt >= p.items * killAt
        })
        if (killed.code !== null)
          throw new Error(`the run to kill ended by itself (${killed.code})`)
        const resumed = await cliUp(b.cwd, endpoint)
        if (resumed.code !== 0) {
          throw new Error(
            `resumed run exited ${resumed.code}: ${resumed.lines.map((l) => l.text).join('\n')}`,
          )
        }
        const t = await verify('resumed', b.table)
        const applying = /^applying 0002_backfill/
        const startup = lineAt(full, applying) ?? 0
        const resumedStart = lineAt(resumed, applying) ?? 0
        const lockWaitFrom = lineAt(resumed, /^lock waiting/) ?? resumedStart
        const lockWait = (lineAt(resumed, /^lock taken-over/) ?? lockWaitFrom) - lockWaitFrom
        const extra = killed.ms + resumed.ms - full.ms
        // The resumed run takes the dead run's segments at once (it took over that run's lock).
        const left = extra - startup - lockWait
        const fullBackfill = full.ms - startup
        const intervalMs = (fullBackfill / p.items) * interval
        console.log(
          `crash ${r + 1}: killed at ${fmt(killedAt)} items checkpointed after ${sec(killed.ms)}; ` +
            `resumed run ${sec(resumed.ms)} (start-up and lock takeover ${sec(resumedStart)}, of which ` +
            `waiting for the lock ${sec(lockWait)}); uninterrupted ${sec(full.ms)} (start-up ${sec(startup)})`,
        )
        console.log(
          `  items written twice ${fmt(t.twice)} (one checkpoint interval: ${fmt(interval)} = ` +
            `${p.pageSize} x ${p.segments} segments); seconds lost ${sec(extra)} = one more start-up ` +
            `${sec(startup)} + lock takeover ${sec(lockWait)} + the rest ${sec(left)} ` +
            `(one checkpoint interval of work at the ` +
            `uninterrupted speed: ${sec(intervalMs)})`,
        )
      }
    }
  } finally {
    client.destroy()
    await local.stop()
    await rm(root, { recursive: true, force: true })
  }
}

function flags(p: Params): string[] {
  return [
    '--items',
    String(p.items),
    '--segments',
    String(p.segments),
    '--page-size',
    String(p.pageSize),
    '--write-concurrency',
    String(p.writeConcurrency),
  ]
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
