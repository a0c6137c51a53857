/**
 * `ddbm db reset` benchmark on the example project (schemas/, migrations/, seeds/ and ddbm.config.json of
 * this repository, copied to a temporary directory whose node_modules/ddbm points here, so the seeds'
 * `import { defineSeed } from 'ddbm'` resolves as in a user's project: build first). It runs the library
 * `reset()` several times in a row against a DynamoDB Local in memory that the script starts on a free
 * loopback port: the first run finds nothing (cold: the JVM's first tables), the next ones delete what the
 * previous one made (warm). The client is instrumented with SDK middleware: every call's start and end.
 * Per run it prints the wall time, the DynamoDB time (the time during which at least one call was in flight:
 * the union of the call intervals), the sum of the call times (above the union when calls overlap), the
 * ratio wall / DynamoDB time (goal <= 1.5), and where the rest went: the time without any call in flight,
 * by phase (opening the session and loading schemas/, deleting, migrating, seeding, verifying).
 * `--embedded` instead leaves the config's embedded engine to the command (started and stopped by each run;
 * its start-up is a phase of its own).
 *
 * Run: `npm run bench:reset -- [--runs 3] [--embedded]`
 */
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { reset, type ResetResult } from '../src/api/reset.js'
import type { Event } from '../src/events.js'
import { startLocal } from '../src/local/dynamodb-local.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

type Call = { name: string; start: number; end: number }
type Mark = { at: number; phase: string }

/** Records every call's interval (the `initialize` step: the whole `client.send`, SDK retries included). */
function recorder(calls: Call[]) {
  return (client: DynamoDBClient) =>
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const call = { name: String(context.commandName).replace(/Command$/, ''), start: 0, end: 0 }
        call.start = performance.now()
        try {
          return await next(args)
        } finally {
          call.end = performance.now()
          calls.push(call)
        }
      },
      { step: 'initialize', name: 'benchCalls' },
    )
}

/** The union of the intervals, as sorted disjoint intervals. */
function union(calls: readonly Call[]): [number, number][] {
  const sorted = [...calls].sort((a, b) => a.start - b.start)
  const out: [number, number][] = []
  for (const c of sorted) {
    const last = out.at(-1)
    if (last !== undefined && c.start <= last[1]) last[1] = Math.max(last[1], c.end)
    else out.push([c.start, c.end])
  }
  return out
}

/**
 * Phase boundaries from the events: engine start-up, deleting (from the first call), migrating (from the
 * first migration event, or the lock taken for it), seeding (loading seeds/, generating and checking the
 * items, then writing), verifying.
 */
function phases(
  t0: number,
  firstCall: number,
  events: readonly { at: number; e: Event }[],
): Mark[] {
  const marks: Mark[] = [{ at: t0, phase: 'open: config, schemas/' }]
  const first = (pred: (e: Event) => boolean) => events.find((x) => pred(x.e))?.at
  const localStart = first((e) => e.kind === 'local' && e.status === 'starting')
  const localReady = first((e) => e.kind === 'local' && e.status === 'ready')
  if (localStart !== undefined) marks.push({ at: localStart, phase: 'engine start' })
  if (localReady !== undefined) marks.push({ at: localReady, phase: 'open: config, schemas/' })
  marks.push({ at: firstCall, phase: 'delete: describe, lock, delete' })
  const lastDelete = events.filter(
    (x) => x.e.kind === 'step' && ['deleteTable', 'updateDeletionProtection'].includes(x.e.op),
  )
  const afterDelete = lastDelete.at(-1)?.at ?? firstCall
  marks.push({ at: afterDelete, phase: 'migrate: load migrations/, lock, apply' })
  const lastMigration = events.filter((x) => x.e.kind === 'migration').at(-1)?.at
  if (lastMigration !== undefined) {
    marks.push({ at: lastMigration, phase: 'seed: load seeds/, generate and check items' })
  }
  const writing = first((e) => e.kind === 'seed' && e.status === 'writing')
  if (writing !== undefined) marks.push({ at: writing, phase: 'seed: write' })
  const verifying = first((e) => e.kind === 'seed' && e.status === 'verifying')
  if (verifying !== undefined) marks.push({ at: verifying, phase: 'verify' })
  const stopping = first((e) => e.kind === 'local' && e.status === 'stopping')
  if (stopping !== undefined) marks.push({ at: stopping, phase: 'engine stop' })
  return marks.sort((a, b) => a.at - b.at)
}

/** Time without any call in flight between `from` and `to`, summed by phase. */
function gapsByPhase(
  from: number,
  to: number,
  busy: readonly [number, number][],
  marks: readonly Mark[],
): Map<string, number> {
  const idle: [number, number][] = []
  let cursor = from
  for (const [s, e] of busy) {
    if (s > cursor) idle.push([cursor, s])
    cursor = Math.max(cursor, e)
  }
  if (to > cursor) idle.push([cursor, to])
  const out = new Map<string, number>()
  for (const [s, e] of idle) {
    // Split the idle interval at the phase boundaries it crosses.
    for (let i = 0; i < marks.length; i++) {
      const m = marks[i] as Mark
      const start = Math.max(s, m.at)
      const end = Math.min(e, marks[i + 1]?.at ?? Infinity)
      if (end > start) out.set(m.phase, (out.get(m.phase) ?? 0) + end - start)
    }
  }
  return out
}

