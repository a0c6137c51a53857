import { EMBEDDED } from '../config/config-file.js'
import { loadProject, resolveEnv, type Project } from '../config/load-config.js'
import { DdbmError } from '../errors.js'
import { silent } from '../events.js'
import { describeOperation } from '../plan/describe.js'
import { diff } from '../plan/diff.js'
import { replay } from '../plan/replay.js'
import type { TableStates } from '../plan/table-state.js'
import { loadMigrations } from '../schema/load-migrations.js'
import { assertValid, loadSchemas } from '../schema/load-schemas.js'
import type { MigrationFile, Operation } from '../schema/operation.js'
import { writeMigration } from './create-migration.js'
import type { SessionOptions } from './session.js'

export type GenerateResult = {
  /** undefined when schemas/ already matches what the migrations produce ("no changes"). */
  file?: string
  name?: string
  up: Operation[]
  down: Operation[]
  /** One line per up operation. */
  plan: string[]
  notes: string[]
  /**
   * Only when nothing changed: the migrations not applied yet in the environment (pending, failed or
   * interrupted), where generate could read them without starting an engine or calling AWS (an embedded
   * engine already running, or a loopback endpoint); absent where it could not.
   */
  pending?: string[]
}

/**
 * `ddbm migrate generate <name>`: diffs schemas/ against the state the existing migrations produce (no
 * database) and writes the next `migrations/NNNN_<name>.json` with explicit `up` and `down`. Writes nothing
 * when there is no change; then, where that needs no engine start and no AWS call, it also reads which
 * migrations the environment (`opts.env` & co.) has not applied (`pending`), so that "no changes" can
 * point to `ddbm migrate up`. Changes DynamoDB cannot make in place are refused (CHANGE_UNSUPPORTED) with
 * the way out. Deterministic: the same inputs give the same bytes.
 */
export async function generateMigration(
  opts: SessionOptions & { name: string },
): Promise<GenerateResult> {
  const cwd = opts.cwd ?? process.cwd()
  const project = await loadProject(cwd, opts.config)
  const tables = assertValid(await loadSchemas(project.schemasDir, { root: project.root }))
  const { migrations, issues } = await loadMigrations(project.migrationsDir, { root: project.root })
  const replayed = replay(migrations, { tables: tables.map((t) => t.table.TableName) })
  const problems = [...issues, ...replayed.issues]
  if (problems.length > 0) {
    throw new DdbmError('MIGRATION_INVALID', `${problems.length} problem(s) in migrations/`, {
      issues: problems,
    })
  }
  const desired: TableStates = Object.fromEntries(tables.map((t) => [t.table.TableName, t.table]))
  const result = diff(replayed.states, desired)
  if (result.problems.length > 0) {
    const message = result.problems.map((p) => `${p.table}: ${p.message}`).join('\n')
    throw new DdbmError(
      'CHANGE_UNSUPPORTED',
      message,
      { problems: result.problems },
      { hint: result.problems.map((p) => p.hint).join('\n') },
    )
  }
  const plan = result.up.map((op) => describeOperation(op))
  if (result.up.length === 0) {
    const pending = await pendingWithoutStart(project, opts)
    return { up: [], down: [], plan, notes: result.notes, ...(pending ? { pending } : {}) }
  }
  const file = (ref: string): MigrationFile => ({
    $schema: ref,
    version: 1,
    ...(result.notes.length > 0 ? { notes: result.notes } : {}),
    up: result.up,
    down: result.down,
  })
  const written = await writeMigration(
    project,
    opts.name,
    'json',
    (_name, ref) => `${JSON.stringify(file(ref), null, 2)}\n`,
  )
  return { ...written, up: result.up, down: result.down, plan, notes: result.notes }
}

/**
 * The migrations the environment has not applied, read from its meta table only where that is cheap and
 * local: a loopback endpoint, or the project's embedded engine when one is running already (read at its
 * URL, so none is started). Undefined anywhere else (real AWS: generate stays offline) and on any failure.
 */
async function pendingWithoutStart(
  project: Project,
  opts: SessionOptions,
): Promise<string[] | undefined> {
  try {
    const env = resolveEnv(project.config, opts, opts.processEnv ?? process.env)
    let endpoint = env.endpoint
    if (endpoint === EMBEDDED) {
      const { localStatus } = await import('./local.js')
      const local = await localStatus(opts)
      if (!local.running) return undefined
      endpoint = local.endpoint
    }
    // The client module loads the AWS SDK: only when a pending-migration lookup may happen.
    const { isLoopback } = await import('../dynamo/client.js')
    if (endpoint === undefined || !isLoopback(endpoint)) return undefined
    const { migrateStatus } = await import('./migrate-admin.js')
    const status = await migrateStatus({ ...opts, endpoint, emit: silent })
    return status.rows
      .filter((r) => r.state === 'pending' || r.state === 'failed' || r.state === 'running')
      .map((r) => r.name)
  } catch {
    return undefined
  }
}
