import { DdbmError } from '../errors.js'
import { interruptedError, throwIfInterrupted } from '../interrupt.js'
import type { Issue } from '../issues.js'
import { compareTable } from '../plan/compare.js'
import type { SeedTally } from '../plan/seed-checks.js'
import type { Item, LoadedSeed } from '../seed/define-seed.js'
import { precheck } from '../seed/precheck.js'
import { orderSeeds } from '../seed/order.js'
import {
  checkSeedModes,
  rangeTotal,
  shardVerifySkipped,
  type Shard,
  type ShardRange,
} from '../seed/shard.js'
import { assertValid, loadSchemas } from '../schema/load-schemas.js'
import type { TableSchema } from '../schema/table-schema.js'
import { appliedBy, metaStoreOf, type MetaStoreOption } from './migrate-shared.js'
import type { SeedProgressWriter } from '../engine/meta/seed-progress.js'
import type { MetaStore } from '../engine/meta/meta-store.js'
import {
  checkEnvironment,
  guardDestructive,
  recordEnvironment,
  type ConfirmOptions,
  type EnvironmentCheck,
} from './protection.js'
import { withSession, type Session, type SessionOptions } from './session.js'
import {
  emitChecks,
  summarize,
  throwOnDrift,
  type VerifyResult,
  type VerifyTable,
} from './verify.js'

/** `--shard I/N` parsed (USAGE on anything else), and the shapes of the shard option and result. */
export { parseShard, type Shard, type ShardRange } from '../seed/shard.js'

/**
 * What a seed run uses besides its plan: tsx (seeds/), faker (generation) and the AWS SDK's commands,
 * imported when a run starts rather than with ddbm, so that `import { defineSeed } from 'ddbm'` (every
 * seed does it) stays cheap.
 */
async function seedRuntime() {
  const [util, counts, live, load, clear, write, generate, check, job] = await Promise.all([
    import('@aws-sdk/util-dynamodb'),
    import('../engine/live/read-counts.js'),
    import('../engine/live/read-live-table.js'),
    import('../engine/seed/load-seeds.js'),
    import('../engine/write/clear-table.js'),
    import('../engine/write/write-items.js'),
    import('../seed/generate.js'),
    import('../seed/check-seeds.js'),
    import('../seed/job-items.js'),
  ])
  return {
    marshall: util.marshall,
    countByAttribute: counts.countByAttribute,
    countItems: counts.countItems,
    waitForCount: counts.waitForCount,
    readLiveTable: live.readLiveTable,
    loadSeeds: load.loadSeeds,
    clearTable: clear.clearTable,
    writeItems: write.writeItems,
    appliesTo: generate.appliesTo,
    countFor: generate.countFor,
    checkSeeds: check.checkSeeds,
    seedRanges: job.seedRanges,
    tableItems: job.tableItems,
  }
}
type SeedRuntime = Awaited<ReturnType<typeof seedRuntime>>

/**
 * Options of seed(): the session's, the confirmation a protected environment needs, where its meta table
 * lives, and the flags of `ddbm seed`.
 */
export type SeedOptions = SessionOptions &
  ConfirmOptions &
  MetaStoreOption & {
    /** Only the seeds of this logical table (the tables it depends on are regenerated for ref(), not written). */
    table?: string
    /** Items per generated seed, instead of the seed's count for the environment. */
    count?: number
    /** The seed number: the same number gives byte-identical items. Default 1. */
    seed?: number
    /** Delete the table's items first (a parallel scan and batch deletes; the table stays). */
    clear?: boolean
    /** BatchWriteItem requests in flight per table; default the writer's, chosen by measurement. */
    concurrency?: number
    /** Generate and check the items, print a sample and the counts; write nothing. */
    dryRun?: boolean
    /** Items shown per table by a dry run. Default 3. */
    sampleSize?: number
    /** Wall clock (epoch ms) for `ctx.expiresIn()` and the TTL check. Default Date.now. */
    now?: () => number
    /** Longest wait for a GSI to hold every seeded item. Default 30 s. */
    indexWaitMs?: number
    /**
     * Write only this runner's share of each seed (`--shard I/N`, 1-based): items
     * [floor(n*(I-1)/N), floor(n*I/N)) of each seed file of n items, so that shards 1..N together write
     * exactly what one run writes. Every item is still checked before writing; the post-seed
     * verification is skipped (`verifySkipped`); `clear` is refused with it (USAGE).
     */
    shard?: Shard
    /**
     * Write nothing: check every item as a run would, then hold the live tables to the post-seed checks,
     * which expect exactly the seed's items (the last step after sharded runs, `--verify-only`).
     */
    verifyOnly?: boolean
  }

