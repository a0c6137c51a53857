import { spawn } from 'node:child_process'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { VERSION } from '../../src/version.js'
import { CLI, ddbm } from '../helpers/cli.js'
import { tempTree, tmpProject } from '../helpers/temp-tree.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TWENTY = fileURLToPath(new URL('../fixtures/projects/twenty-mistakes', import.meta.url))

const ITEMS = {
  TableName: 'items',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
}

describe('ddbm --help and --version', () => {
  test('--help lists every command of the contract, exit 0', async () => {
    const run = await ddbm(['--help'], { cwd: ROOT })
    expect(run.code).toBe(0)
    for (const command of ['validate', 'migrate', 'verify', 'seed', 'db', 'local', 'init'])
      expect(run.stdout).toContain(`ddbm ${command}`)
    for (const option of [
      '--env',
      '--config',
      '--endpoint',
      '--region',
      '--profile',
      '--json',
      '--yes',
      '--quiet',
      '--verbose',
    ])
      expect(run.stdout).toContain(option)
  })

  test('migrate --help lists its subcommands', async () => {
    const run = await ddbm(['migrate', '--help'], { cwd: ROOT })
    expect(run.code).toBe(0)
    for (const sub of ['up', 'down', 'status', 'create', 'generate', 'unlock', 'resolve'])
      expect(run.stdout).toContain(`ddbm migrate ${sub}`)
  })

  test('--version prints the package version', async () => {
    const run = await ddbm(['--version'], { cwd: ROOT })
    expect([run.code, run.stdout.trim()]).toStrictEqual([0, VERSION])
  })

  test('`npx ddbm` on this repository runs the built CLI (the README: the build makes its bin executable)', async () => {
    expect((await stat(CLI)).mode & 0o111).not.toBe(0)
    const npx = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn('npx', ['--no-install', 'ddbm', '--version'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      let stdout = ''
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.on('error', reject)
      child.on('close', (code) => resolve({ code, stdout }))
    })
    expect([npx.code, npx.stdout.trim()]).toStrictEqual([0, VERSION])
  })
})

describe('usage errors and exit codes', () => {
  test('an unknown command is a usage error: exit 2, one JSON error document', async () => {
    const run = await ddbm(['frobnicate', '--json'], { cwd: ROOT })
    expect(run.code).toBe(2)
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      error: { code: 'USAGE', exitCode: 2 },
    })
  })

  test('an unknown option is a usage error (strict parsing)', async () => {
    const run = await ddbm(['validate', '--tabel', 'x'], { cwd: ROOT })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('Unknown argument')
  })

  test('an unknown --env: exit 2, listing the known ones', async () => {
    const run = await ddbm(['validate', '--env', 'qa'], { cwd: ROOT })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('Unknown environment "qa"; known: local, dev, staging, prod')
    const json = await ddbm(['validate', '--env', 'qa', '--json'], { cwd: ROOT })
    expect(JSON.parse(json.stdout).error).toMatchObject({
      code: 'ENV_UNKNOWN',
      details: { env: 'qa', known: ['local', 'dev', 'staging', 'prod'] },
    })
  })

  test('a handler failure (init over an existing project): its code and exit code, no stack trace', async () => {
    const cwd = await tmpProject()
    const run = await ddbm(['init', '--json'], { cwd })
    expect(run.code).toBe(2)
    expect(JSON.parse(run.stdout).error.code).toBe('INIT_EXISTS')
    expect(run.stderr).not.toContain('    at ')
  })

  test.each([
    [['--json'], '', 'Name a command.'],
    [['migrate', '--json'], 'migrate', 'Not enough non-option arguments: got 0, need at least 1'],
    [
      ['migrate', 'create', '--json'],
      'migrate create',
      'Not enough non-option arguments: got 0, need at least 1',
    ],
    [
      ['migrate', 'up', '--to', '0001_a', '--step', '1', '--json'],
      'migrate up',
      'Arguments to and step are mutually exclusive',
    ],
    [
      ['local', 'start', '--storage', 'tape', '--json'],
      'local start',
      'Invalid values:\n  Argument: storage, Given: "tape", Choices: "disk", "memory"',
    ],
    [['validate', '--tabel', 'x', '--json'], 'validate', 'Unknown argument: --tabel'],
  ])(
    'usage error %j with --json: exactly one JSON document, exit 2',
    async (args, command, message) => {
      const run = await ddbm(args, { cwd: ROOT })
      expect(run.code).toBe(2)
      expect(JSON.parse(run.stdout)).toStrictEqual({
        ok: false,
        command,
        error: {
          code: 'USAGE',
          exitCode: 2,
          message,
          hint: 'Run `ddbm --help` or `ddbm <command> --help` for the options.',
        },
      })
      expect(run.stderr).toContain(`error: ${message}`)
    },
  )

  test('--json=false and --no-json give human output, also for usage errors', async () => {
    for (const flag of ['--json=false', '--no-json']) {
      const run = await ddbm(['migrate', 'create', flag], { cwd: ROOT })
      expect([run.code, run.stdout]).toStrictEqual([2, ''])
      expect(run.stderr).toContain('error: Not enough non-option arguments')
    }
  })

  test('no config file: exit 2 with the init hint', async () => {
    const dir = await tempTree('ddbm-empty-', {})
    const run = await ddbm(['validate'], { cwd: dir })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/No ddbm.config.json in .* or any parent folder/)
    expect(run.stderr).toContain('hint: Run `ddbm init`')
  })
})

