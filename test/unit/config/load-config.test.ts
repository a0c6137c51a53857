import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { ConfigFile } from '../../../src/config/config-file.js'
import { loadProject, readProject, resolveEnv } from '../../../src/config/load-config.js'
import { DdbmError } from '../../../src/errors.js'
import { tempTree } from '../../helpers/temp-tree.js'

const config = ConfigFile.parse({
  version: 1,
  environments: {
    local: { endpoint: 'embedded' },
    dev: { region: 'eu-west-1' },
    prod: { region: 'eu-west-1', protected: true, tableNameTemplate: 'maip-{env}-{table}' },
  },
})

/** A temp project root whose ddbm.config.json is `text`; removed when the test ends. */
function projectWith(text: string): Promise<string> {
  return tempTree('ddbm-config-', { 'ddbm.config.json': text })
}

describe('resolveEnv', () => {
  test('defaults: the "local" environment on the embedded engine, region us-east-1', () => {
    expect(resolveEnv(config, {}, {})).toStrictEqual({
      name: 'local',
      protected: false,
      backups: 'off',
      backupsSet: false,
      endpoint: 'embedded',
      region: 'us-east-1',
      profile: undefined,
      tableNameTemplate: '{table}-{env}',
      metaTable: 'ddbm_migrations-local',
      local: { port: 0, storage: 'disk', javaOptions: ['-Xmx1g'], idleTimeout: '10m' },
      lock: { leaseMs: 20_000 },
    })
  })

  test('flags beat the config, which beats AWS_* variables', () => {
    const processEnv = {
      AWS_REGION: 'us-west-2',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9999',
      AWS_PROFILE: 'team',
    }
    const dev = resolveEnv(config, { env: 'dev' }, processEnv)
    expect([dev.region, dev.endpoint, dev.profile]).toStrictEqual([
      'eu-west-1',
      'http://127.0.0.1:9999',
      'team',
    ])
    const flagged = resolveEnv(
      config,
      { env: 'dev', region: 'ap-south-1', endpoint: 'http://localhost:8000', profile: 'me' },
      processEnv,
    )
    expect([flagged.region, flagged.endpoint, flagged.profile]).toStrictEqual([
      'ap-south-1',
      'http://localhost:8000',
      'me',
    ])
  })

  test('per-environment template and protection', () => {
    const prod = resolveEnv(config, { env: 'prod' }, {})
    expect(prod.protected).toBe(true)
    expect(prod.metaTable).toBe('maip-prod-ddbm_migrations')
  })

  test('backups default to before-destructive on protected environments only; the config may choose', () => {
    const withBackups = ConfigFile.parse({
      version: 1,
      environments: {
        local: {},
        prod: { protected: true },
        staging: { protected: true, backups: 'off' },
        qa: { backups: 'before-destructive' },
      },
    })
    const backups = ['local', 'prod', 'staging', 'qa'].map((env) => {
      const r = resolveEnv(withBackups, { env }, {})
      return `${env} ${String(r.protected)} ${r.backups} ${String(r.backupsSet)}`
    })
    expect(backups).toStrictEqual([
      'local false off false',
      'prod true before-destructive false',
      'staging true off true',
      'qa false before-destructive true',
    ])
  })

  test('DDBM_ENV selects the environment when --env is absent', () => {
    expect(resolveEnv(config, {}, { DDBM_ENV: 'dev' }).name).toBe('dev')
  })

  test('an unknown environment is ENV_UNKNOWN (exit 2) naming the known ones', () => {
    const err = catchError(() => resolveEnv(config, { env: 'qa' }, {}))
    expect(err.code).toBe('ENV_UNKNOWN')
    expect(err.exitCode).toBe(2)
    expect(err.message).toMatchInlineSnapshot(`"Unknown environment "qa"; known: local, dev, prod"`)
    expect(err.hint).toMatchInlineSnapshot(
      `"Pass one of --env local | dev | prod, or add "qa" to ddbm.config.json."`,
    )
  })

  test('an endpoint that is not an http(s) URL is ENDPOINT_INVALID', () => {
    const err = catchError(() => resolveEnv(config, { env: 'dev', endpoint: 'localhost:8000' }, {}))
    expect(err.code).toBe('ENDPOINT_INVALID')
    expect(err.exitCode).toBe(2)
  })
})