/** What seeding did to one table. */
export type SeedTableResult = {
  /** Logical and physical table name. */
  table: string
  physical: string
  /** The seed files, fixture first. */
  files: string[]
  /** Items generated (and, unless dry run, written). */
  count: number
  written: number
  failed: number
  retries: number
  throttles: number
  /** Items deleted by `--clear`. */
  cleared?: number
  seconds: number
  /** Items per value of the seed's `summarizeBy` attribute, counted on the live table after seeding. */
  summary?: { attribute: string; counts: Record<string, number> }
  /** Dry run only: the first items. */
  sample?: Item[]
  /** Sharded run only: per seed file (fixture first), the items of this shard, [from, to) of `of`. */
  ranges?: ShardRange[]
}

/**
 * The result of seed(): per table, and the post-seed verification (absent on a dry run and on a sharded
 * run, whose `verifySkipped` says why).
 */
export type SeedResult = {
  env: string
  seed: number
  dryRun: boolean
  /** This runner's share, on a sharded run. */
  shard?: Shard
  /** A `--verify-only` run: nothing written, the tables checked against the whole seed. */
  verifyOnly?: boolean
  tables: SeedTableResult[]
  verify?: VerifyResult
  /** Why the post-seed verification did not run (a sharded run), and what runs it. */
  verifySkipped?: string
}

/** The hint of an interrupted seed. */
const SEED_INTERRUPTED_HINT =
  'Re-run `ddbm seed`: writes are idempotent puts, so it writes every item again, those not written included.'

/** The seeds of one table, fixture first, and its schema. */
type Job = { table: string; schema: TableSchema; seeds: LoadedSeed[] }

/**
 * `ddbm seed`: writes the seeds of schemas/' tables in dependency order, then verifies them. Before any
 * write it refuses an environment whose meta table records another name (ENV_MISMATCH, exit 2), a seed
 * whose allow-list lacks the environment (SEED_REFUSED, exit 2), and it generates every item once to
 * check it against the table's key schema and for keys repeated within the run (SEED_INVALID, exit 2).
 * Then, on a protected environment, the writes (and `clear`) need the environment's name as
 * confirmation (PROTECTED_ENV, exit 2). Items stream through the writer: memory stays flat. An item that
 * could not be written fails the run (SEED_FAILED, exit 1, with counts and the first errors). Afterwards
 * each seeded table is held to verify's checks plus the `data:` checks; drift throws VERIFY_DRIFT (exit 3)
 * carrying the whole result. When `signal` aborts, writing stops at a batch boundary and DdbmError
 * INTERRUPTED gives, per table, the items written and those not written (nothing is lost silently).
 * With `shard`, only that share is written and the verification is skipped; `verifyOnly` writes nothing
 * and verifies the whole; their invalid combinations are USAGE (exit 2) before the session opens.
 */
export async function seed(opts: SeedOptions = {}): Promise<SeedResult> {
  checkSeedModes(opts)
  return withSession(opts, (session) => seedSession(session, opts))
}

