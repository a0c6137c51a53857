import { DdbmError } from '../errors.js'
import { interruptedError, throwIfInterrupted } from '../interrupt.js'
import type { SeedTally } from '../plan/seed-checks.js'
import type { Item } from '../seed/define-seed.js'
import { precheck } from '../seed/precheck.js'
import { checkSeedModes, rangeTotal, shardVerifySkipped } from '../seed/shard.js'
import type { SeedProgressWriter } from '../engine/meta/seed-progress.js'
import type { MetaStore } from '../engine/meta/meta-store.js'
import { appliedBy, metaStoreOf } from './migrate-shared.js'
import {
  checkEnvironment,
  guardDestructive,
  recordEnvironment,
  type EnvironmentCheck,
} from './protection.js'
import { plan } from './seed-plan.js'
import { seedRuntime, type SeedRuntime } from './seed-runtime.js'
import type { Job, SeedOptions, SeedResult, SeedTableResult } from './seed-types.js'
import { verified } from './seed-verify.js'
import { withSession, type Session } from './session.js'

/** `--shard I/N` parsed (USAGE on anything else), and the shapes of the shard option and result. */
export { parseShard, type Shard, type ShardRange } from '../seed/shard.js'
export type { SeedOptions, SeedResult, SeedTableResult } from './seed-types.js'

/** The hint of an interrupted seed. */
const SEED_INTERRUPTED_HINT =
  'Re-run `ddbm seed`: writes are idempotent puts, so it writes every item again, those not written included.'

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