/** `--gaps`: every stretch of 20 ms or more without a call in flight, between which calls and events. */
function printGaps(
  t0: number,
  calls: readonly Call[],
  events: readonly { at: number; e: Event }[],
) {
  const busy = union(calls)
  for (let i = 1; i < busy.length; i++) {
    const from = (busy[i - 1] as [number, number])[1]
    const to = (busy[i] as [number, number])[0]
    if (to - from < 20) continue
    const before = calls.filter((c) => c.end === from).map((c) => c.name)
    const after = calls.filter((c) => c.start === to).map((c) => c.name)
    const last = events.filter((x) => x.at <= from).at(-1)?.e
    console.log(
      `    gap ${ms(to - from)} at ${ms(from - t0)}: after ${before.join(',')}, before ${after.join(',')}; last event ${JSON.stringify(last)}`,
    )
  }
}

/** The example project in a temporary directory; `endpoint` replaces the local environment's engine. */
async function exampleProject(): Promise<string> {
  const cwd = await mkdtemp(join(tmpdir(), 'ddbm-bench-reset-'))
  for (const dir of ['schemas', 'migrations', 'seeds']) {
    await cp(join(ROOT, dir), join(cwd, dir), { recursive: true })
  }
  await writeFile(
    join(cwd, 'ddbm.config.json'),
    await readFile(join(ROOT, 'ddbm.config.json'), 'utf8'),
  )
  await mkdir(join(cwd, 'node_modules'))
  await symlink(ROOT, join(cwd, 'node_modules', 'ddbm'), 'dir')
  return cwd
}

const ms = (n: number) => `${Math.round(n)} ms`

async function main(args: Map<string, string>): Promise<void> {
  const runs = Number(args.get('runs') ?? 3)
  const embedded = args.has('embedded')
  const cwd = await exampleProject()
  let engine: Awaited<ReturnType<typeof startLocal>> | undefined
  try {
    let endpoint: string | undefined
    if (!embedded) {
      const t = performance.now()
      engine = await startLocal({ dir: join(cwd, '.bench'), storage: 'memory', owner: 'command' })
      endpoint = engine.endpoint
      console.log(`DynamoDB Local in memory started by the script in ${ms(performance.now() - t)}`)
    }
    console.log(
      `machine: ${cpus().length} cores, node ${process.version}; example project, env "local"` +
        (embedded ? ' (embedded engine started and stopped by each run)' : ''),
    )
    const ratios: number[] = []
    for (let run = 1; run <= runs; run++) {
      const calls: Call[] = []
      const events: { at: number; e: Event }[] = []
      const t0 = performance.now()
      const result: ResetResult = await reset({
        cwd,
        env: 'local',
        processEnv: {},
        ...(endpoint === undefined ? {} : { endpoint }),
        instrument: recorder(calls),
        emit: (e) => events.push({ at: performance.now(), e }),
      })
      const t1 = performance.now()
      const wall = t1 - t0
      const busy = union(calls)
      const inFlight = busy.reduce((n, [s, e]) => n + e - s, 0)
      const sum = calls.reduce((n, c) => n + c.end - c.start, 0)
      const firstCall = Math.min(...calls.map((c) => c.start))
      const rest = gapsByPhase(t0, t1, busy, phases(t0, firstCall, events))
      const items = result.seed.tables.reduce((n, t) => n + t.written, 0)
      const kind = run === 1 ? 'cold' : 'warm'
      if (run > 1) ratios.push(wall / inFlight)
      console.log(
        `run ${run} (${kind}): deleted ${result.deleted.length} tables, applied ${result.migrate.migrations.length} migrations, ` +
          `seeded ${items} items, ${result.verify.summary.ok} checks ok, ${result.verify.summary.drift} drift`,
      )
      console.log(
        `  wall ${ms(wall)}; DynamoDB in flight ${ms(inFlight)} (${calls.length} calls, sum ${ms(sum)}); ` +
          `wall / DynamoDB ${(wall / inFlight).toFixed(2)}x`,
      )
      const parts = [...rest.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([phase, t]) => `${phase} ${ms(t)}`)
      console.log(`  no call in flight ${ms(wall - inFlight)}: ${parts.join('; ')}`)
      const byCommand = new Map<string, { n: number; ms: number }>()
      for (const c of calls) {
        const entry = byCommand.get(c.name) ?? { n: 0, ms: 0 }
        entry.n++
        entry.ms += c.end - c.start
        byCommand.set(c.name, entry)
      }
      const top = [...byCommand.entries()]
        .sort((a, b) => b[1].ms - a[1].ms)
        .slice(0, 6)
        .map(([name, v]) => `${name} ${v.n}x ${ms(v.ms)}`)
      console.log(`  calls by time: ${top.join(', ')}`)
      if (args.has('gaps')) printGaps(t0, calls, events)
    }
    if (ratios.length > 0) {
      const sorted = [...ratios].sort((a, b) => a - b)
      const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0
      console.log(
        `warm runs: wall / DynamoDB median ${median.toFixed(2)}x, ` +
          `range ${sorted[0]?.toFixed(2)}-${sorted.at(-1)?.toFixed(2)}x (goal <= 1.5x)`,
      )
    }
  } finally {
    await engine?.stop()
    await rm(cwd, { recursive: true, force: true })
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
await main(parseArgs(process.argv.slice(2)))
