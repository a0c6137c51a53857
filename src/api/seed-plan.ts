import { DdbmError } from '../errors.js'
import type { Issue } from '../issues.js'
import type { LoadedSeed } from '../seed/define-seed.js'
import { orderSeeds } from '../seed/order.js'
import { assertValid, loadSchemas } from '../schema/load-schemas.js'
import type { TableSchema } from '../schema/table-schema.js'
import type { SeedRuntime } from './seed-runtime.js'
import type { Job, SeedOptions } from './seed-types.js'
import type { Session } from './session.js'

/**
 * Loads schemas/ and seeds/, checks them, and orders the jobs (only `opts.table`'s when given); `all` is
 * every seed, for ref() into tables that are not written.
 */
export async function plan(
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
