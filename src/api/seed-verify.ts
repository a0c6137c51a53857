import { compareTable } from '../plan/compare.js'
import type { SeedTally } from '../plan/seed-checks.js'
import type { SeedRuntime } from './seed-runtime.js'
import type { Job, SeedOptions, SeedResult, SeedTableResult } from './seed-types.js'
import type { Session } from './session.js'
import {
  emitChecks,
  summarize,
  throwOnDrift,
  type VerifyResult,
  type VerifyTable,
} from './verify.js'

/**
 * The end of a run that covers the whole seed (written in full, or `verifyOnly`): the post-seed checks,
 * the `summarizeBy` counts, and VERIFY_DRIFT (exit 3) carrying the result on drift.
 */
export async function verified(
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