describe('readProject', () => {
  test('the repository config is valid', async () => {
    const { project, issues } = await readProject(process.cwd())
    expect(issues).toStrictEqual([])
    expect(Object.keys(project?.config.environments ?? {})).toStrictEqual([
      'local',
      'dev',
      'staging',
      'prod',
    ])
    expect(project?.config.environments.prod?.protected).toBe(true)
  })

  test('every problem of a bad config is reported with its path', async () => {
    const dir = await projectWith(
      JSON.stringify({
        version: 2,
        tableNameTemplate: '{env}-{tabel}',
        enviroments: {},
        environments: { Dev: {}, prod: { endpoint: 'ftp://x', protected: 'yes' } },
      }),
    )
    const { issues } = await readProject(dir)
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toMatchInlineSnapshot(`
      [
        "enviroments: unknown property "enviroments" (line 1, column 50)",
        "version: 2 is not a valid version (line 1, column 2)",
        "tableNameTemplate: must contain "{table}" (line 1, column 14)",
        "tableNameTemplate: only the placeholders "{table}" and "{env}" are known (line 1, column 14)",
        "environments.Dev: the key "Dev" is not valid: environment names are 1-32 chars of [a-z0-9_-] (line 1, column 83)",
        "environments.prod.endpoint: "ftp://x" is not a valid URL (line 1, column 100)",
        "environments.prod.protected: expected true or false, found "yes" (line 1, column 121)",
        "defaultEnv: is not set, and its default "local" is not one of the environments",
      ]
    `)
  })

  test('a config that is not JSON is one issue, and loadProject throws CONFIG_INVALID', async () => {
    const dir = await projectWith('{ "version": 1, ')
    const { issues } = await readProject(dir)
    expect(issues).toHaveLength(1)
    expect(issues[0]).toStrictEqual({
      file: 'ddbm.config.json',
      path: '',
      message: 'is not valid JSON: Expected double-quoted property name (line 1, column 17)',
      hint: 'fix the JSON syntax at line 1, column 17; JSON allows no comments, no trailing commas and only double-quoted strings',
    })
    await expect(loadProject(dir)).rejects.toMatchObject({ code: 'CONFIG_INVALID' })
  })

  test('the config is found from a subfolder; a folder without one is CONFIG_NOT_FOUND', async () => {
    const dir = await projectWith(
      JSON.stringify({ version: 1, environments: { dev: {} }, defaultEnv: 'dev' }),
    )
    await mkdir(join(dir, 'schemas', 'deep'), { recursive: true })
    const project = await loadProject(join(dir, 'schemas', 'deep'))
    expect(project.root).toBe(dir)
    expect(project.schemasDir).toBe(join(dir, 'schemas'))
    const empty = await tempTree('ddbm-none-', {})
    await expect(loadProject(empty)).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' })
  })

  test('defaultEnv must name an environment', async () => {
    const dir = await projectWith(JSON.stringify({ version: 1, environments: { dev: {} } }))
    const { issues } = await readProject(dir)
    expect(issues).toStrictEqual([
      {
        file: 'ddbm.config.json',
        path: 'defaultEnv',
        message: 'is not set, and its default "local" is not one of the environments',
        hint: 'Use one of "dev", or add it under "environments".',
      },
    ])
  })
})

function catchError(fn: () => unknown): DdbmError {
  try {
    fn()
  } catch (err) {
    if (err instanceof DdbmError) return err
    throw err
  }
  throw new Error('expected a DdbmError')
}
