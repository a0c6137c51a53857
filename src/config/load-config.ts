import { readFile, access } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { DdbmError } from '../errors.js'
import type { Issue } from '../issues.js'
import { locateJsonPath, parseJson } from '../json-text.js'
import { describeZodIssues } from '../zod-issues.js'
import {
  ConfigFile,
  DEFAULT_TABLE_NAME_TEMPLATE,
  EMBEDDED,
  type LocalSettings,
  type LockSettings,
} from './config-file.js'
import { physicalName } from './table-names.js'

/** Name of the config file ddbm looks for, from the working directory upwards. */
export const CONFIG_FILE_NAME = 'ddbm.config.json'

/** Example values for the hints about missing or mistyped config properties, by property name. */
const EXAMPLES: Record<string, string> = {
  environments: '{ "local": { "endpoint": "embedded" } }',
  endpoint: '"embedded"',
  region: '"eu-west-1"',
  tableNameTemplate: '"{table}-{env}"',
  defaultEnv: '"local"',
}

/** The smallest config, for hints. */
const MINIMAL = `{ "version": 1, "environments": ${EXAMPLES.environments} }`

/** Where a command runs: the config file, the project root and its folders. */
export type Project = {
  root: string
  configFile: string
  config: ConfigFile
  schemasDir: string
  migrationsDir: string
  seedsDir: string
  /** `.ddbm/` under the root: embedded engine state, log and data. */
  stateDir: string
}

/** The environment a command talks to, after flags, config and AWS_* variables are combined. */
export type ResolvedEnv = {
  name: string
  protected: boolean
  /**
   * Backups before confirmed table and GSI deletions: the config's `backups`, by default
   * `before-destructive` when `protected` and `off` otherwise. `backupsSet` tells whether the config
   * chose (an environment protected by its meta table's record takes the protected default otherwise).
   */
  backups: 'before-destructive' | 'off'
  backupsSet: boolean
  /** 'embedded': ddbm's DynamoDB Local; a URL; or undefined for the AWS default endpoint. */
  endpoint: typeof EMBEDDED | string | undefined
  region: string | undefined
  profile: string | undefined
  tableNameTemplate: string
  metaTable: string
  local: LocalSettings
  lock: LockSettings
}

/** Overrides from the command line (and the process environment, passed in for testability). */
export type EnvOverrides = {
  env?: string
  endpoint?: string
  region?: string
  profile?: string
  /**
   * Put before every physical table name of the environment, the meta table's included (the template
   * becomes `<tablePrefix><template>`), so that test workers sharing one engine each get their own tables.
   * Letters, digits, `_`, `.` and `-` only; default none.
   */
  tablePrefix?: string
}

/** Finds ddbm.config.json: `explicit` if given, else the first one from `cwd` upwards. */
export async function findConfigFile(cwd: string, explicit?: string): Promise<string> {
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit)
    if (!(await exists(file)))
      throw new DdbmError('CONFIG_NOT_FOUND', `Config file ${explicit} does not exist`)
    return file
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const file = join(dir, CONFIG_FILE_NAME)
    if (await exists(file)) return file
    if (dirname(dir) === dir) break
  }
  throw new DdbmError('CONFIG_NOT_FOUND', `No ${CONFIG_FILE_NAME} in ${cwd} or any parent folder`)
}

/**
 * Reads and validates the config file. Returns every problem as issues rather than throwing, so that
 * `ddbm validate` can report them with the schema problems; see loadProject. Issues name the config file
 * relative to the project root (the folder that holds it), whatever `cwd` is. All problems come at once:
 * the format's (zod) and a `defaultEnv` naming no environment together, each message ending with the line
 * and column of the property in the file (of its nearest present ancestor when it is missing); a JSON
 * syntax error is one issue with its line and column.
 */
export async function readProject(
  cwd: string,
  explicit?: string,
): Promise<{ project?: Project; issues: Issue[] }> {
  const configFile = await findConfigFile(cwd, explicit)
  const root = dirname(configFile)
  const file = basename(configFile)
  const text = await readFile(configFile, 'utf8')
  const json = parseJson(text, file, `write e.g. ${MINIMAL}, or delete it and run \`ddbm init\``)
  if ('issue' in json) return { issues: [json.issue] }
  const raw = json.data
  const parsed = ConfigFile.safeParse(raw)
  const located = (issue: Issue): Issue => {
    const at = issue.path === '' ? undefined : locateJsonPath(text, issue.path)
    return at === undefined ? issue : { ...issue, message: `${issue.message} (${at})` }
  }
  const envIssues = checkDefaultEnv(file, raw).map(located)
  if (!parsed.success) {
    const texts = describeZodIssues(parsed.error.issues, raw, {
      schema: ConfigFile,
      examples: EXAMPLES,
      rootHint: `write one JSON object, e.g. ${MINIMAL}`,
      fallbackHint: "See ddbm's docs/config.md for every field.",
    })
    return { issues: [...texts.map((t) => located({ file, ...t })), ...envIssues] }
  }
  const config = parsed.data
  const project: Project = {
    root,
    configFile,
    config,
    schemasDir: resolve(root, config.schemasDir),
    migrationsDir: resolve(root, config.migrationsDir),
    seedsDir: resolve(root, config.seedsDir),
    stateDir: join(root, '.ddbm'),
  }
  return { project, issues: envIssues }
}