/** seed() on an open session (db reset seeds after migrating on the same session). */
export async function seedSession(
  session: Session,
  opts: SeedOptions & {
    /** The environment as a caller on this session checked it already. */
    environment?: EnvironmentCheck
  } = {},
): Promise<SeedResult> {
  checkSeedModes(opts)
  const rt = await seedRuntime()
  const { appliesTo, countFor, clearTable, countItems, writeItems, seedRanges, tableItems } = rt
  const env = session.env.name
  const seedNumber = opts.seed ?? 1
  const now = (opts.now ?? Date.now)()
  const store = metaStoreOf(session, opts)
  // A dry run writes nothing: a meta table of another environment only warns there.
  const environment =
    opts.environment ??
    (await checkEnvironment(session, store, readOnly(opts) ? 'read-only' : 'mutating'))
  const { jobs, all } = await plan(session, opts, rt)
  const refused = jobs.flatMap((j) => j.seeds.filter((s) => !appliesTo(s, env)).map((s) => s.file))
  if (refused.length > 0) {
    throw new DdbmError(
      'SEED_REFUSED',
      `Refusing to seed "${env}": not in the environments of ${refused.join(', ')}`,
      { env, reason: 'not-allowed', seeds: refused },
    )
  }
  // Generated items per table in this run (the --count override included), for ref()'s modulus.
  const counts = Object.fromEntries(
    all
      .filter((s) => s.kind === 'generator')
      .map((s) => [s.definition.table, countFor(s, env, opts.count)]),
  )
  const run = { seed: seedNumber, env, now, count: opts.count, counts }
  const items = (job: Job) => tableItems(job.seeds, all, run)
  // What this run writes of a job: its shard's items (every item when not sharded).
  const { shard } = opts
  const ranges = (job: Job) => seedRanges(job.seeds, run, shard)
  const toWrite = (job: Job) => tableItems(job.seeds, all, run, ranges(job))
  const share = (job: Job, tally: SeedTally | undefined) =>
    shard === undefined
      ? baseResult(session, job, tally?.written ?? 0)
      : { ...baseResult(session, job, rangeTotal(ranges(job))), ranges: ranges(job) }

  // Every item once before any write: key schema and keys repeated within the run.
  const tallies = new Map<string, SeedTally>()
  for (const job of jobs)
    tallies.set(
      job.table,
      precheck(job.table, job.schema, () => items(job), now),
    )
  const { signal } = session
  throwIfInterrupted(signal, 'before seeding: nothing was written')

  if (opts.dryRun === true) {
    return {
      env,
      seed: seedNumber,
      dryRun: true,
      ...(shard === undefined ? {} : { shard }),
      tables: jobs.map((job) => ({
        ...share(job, tallies.get(job.table)),
        sample: take(toWrite(job), opts.sampleSize ?? 3),
      })),
    }
  }
  if (opts.verifyOnly === true) {
    const data = new Map(
      jobs.map((job) => [
        job.table,
        { tally: tallies.get(job.table) as SeedTally, physical: session.tableName(job.table) },
      ]),
    )
    const results = jobs.map((job) => share(job, tallies.get(job.table)))
    return verified(session, jobs, results, data, opts, rt)
  }

  const steps = jobs.flatMap((job) => {
    const physical = session.tableName(job.table)
    const of = shard === undefined ? '' : ` (shard ${shard.index}/${shard.count})`
    const write = `write ${share(job, tallies.get(job.table)).count} items to ${physical}${of}`
    return opts.clear === true ? [`delete every item of ${physical}`, write] : [write]
  })
  await guardDestructive(
    session,
    { command: opts.clear === true ? 'seed --clear' : 'seed', steps },
    { ...opts, environment },
  )
  if (environment.stored !== undefined || (await store.exists())) {
    await recordEnvironment(session, store, environment, appliedBy(opts.processEnv ?? process.env))
  }

  const results: SeedTableResult[] = []
  const data = new Map<string, { tally: SeedTally; physical: string }>()
  // What an interruption reports: the tables written in full, the one stopped in, those not started.
  const stop = (what: string, details: Record<string, unknown> = {}): DdbmError => {
    const full = results.map((r) => r.physical)
    const left = jobs
      .slice(results.length + (current === undefined ? 0 : 1))
      .map((j) => session.tableName(j.table))
    const parts = [
      ...(full.length === 0 ? [] : [`written in full: ${full.join(', ')}`]),
      what,
      ...(left.length === 0 ? [] : [`not started: ${left.join(', ')}`]),
    ]
    return interruptedError(
      signal,
      `while seeding: ${parts.join('; ')}`,
      { ...details, results: [...results], notStarted: left },
      SEED_INTERRUPTED_HINT,
    )
  }
  let current: string | undefined
  const progress = await progressOf(session, opts, store, shard)
  try {
    for (const job of jobs) {
      if (signal?.aborted === true) {
        throw stop(results.length === 0 ? 'nothing written' : 'nothing else written')
      }
      const physical = session.tableName(job.table)
      current = physical
      const tally = tallies.get(job.table) as SeedTally
      const result = share(job, tally)
      const start = performance.now()
      const keys = job.schema.KeySchema.map((k) => k.AttributeName)
      if (opts.clear === true) {
        session.emit({ kind: 'seed', table: physical, status: 'clearing' })
        const cleared = await clearTable(session.client, physical, keys, {
          ...(signal === undefined ? {} : { signal }),
          onProgress: (done) =>
            session.emit({ kind: 'seed', table: physical, status: 'clearing', done }),
        })
        result.cleared = cleared.deleted
        if (cleared.interrupted === true) {
          throw stop(
            `${physical} stopped while clearing: ${cleared.deleted} items deleted, none of its ${tally.written} items written`,
            { table: job.table, written: 0, notWritten: tally.written },
          )
        }
        tally.before = 0
      } else if (shard === undefined) {
        tally.before = await countItems(session.client, physical)
      }
      const total = result.count
      const stats = await writeItems(session.client, physical, marshalled(rt, toWrite(job)), {
        ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }),
        ...(signal === undefined ? {} : { signal }),
        onProgress: (s) => {
          progress?.update(physical, s.written, total)
          session.emit({
            kind: 'seed',
            table: physical,
            status: 'writing',
            done: s.written,
            total,
            failed: s.failed,
            seconds: (performance.now() - start) / 1000,
          })
        },
      })
      Object.assign(result, {
        written: stats.written,
        failed: stats.failed,
        retries: stats.retries,
        throttles: stats.throttles,
        seconds: round((performance.now() - start) / 1000),
      })
      session.emit({
        kind: 'seed',
        table: physical,
        status: 'done',
        done: stats.written,
        total,
        failed: stats.failed,
        seconds: result.seconds,
      })
      if (stats.failed > 0) {
        throw new DdbmError(
          'SEED_FAILED',
          `${stats.failed} of ${total} items of ${physical} were not written (${stats.written} were)`,
          {
            table: job.table,
            written: stats.written,
            failed: stats.failed,
            firstErrors: stats.firstErrors,
            results: [...results, result],
          },
        )
      }
      if (stats.interrupted === true) {
        const notWritten = total - stats.written
        throw stop(
          `${physical}: ${stats.written} of ${total} items written, ${notWritten} not written`,
          { table: job.table, written: stats.written, notWritten, result },
        )
      }
      results.push(result)
      data.set(job.table, { tally, physical })
      current = undefined
    }
  } catch (err) {
    await progress?.finish('failed')
    throw err
  }
  await progress?.finish('done')
  throwIfInterrupted(signal, 'after seeding every table: verification skipped')
  if (shard !== undefined) {
    return {
      env,
      seed: seedNumber,
      dryRun: false,
      shard,
      tables: results,
      verifySkipped: shardVerifySkipped(shard),
    }
  }
  return verified(session, jobs, results, data, opts, rt)
}

