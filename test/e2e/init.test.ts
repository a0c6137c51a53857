import { randomUUID } from 'node:crypto'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb'
import { describe, expect, inject, onTestFinished, test } from 'vitest'
import { ddbm, type CliRun } from '../helpers/cli.js'
import { assertLoopback, dropTables, engineClient } from '../helpers/engines.js'
import { tempTree } from '../helpers/temp-tree.js'
import { javaFor } from '../helpers/processes.js'

const SCAFFOLD = [
  'ddbm.config.json',
  'schemas/Tasks.json',
  'migrations/.gitkeep',
  'seeds/Tasks.seed.ts',
]
const NEXT = ['npx ddbm migrate generate init', 'npx ddbm migrate up', 'npx ddbm seed']

/** Every file under `root` (relative path → text), `.ddbm/` left out. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name)
    const rel = path.relative(root, file).split(path.sep).join('/')
    if (entry.isFile() && !rel.startsWith('.ddbm/')) out[rel] = await readFile(file, 'utf8')
  }
  return out
}

/** The parsed `--json` document (untyped: asserted field by field) of a run that must exit `code`. */
function doc(run: CliRun, code = 0) {
  expect(run.code, run.stderr).toBe(code)
  return JSON.parse(run.stdout)
}

/** A table of seed's result. */
type SeededTable = { physical: string; written: number; failed: number }

/** `ddbm init --json` in `cwd`, which must be empty: every file created, the next commands. */
async function scaffold(cwd: string): Promise<void> {
  const init = doc(await ddbm(['init', '--json'], { cwd }))
  expect(init).toStrictEqual({
    ok: true,
    command: 'init',
    result: {
      root: cwd,
      created: SCAFFOLD,
      gitignore: { file: '.gitignore', status: 'created', added: ['.ddbm/'] },
      packageJson: { found: false, suggestions: null },
      next: NEXT,
    },
  })
}

/**
 * The commands init prints, then verify and db reset, each with `at` (the endpoint flags, or none for the
 * embedded engine); the example table is `physical`. Each JSON document is asserted; `beforeReset` runs
 * between verify and reset (to leave something for reset to remove).
 */
async function generateUpSeedVerifyReset(
  cwd: string,
  at: string[],
  physical: string,
  beforeReset: () => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  const generated = doc(await ddbm(['migrate', 'generate', 'init', '--json', ...at], { cwd }))
  expect([generated.result.file, generated.result.plan]).toStrictEqual([
    'migrations/0001_init.json',
    ['create table Tasks (PK HASH, SK RANGE; PAY_PER_REQUEST; GSI StatusIndex; TTL expiresAt)'],
  ])
  const up = doc(await ddbm(['migrate', 'up', '--json', ...at], { cwd }))
  expect(up.result.migrations.map((m: { name: string }) => m.name)).toStrictEqual(['0001_init'])
  const seeded = doc(await ddbm(['seed', '--json', ...at], { cwd }))
  expect(
    seeded.result.tables.map((t: SeededTable) => [t.physical, t.written, t.failed]),
  ).toStrictEqual([[physical, 50, 0]])
  expect(seeded.result.verify.summary).toMatchObject({ drift: 0, pending: 0 })
  const verified = doc(await ddbm(['verify', '--json', ...at], { cwd }))
  expect(verified.result.summary).toMatchObject({ drift: 0, pending: 0 })
  expect(verified.result.tables.map((t: { physical: string }) => t.physical)).toStrictEqual([
    physical,
  ])

  await beforeReset()
  const reset = doc(await ddbm(['db', 'reset', '--json', ...at], { cwd }))
  const meta = physical.replace(/^Tasks/, 'ddbm_migrations')
  expect([...reset.result.deleted].sort()).toStrictEqual([physical, meta].sort())
  expect(reset.result.seed.tables.map((t: SeededTable) => [t.physical, t.written])).toStrictEqual([
    [physical, 50],
  ])
  expect(reset.result.verify.summary).toMatchObject({ drift: 0, pending: 0 })
}