describe('ddbm validate', () => {
  test('the example project is valid; --json lists its tables with physical names', async () => {
    const run = await ddbm(['validate', '--json', '--env', 'prod'], { cwd: ROOT })
    expect(run.code).toBe(0)
    const doc = JSON.parse(run.stdout)
    expect(doc.ok).toBe(true)
    expect(doc.result.tables.map((t: { physicalName: string }) => t.physicalName)).toStrictEqual([
      'Candidates-prod',
      'EngagementHistory-prod',
      'ProgramConfig-prod',
      'ScoreCache-prod',
      'items-prod',
    ])
  })

  test('a maip-{env}-{table} template is honoured', async () => {
    const dir = await tmpProject({
      'ddbm.config.json': {
        version: 1,
        defaultEnv: 'dev',
        tableNameTemplate: 'maip-{env}-{table}',
        environments: { dev: {} },
      },
      'schemas/items.json': {
        TableName: 'items',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      },
    })
    const run = await ddbm(['validate', '--json'], { cwd: dir })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout).result.tables[0].physicalName).toBe('maip-dev-items')
  })

  test('the environment comes from --env, else DDBM_ENV, else defaultEnv, as for every command', async () => {
    const dir = await tmpProject({
      'ddbm.config.json': {
        version: 1,
        defaultEnv: 'dev',
        environments: { dev: {}, qa: {} },
      },
      'schemas/items.json': ITEMS,
    })
    const names = async (args: string[], env: Record<string, string | undefined>) => {
      const run = await ddbm(['validate', '--json', ...args], { cwd: dir, env })
      const doc = JSON.parse(run.stdout)
      return [run.code, doc.result.env, doc.result.tables[0].physicalName]
    }
    expect(await names([], { DDBM_ENV: undefined })).toStrictEqual([0, 'dev', 'items-dev'])
    expect(await names([], { DDBM_ENV: 'qa' })).toStrictEqual([0, 'qa', 'items-qa'])
    expect(await names(['--env', 'dev'], { DDBM_ENV: 'qa' })).toStrictEqual([0, 'dev', 'items-dev'])
    const unknown = await ddbm(['validate', '--json'], { cwd: dir, env: { DDBM_ENV: 'nope' } })
    expect([unknown.code, JSON.parse(unknown.stdout).error]).toMatchObject([
      2,
      { code: 'ENV_UNKNOWN', details: { env: 'nope', known: ['dev', 'qa'] } },
    ])
  })

  test('run from a subfolder, files are named relative to the project root', async () => {
    const dir = await tmpProject({ 'schemas/items.json': ITEMS, 'src/deep/.keep': '' })
    const run = await ddbm(['validate', '--json'], { cwd: join(dir, 'src', 'deep') })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout).result.tables).toStrictEqual([
      { name: 'items', file: 'schemas/items.json', physicalName: 'items-local' },
    ])

    const broken = await ddbm(['validate', '--json'], { cwd: join(TWENTY, 'schemas') })
    expect(broken.code).toBe(2)
    const issues = JSON.parse(broken.stdout).error.details.issues as { file: string }[]
    expect(issues).toHaveLength(20)
    for (const issue of issues) expect(issue.file).toMatch(/^schemas\/[A-Za-z]+\.json$/)
    const human = await ddbm(['validate'], { cwd: join(TWENTY, 'schemas') })
    expect(human.stderr.split('\n').filter((l) => l.startsWith('schemas/'))).toHaveLength(20)
  })

  test('20 mistakes: all 20 reported, each with file, path and hint; exit 2', async () => {
    const run = await ddbm(['validate'], { cwd: TWENTY })
    expect(run.code).toBe(2)
    const problems = run.stderr.split('\n').filter((l) => l.startsWith('schemas/'))
    expect(problems).toHaveLength(20)
    expect(run.stderr.split('\n').filter((l) => l.startsWith('  hint: '))).toHaveLength(20)
    expect(run.stderr).toContain('error: 20 problems found')

    const json = await ddbm(['validate', '--json'], { cwd: TWENTY })
    expect(json.code).toBe(2)
    const issues = JSON.parse(json.stdout).error.details.issues as Record<string, string>[]
    expect(issues).toHaveLength(20)
    for (const issue of issues) {
      expect(issue.file).toMatch(/^schemas\/.+\.json$/)
      expect(issue.hint).toBeTruthy()
      expect(typeof issue.path).toBe('string')
    }
  })
})
