import { loadProject, resolveEnv } from '../config/load-config.js'
import { physicalName } from '../config/table-names.js'
import { assertValid, loadSchemas } from '../schema/load-schemas.js'
import type { SessionOptions } from './session.js'

/** Options of {@link tableNames}: the project and the environment, as a session selects them. */
export type TableNamesOptions = Pick<
  SessionOptions,
  'cwd' | 'config' | 'env' | 'tablePrefix' | 'processEnv'
>

/** The physical names of an environment's tables, and where the project lives. */
export type TableNames = {
  env: string
  /** Absolute project root (the folder of ddbm.config.json) and config file. */
  root: string
  configFile: string
  /** Physical name of every table of schemas/, by logical name. */
  tables: Record<string, string>
  metaTable: string
}

/**
 * The physical names the environment gives the tables of schemas/ and its meta table (template and
 * `tablePrefix` applied). Offline: reads the config and schemas/ only; SCHEMA_INVALID when schemas/ has
 * problems.
 */
export async function tableNames(opts: TableNamesOptions = {}): Promise<TableNames> {
  const project = await loadProject(opts.cwd ?? process.cwd(), opts.config)
  const env = resolveEnv(project.config, opts, opts.processEnv ?? process.env)
  const schemas = assertValid(await loadSchemas(project.schemasDir, { root: project.root }))
  return {
    env: env.name,
    root: project.root,
    configFile: project.configFile,
    tables: Object.fromEntries(
      schemas.map((s) => [
        s.table.TableName,
        physicalName(s.table.TableName, env.name, env.tableNameTemplate),
      ]),
    ),
    metaTable: env.metaTable,
  }
}