describe('ddbm init', () => {
  test('an empty folder, on an endpoint: init → generate → up → seed → verify → db reset', async () => {
    const endpoint = assertLoopback(inject('dynamodbLocalEndpoint'))
    const cwd = await tempTree('ddbm-init-', {})
    await scaffold(cwd)
    // The scaffolded names get a unique suffix, so this test can share the engine with the others.
    const suffix = randomUUID().slice(0, 8)
    onTestFinished(() => dropTables(endpoint, suffix))
    const configFile = path.join(cwd, 'ddbm.config.json')
    const config = JSON.parse(await readFile(configFile, 'utf8'))
    await writeFile(
      configFile,
      JSON.stringify({ ...config, tableNameTemplate: `{table}-{env}-${suffix}` }),
    )
    const TableName = `Tasks-local-${suffix}`
    const client = engineClient({ endpoint })
    onTestFinished(() => client.destroy())
    const count = async () =>
      (await client.send(new ScanCommand({ TableName, Select: 'COUNT' }))).Count

    await generateUpSeedVerifyReset(cwd, ['--endpoint', endpoint], TableName, async () => {
      const table = (await client.send(new DescribeTableCommand({ TableName }))).Table
      expect(table?.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.IndexStatus])).toStrictEqual(
        [['StatusIndex', 'ACTIVE']],
      )
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName }))
      expect(ttl.TimeToLiveDescription).toStrictEqual({
        AttributeName: 'expiresAt',
        TimeToLiveStatus: 'ENABLED',
      })
      expect(await count()).toBe(50)
      // An item no seed writes: db reset drops the table, so it is gone afterwards.
      await client.send(
        new PutItemCommand({ TableName, Item: { PK: { S: 'EXTRA' }, SK: { S: 'EXTRA' } } }),
      )
      expect(await count()).toBe(51)
    })
    expect(await count()).toBe(50)
  }, 180_000)

  test('an empty folder, on the embedded engine: the same path, and no engine is left running', async () => {
    const cwd = await tempTree('ddbm-init-', {})
    await scaffold(cwd)
    await generateUpSeedVerifyReset(cwd, [], 'Tasks-local')
    const status = doc(await ddbm(['local', 'status', '--json'], { cwd }))
    expect(status.result).toStrictEqual({ running: false })
    expect(javaFor(cwd)).toStrictEqual([])
  }, 240_000)

  test('a second init refuses (exit 2) and changes nothing; text output lists the files and next steps', async () => {
    const cwd = await tempTree('ddbm-init-', {})
    const first = await ddbm(['init'], { cwd })
    expect([first.code, first.stdout]).toStrictEqual([
      0,
      [
        'created ddbm.config.json',
        'created schemas/Tasks.json',
        'created migrations/.gitkeep',
        'created seeds/Tasks.seed.ts',
        'created .gitignore (.ddbm/)',
        '',
        'No package.json here: run ddbm with npx, or add it to a project later.',
        '',
        'next:',
        ...NEXT.map((c) => `  ${c}`),
        '',
      ].join('\n'),
    ])
    const before = await snapshot(cwd)
    const again = doc(await ddbm(['init', '--json'], { cwd }), 2)
    expect(again).toStrictEqual({
      ok: false,
      command: 'init',
      error: {
        code: 'INIT_EXISTS',
        exitCode: 2,
        message:
          'ddbm init writes nothing: these files exist already: ddbm.config.json, schemas/Tasks.json, migrations/.gitkeep, seeds/Tasks.seed.ts',
        hint: 'Move or delete the files listed (nothing was written), or run `ddbm init` in another folder (`--config <folder>/ddbm.config.json`).',
        details: {
          existing: [
            'ddbm.config.json',
            'schemas/Tasks.json',
            'migrations/.gitkeep',
            'seeds/Tasks.seed.ts',
          ],
        },
      },
    })
    const text = await ddbm(['init'], { cwd })
    expect([text.code, text.stdout]).toStrictEqual([2, ''])
    expect(text.stderr).toContain('error: ddbm init writes nothing: these files exist already:')
    expect(await snapshot(cwd)).toStrictEqual(before)
  })

  test('in a project with package.json: prints what to add, and leaves package.json alone', async () => {
    const pkg = `${JSON.stringify({ name: 'shop', private: true, scripts: { test: 'vitest' } }, null, 2)}\n`
    const cwd = await tempTree('ddbm-init-', {
      'package.json': pkg,
      '.gitignore': 'node_modules/\n',
    })
    const run = await ddbm(['init'], { cwd })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain(
      [
        'updated .gitignore (.ddbm/)',
        '',
        'package.json found (ddbm never edits it); add:',
        '  npm install -D ddbm',
        '  "scripts": {',
        '    "db:migrate": "ddbm migrate up",',
        '    "db:seed": "ddbm seed",',
        '    "db:reset": "ddbm db reset"',
        '  }',
        '',
        'next:',
      ].join('\n'),
    )
    const files = await snapshot(cwd)
    expect(files['package.json']).toBe(pkg)
    expect(files['.gitignore']).toBe(
      'node_modules/\n\n# ddbm: embedded DynamoDB Local state, log and data\n.ddbm/\n',
    )
  })
})