/** readProject that throws CONFIG_INVALID listing every issue. */
export async function loadProject(cwd: string, explicit?: string): Promise<Project> {
  const { project, issues } = await readProject(cwd, explicit)
  if (project === undefined || issues.length > 0) {
    const n = issues.length
    throw new DdbmError(
      'CONFIG_INVALID',
      `${n} problem${n === 1 ? '' : 's'} in ${CONFIG_FILE_NAME}`,
      {
        issues,
      },
    )
  }
  return project
}

/**
 * Picks the environment and combines its settings. Precedence, highest first: flags; the environment in
 * ddbm.config.json; AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL, AWS_REGION / AWS_DEFAULT_REGION, AWS_PROFILE.
 * Unknown names are ENV_UNKNOWN (exit 2) listing the known ones.
 */
export function resolveEnv(
  config: ConfigFile,
  flags: EnvOverrides,
  processEnv: Record<string, string | undefined>,
): ResolvedEnv {
  const name = flags.env ?? processEnv.DDBM_ENV ?? config.defaultEnv
  const env = config.environments[name]
  if (env === undefined) {
    const known = Object.keys(config.environments)
    throw new DdbmError(
      'ENV_UNKNOWN',
      `Unknown environment "${name}"; known: ${known.join(', ')}`,
      { env: name, known },
      { hint: `Pass one of --env ${known.join(' | ')}, or add "${name}" to ddbm.config.json.` },
    )
  }
  const endpoint =
    flags.endpoint ??
    env.endpoint ??
    processEnv.AWS_ENDPOINT_URL_DYNAMODB ??
    processEnv.AWS_ENDPOINT_URL ??
    undefined
  if (endpoint !== undefined && endpoint !== EMBEDDED && !isHttpUrl(endpoint)) {
    throw new DdbmError('ENDPOINT_INVALID', `Endpoint "${endpoint}" is not an http(s) URL`)
  }
  const template =
    checkTablePrefix(flags.tablePrefix) +
    (env.tableNameTemplate ?? config.tableNameTemplate ?? DEFAULT_TABLE_NAME_TEMPLATE)
  return {
    name,
    protected: env.protected,
    backups: env.backups ?? (env.protected ? 'before-destructive' : 'off'),
    backupsSet: env.backups !== undefined,
    endpoint,
    region:
      flags.region ??
      env.region ??
      processEnv.AWS_REGION ??
      processEnv.AWS_DEFAULT_REGION ??
      (endpoint === EMBEDDED ? 'us-east-1' : undefined),
    profile: flags.profile ?? env.profile ?? processEnv.AWS_PROFILE,
    tableNameTemplate: template,
    metaTable: physicalName(config.metaTable, name, template),
    local: config.local,
    lock: config.lock,
  }
}

/** The prefix itself ('' when absent); USAGE when it holds a character DynamoDB refuses in a name. */
function checkTablePrefix(prefix: string | undefined): string {
  if (prefix === undefined || /^[a-zA-Z0-9_.-]*$/.test(prefix)) return prefix ?? ''
  throw new DdbmError(
    'USAGE',
    `Table prefix "${prefix}" holds characters DynamoDB refuses in a table name`,
    { name: 'tablePrefix' },
    { hint: 'Use only letters, digits, "_", "." and "-", e.g. "w1_".' },
  )
}

/**
 * `defaultEnv` (default "local") naming no environment, checked on the raw file so that it is reported
 * with the format's problems; nothing when `environments` is not an object (the format reports that).
 */
function checkDefaultEnv(file: string, raw: unknown): Issue[] {
  if (!isObject(raw) || !isObject(raw.environments)) return []
  const defaultEnv = raw.defaultEnv ?? 'local'
  const known = Object.keys(raw.environments)
  if (
    typeof defaultEnv !== 'string' ||
    known.length === 0 ||
    Object.hasOwn(raw.environments, defaultEnv)
  )
    return []
  const quoted = known.map((k) => JSON.stringify(k)).join(', ')
  return [
    {
      file,
      path: 'defaultEnv',
      message:
        raw.defaultEnv === undefined
          ? 'is not set, and its default "local" is not one of the environments'
          : `"${defaultEnv}" is not one of the environments`,
      hint: `Use one of ${quoted}, or add it under "environments".`,
    },
  ]
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file)
    return true
  } catch {
    return false
  }
}
