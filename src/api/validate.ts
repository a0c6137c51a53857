import path from 'node:path'
import { readProject, resolveEnv } from '../config/load-config.js'
import { checkPhysicalNames, physicalName } from '../config/table-names.js'
import { DdbmError } from '../errors.js'
import { sortIssues, type Issue } from '../issues.js'
import { loadMigrations } from '../schema/load-migrations.js'
import { loadSchemas } from '../schema/load-schemas.js'
import { replay } from '../plan/replay.js'
import type { LoadedSeed } from '../seed/define-seed.js'
import { orderSeeds } from '../seed/order.js'
import type { ProjectOptions } from './session.js'

/** Options of validate(): where the project is, and which environment's physical names to show. */
export type ValidateOptions = ProjectOptions & {
  /** The environment (`--env`); default: DDBM_ENV, else the config's defaultEnv, as every command. */
  env?: string
  /**
   * `--endpoint`: checked as every command checks it (ENDPOINT_INVALID unless an http(s) URL or
   * "embedded"), never contacted.
   */
  endpoint?: string
  /** Defaults to process.env (DDBM_ENV); tests pass their own. */
  processEnv?: Record<string, string | undefined>
}

/** What a valid project holds: its tables with their physical names in one environment, its migrations. */
export type ValidateResult = {
  /** Absolute path of ddbm.config.json. */
  configFile: string
  /** The environment whose physical names are shown (`--env`, else DDBM_ENV, else the config's default). */
  env: string
  /** Every table of schemas/; `file` is relative to the project root (`schemas/Orders.json`). */
  tables: { name: string; file: string; physicalName: string }[]
  migrations: string[]
  /** Every seed of seeds/ (generators and fixtures), relative to the project root, in the order they run. */
  seeds: string[]
  issues: Issue[]
}

/**
 * Checks ddbm.config.json, schemas/, migrations/ and seeds/ offline (no endpoint is contacted) and reports
 * every problem at once: throws SCHEMA_INVALID (else MIGRATION_INVALID, else SEED_INVALID, or
 * CONFIG_INVALID when only the config is wrong) with all issues in `details.issues`. Seeds are loaded
 * (`.seed.ts` files run with tsx) and checked by checkSeeds, whose sample draws a few items of each
 * generator in the config's defaultEnv. Files are named relative to the project root, from whatever
 * folder below it this runs; the environment is resolved as for every other command (ENV_UNKNOWN otherwise).
 */
export async function validate(opts: ValidateOptions = {}): Promise<ValidateResult> {
  const cwd = opts.cwd ?? process.cwd()
  const { project, issues: configIssues } = await readProject(cwd, opts.config)
  if (project === undefined) throw invalid('CONFIG_INVALID', configIssues)
  const root = project.root
  const { tables, issues: schemaIssues } = await loadSchemas(project.schemasDir, { root })
  const loaded = await loadMigrations(project.migrationsDir, { root })
  const schemaTables = tables.map((t) => t.table.TableName)
  const replayed = replay(loaded.migrations, { tables: schemaTables })
  const migrationIssues = [...loaded.issues, ...replayed.issues]
  const nameIssues = checkPhysicalNames(
    tables.map((t) => t.table.TableName),
    project.config,
    path.relative(root, project.configFile),
  )
  // tsx runs the .seed.ts files and faker draws their sample: loaded here, for a project with seeds only.
  const { loadSeeds } = await import('../engine/seed/load-seeds.js')
  const seedsLoaded = await loadSeeds(project.seedsDir, { root })
  const { checkSeeds } =
    seedsLoaded.seeds.length === 0
      ? { checkSeeds: noSeeds }
      : await import('../seed/check-seeds.js')
  const seedIssues = [
    ...seedsLoaded.issues,
    ...withoutBrokenTables(
      checkSeeds(seedsLoaded.seeds, {
        tables: tables.map((t) => t.table),
        environments: Object.keys(project.config.environments),
        env: project.config.defaultEnv,
      }),
      seedsLoaded.seeds,
      schemaIssues,
    ),
  ]
  const issues = sortIssues([
    ...configIssues,
    ...schemaIssues,
    ...nameIssues,
    ...migrationIssues,
    ...seedIssues,
  ])
  if (issues.length > 0) {
    const code =
      schemaIssues.length > 0
        ? 'SCHEMA_INVALID'
        : migrationIssues.length > 0
          ? 'MIGRATION_INVALID'
          : seedIssues.length > 0
            ? 'SEED_INVALID'
            : 'CONFIG_INVALID'
    throw invalid(code, issues)
  }
  const flags = {
    ...(opts.env === undefined ? {} : { env: opts.env }),
    ...(opts.endpoint === undefined ? {} : { endpoint: opts.endpoint }),
  }
  const env = resolveEnv(project.config, flags, opts.processEnv ?? process.env)
  return {
    configFile: project.configFile,
    env: env.name,
    tables: tables.map((t) => ({
      name: t.table.TableName,
      file: t.file,
      physicalName: physicalName(t.table.TableName, env.name, env.tableNameTemplate),
    })),
    migrations: loaded.migrations.map((m) => m.name),
    seeds: orderSeeds(seedsLoaded.seeds).order.map((s) => s.file),
    issues: [],
  }
}

/** checkSeeds of no seeds: nothing to check. */
function noSeeds(): Issue[] {
  return []
}

/**
 * The seed issues without those of seeds whose table has a schema file that did not load: that file's
 * own issues are listed, and its table is not "unknown".
 */
function withoutBrokenTables(
  issues: readonly Issue[],
  seeds: readonly LoadedSeed[],
  schemaIssues: readonly Issue[],
): Issue[] {
  const broken = new Set(schemaIssues.map((i) => path.posix.basename(i.file, '.json')))
  const skip = new Set(seeds.filter((s) => broken.has(s.definition.table)).map((s) => s.file))
  return issues.filter((i) => !skip.has(i.file))
}

function invalid(
  code: 'SCHEMA_INVALID' | 'CONFIG_INVALID' | 'MIGRATION_INVALID' | 'SEED_INVALID',
  issues: Issue[],
): DdbmError {
  const n = issues.length
  return new DdbmError(code, `${n} problem${n === 1 ? '' : 's'} found`, { issues })
}