/**
 * The end of a run that covers the whole seed (written in full, or `verifyOnly`): the post-seed checks,
 * the `summarizeBy` counts, and VERIFY_DRIFT (exit 3) carrying the result on drift.
 */
async function verified(
  session: Session,
  jobs: readonly Job[],
  results: SeedTableResult[],
  data: ReadonlyMap<string, { tally: SeedTally; physical: string }>,
  opts: SeedOptions,
  rt: SeedRuntime,
): Promise<SeedResult> {
  const env = session.env.name
  const verify = await verifySeeded(session, jobs, data, opts, rt)
  for (const job of jobs) {
    const attribute = job.seeds.find((s) => s.definition.summarizeBy)?.definition.summarizeBy
    const result = results.find((r) => r.table === job.table)
    if (attribute === undefined || result === undefined) continue
    const counts = await rt.countByAttribute(session.client, result.physical, attribute)
    result.summary = { attribute, counts }
  }
  const out: SeedResult = {
    env,
    seed: opts.seed ?? 1,
    dryRun: false,
    ...(opts.verifyOnly === true ? { verifyOnly: true } : {}),
    tables: results,
    verify,
  }
  throwOnDrift(verify, `after seeding ${env}`, { seed: out })
  return out
}

/**
 * Loads schemas/ and seeds/, checks them, and orders the jobs (only `opts.table`'s when given); `all` is
 * every seed, for ref() into tables that are not written.
 */
