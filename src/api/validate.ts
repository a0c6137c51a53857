import path from 'node:path'
import { readProject, resolveEnv } from '../config/load-config.js'
import { checkPhysicalNames, physicalName } from '../config/table-names.js'
import { DdbmError } from '../errors.js'
import { sortIssues, type Issue } from '../issues.js'
import { loadMigrations } from '../schema/load-migrations.js'
import { loadSchemas } from '../schema/load-schemas.js'
import { replay } from '../plan/replay.js'
import type { ProjectOptions } from './session.js'

/** Options of validate(): where the project is, and which environment's physical names to show. */
export type ValidateOptions = ProjectOptions & {
  /** The environment (`--env`); default: DDBM_ENV, else the config's defaultEnv, as every command. */
  env?: string
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
  issues: Issue[]
}

/**
 * Checks ddbm.config.json, schemas/ and migrations/ offline (no endpoint is contacted) and reports every
 * problem at once: throws SCHEMA_INVALID (or MIGRATION_INVALID, or CONFIG_INVALID when only the config is
 * wrong) with all issues in `details.issues`. Files are named relative to the project root, from whatever
 * folder below it this runs; the environment is resolved as for every other command (ENV_UNKNOWN otherwise).
 */
export async function validate(opts: ValidateOptions = {}): Promise<ValidateResult> {
  const cwd = opts.cwd ?? process.cwd()
  const { project, issues: configIssues } = await readProject(cwd, opts.config)
  if (project === undefined) throw invalid('CONFIG_INVALID', configIssues)
  const root = project.root
  const { tables, issues: schemaIssues } = await loadSchemas(project.schemasDir, { root })
  const loaded = await loadMigrations(project.migrationsDir, { root })
  const migrationIssues = [...loaded.issues, ...replay(loaded.migrations).issues]
  const nameIssues = checkPhysicalNames(
    tables.map((t) => t.table.TableName),
    project.config,
    path.relative(root, project.configFile),
  )
  const issues = sortIssues([...configIssues, ...schemaIssues, ...nameIssues, ...migrationIssues])
  if (issues.length > 0) {
    const code =
      schemaIssues.length > 0
        ? 'SCHEMA_INVALID'
        : migrationIssues.length > 0
          ? 'MIGRATION_INVALID'
          : 'CONFIG_INVALID'
    throw invalid(code, issues)
  }
  const flags = opts.env === undefined ? {} : { env: opts.env }
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
    issues: [],
  }
}

function invalid(
  code: 'SCHEMA_INVALID' | 'CONFIG_INVALID' | 'MIGRATION_INVALID',
  issues: Issue[],
): DdbmError {
  const n = issues.length
  return new DdbmError(code, `${n} problem${n === 1 ? '' : 's'} found`, { issues })
}
