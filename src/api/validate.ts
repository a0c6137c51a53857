import { readProject, resolveEnv, type ConfigIssue } from '../config/load-config.js'
import { checkPhysicalNames, physicalName } from '../config/table-names.js'
import { DdbmError } from '../errors.js'
import { sortIssues, type Issue } from '../schema/issues.js'
import { loadMigrations } from '../schema/load-migrations.js'
import { loadSchemas } from '../schema/load-schemas.js'
import { replay } from '../plan/replay.js'
import type { ProjectOptions } from './session.js'

export type ValidateResult = {
  configFile: string
  /** The environment whose physical names are shown (`--env`, else the config's default). */
  env: string
  tables: { name: string; file: string; physicalName: string }[]
  migrations: string[]
  issues: Issue[]
}

/**
 * Checks ddbm.config.json, schemas/ and migrations/ offline (no endpoint is contacted) and reports every problem at once:
 * throws SCHEMA_INVALID (or CONFIG_INVALID when only the config is wrong) with all issues in `details.issues`.
 */
export async function validate(
  opts: ProjectOptions & { env?: string } = {},
): Promise<ValidateResult> {
  const cwd = opts.cwd ?? process.cwd()
  const { project, issues: configIssues } = await readProject(cwd, opts.config)
  if (project === undefined) throw invalid('CONFIG_INVALID', configIssues)
  const { tables, issues: schemaIssues } = await loadSchemas(project.schemasDir, { root: cwd })
  const loaded = await loadMigrations(project.migrationsDir, { root: cwd })
  const migrationIssues = [...loaded.issues, ...replay(loaded.migrations).issues]
  const nameIssues: ConfigIssue[] = checkPhysicalNames(
    tables.map((t) => t.table.TableName),
    project.config,
    configIssues[0]?.file ?? 'ddbm.config.json',
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
  const env = resolveEnv(project.config, opts.env === undefined ? {} : { env: opts.env }, {})
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