async function plan(
  session: Session,
  opts: SeedOptions,
  { loadSeeds, checkSeeds }: SeedRuntime,
): Promise<{ jobs: Job[]; all: LoadedSeed[] }> {
  const { schemasDir, seedsDir, root } = session.project
  const tables = assertValid(await loadSchemas(schemasDir, { root })).map((t) => t.table)
  const loaded = await loadSeeds(seedsDir, { root })
  const environments = Object.keys(session.project.config.environments)
  const ordered = orderSeeds(loaded.seeds)
  const issues: Issue[] = [
    ...loaded.issues,
    ...checkSeeds(loaded.seeds, { tables, environments, env: session.env.name }),
  ]
  if (issues.length > 0) {
    throw new DdbmError('SEED_INVALID', `${issues.length} problem(s) in seeds/`, { issues })
  }
  const jobs: Job[] = []
  for (const s of ordered.order) {
    const table = s.definition.table
    const schema = tables.find((t) => t.TableName === table) as TableSchema
    const job = jobs.find((j) => j.table === table)
    if (job === undefined) jobs.push({ table, schema, seeds: [s] })
    else job.seeds.push(s)
  }
  for (const job of jobs)
    job.seeds.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'fixture' ? -1 : 1))
  if (opts.table === undefined) return { jobs, all: loaded.seeds }
  const only = jobs.filter((j) => j.table === opts.table)
  if (only.length === 0) {
    throw new DdbmError(
      'USAGE',
      `No seed for table "${opts.table}": seeds/ seeds ${jobs.map((j) => j.table).join(', ') || 'no table'}`,
      { table: opts.table, known: jobs.map((j) => j.table) },
    )
  }
  return { jobs: only, all: loaded.seeds }
}

/** Each seeded table against verify's checks plus the `data:` checks of what the seed wrote. */
async function verifySeeded(
  session: Session,
  jobs: readonly Job[],
  data: ReadonlyMap<string, { tally: SeedTally; physical: string }>,
  opts: SeedOptions,
  { readLiveTable, waitForCount, countItems }: SeedRuntime,
): Promise<VerifyResult> {
  const tables: VerifyTable[] = []
  for (const job of jobs) {
    const seeded = data.get(job.table)
    if (seeded === undefined) continue
    const { tally, physical } = seeded
    session.emit({ kind: 'seed', table: physical, status: 'verifying' })
    const live = await readLiveTable(session.client, physical, { logical: job.table })
    const indexes: Record<string, number> = {}
    for (const [name, expected] of Object.entries(tally.indexes)) {
      indexes[name] = await waitForCount(session.client, physical, name, expected, {
        timeoutMs: opts.indexWaitMs ?? 30_000,
      })
    }
    const counts = { items: await countItems(session.client, physical), indexes }
    const checks = compareTable(job.table, job.schema, live, { tally, counts })
    emitChecks(session.emit, checks)
    tables.push({ table: job.table, physical, checks })
  }
  return { env: session.env.name, tables, summary: summarize(tables) }
}

function baseResult(session: Session, job: Job, count: number): SeedTableResult {
  return {
    table: job.table,
    physical: session.tableName(job.table),
    files: job.seeds.map((s) => s.file),
    count,
    written: 0,
    failed: 0,
    retries: 0,
    throttles: 0,
    seconds: 0,
  }
}

function* marshalled({ marshall }: SeedRuntime, items: Iterable<{ item: Item }>) {
  for (const { item } of items) {
    yield marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true })
  }
}

function take(items: Iterable<{ item: Item }>, n: number): Item[] {
  const out: Item[] = []
  for (const { item } of items) {
    if (out.length >= n) break
    out.push(item)
  }
  return out
}

/** Whether a run only reads (a dry run, `verifyOnly`). */
function readOnly(opts: SeedOptions): boolean {
  return opts.dryRun === true || opts.verifyOnly === true
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}

/**
 * The writer of this run's progress into the meta table, for `ddbm studio` (engine/meta/seed-progress.ts);
 * none with an injected meta store or without a meta table.
 */
async function progressOf(
  session: Session,
  opts: SeedOptions,
  store: MetaStore,
  shard: { index: number; count: number } | undefined,
): Promise<SeedProgressWriter | undefined> {
  if (opts.metaStore !== undefined || !(await store.exists())) return undefined
  const { seedProgressWriter } = await import('../engine/meta/seed-progress.js')
  const startedBy = `${appliedBy(opts.processEnv ?? process.env)} pid ${process.pid}`
  const run = { shard: shard === undefined ? '1/1' : `${shard.index}/${shard.count}`, startedBy }
  return seedProgressWriter(session.client, session.env.metaTable, run)
}
