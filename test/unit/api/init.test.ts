import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { init } from '../../../src/api/init.js'
import {
  CONFIG_TEMPLATE,
  EXAMPLE_SEED_COUNT,
  SEED_TEMPLATE,
  TABLE_TEMPLATE,
} from '../../../src/api/init-templates.js'
import { readProject } from '../../../src/config/load-config.js'
import { loadSeeds } from '../../../src/engine/seed/load-seeds.js'
import { DdbmError } from '../../../src/errors.js'
import { loadSchemas } from '../../../src/schema/load-schemas.js'
import { checkSeeds } from '../../../src/seed/check-seeds.js'
import { generateItems } from '../../../src/seed/generate.js'
import { precheck } from '../../../src/seed/precheck.js'
import { tempTree } from '../../helpers/temp-tree.js'

const NEXT = ['npx ddbm migrate generate init', 'npx ddbm migrate up', 'npx ddbm seed']
const SCAFFOLD_FILES = [
  'ddbm.config.json',
  'schemas/Tasks.json',
  'migrations/.gitkeep',
  'seeds/Tasks.seed.ts',
]
const IGNORE_BLOCK = '# ddbm: embedded DynamoDB Local state, log and data\n.ddbm/\n'

/** Every file under `root` (relative, sorted) with its text. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    out[path.relative(root, file).split(path.sep).join('/')] = await readFile(file, 'utf8')
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)))
}

/** The error init throws in `root`, as [code, exit code, message, details]. */
async function refusal(opts: { cwd: string; config?: string }): Promise<unknown[]> {
  try {
    await init(opts)
  } catch (err) {
    if (!(err instanceof DdbmError)) throw err
    return [err.code, err.exitCode, err.message, err.details]
  }
  throw new Error('expected init to refuse')
}

describe('the scaffolded files', () => {
  test('the config parses, with local on the embedded engine, dev, and a protected prod', async () => {
    const root = await tempTree('ddbm-init-', { 'ddbm.config.json': CONFIG_TEMPLATE })
    const { project, issues } = await readProject(root)
    expect(issues).toStrictEqual([])
    expect(project?.config.$schema).toBe('./node_modules/ddbm/schema/ddbm.config.schema.json')
    expect(project?.config.defaultEnv).toBe('local')
    expect(
      Object.entries(project?.config.environments ?? {}).map(([name, env]) => [
        name,
        env.endpoint,
        env.protected,
      ]),
    ).toStrictEqual([
      ['local', 'embedded', false],
      ['dev', undefined, false],
      ['prod', undefined, true],
    ])
  })

  test("the example table passes validate's rules and has a GSI and TTL", async () => {
    const root = await tempTree('ddbm-init-', { 'schemas/Tasks.json': TABLE_TEMPLATE })
    const { tables, issues } = await loadSchemas(path.join(root, 'schemas'), { root })
    expect(issues).toStrictEqual([])
    const [loaded] = tables
    expect(loaded?.table.$schema).toBe('../node_modules/ddbm/schema/table.schema.json')
    expect(loaded?.table.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toStrictEqual([
      'StatusIndex',
    ])
    expect(loaded?.table.TimeToLiveSpecification).toStrictEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    })
  })

  test("the example seed passes validate's checks and every item fits the table and its index", async () => {
    // A stand-in ddbm in node_modules: the project's own ddbm is the one a seed imports.
    const root = await tempTree('ddbm-init-', {
      'ddbm.config.json': CONFIG_TEMPLATE,
      'schemas/Tasks.json': TABLE_TEMPLATE,
      'seeds/Tasks.seed.ts': SEED_TEMPLATE,
      'node_modules/ddbm/package.json': { name: 'ddbm', exports: './index.cjs' },
      'node_modules/ddbm/index.cjs': 'exports.defineSeed = (definition) => definition\n',
    })
    const { project } = await readProject(root)
    const { tables } = await loadSchemas(path.join(root, 'schemas'), { root })
    const { seeds, issues } = await loadSeeds(path.join(root, 'seeds'), { root })
    expect(issues).toStrictEqual([])
    const schemas = tables.map((t) => t.table)
    const environments = Object.keys(project?.config.environments ?? {})
    expect(checkSeeds(seeds, { tables: schemas, environments, env: 'local' })).toStrictEqual([])

    const [seed] = seeds
    if (seed === undefined || schemas[0] === undefined) throw new Error('no seed or table')
    expect(seed.definition.environments).toStrictEqual(['local', 'dev'])
    const now = Date.parse('2026-03-01T12:00:00Z')
    const items = [...generateItems(seed, { seed: 1, env: 'local', now, seeds })]
    expect(items).toHaveLength(EXAMPLE_SEED_COUNT)
    const tally = precheck(
      'Tasks',
      schemas[0],
      () => items.map((item, i) => ({ item, file: seed.file, i })),
      now,
    )
    // Every item is in StatusIndex, and every TTL value is epoch seconds in the future.
    expect(tally).toStrictEqual({
      written: EXAMPLE_SEED_COUNT,
      before: 0,
      indexes: { StatusIndex: EXAMPLE_SEED_COUNT },
      ttl: {
        attribute: 'expiresAt',
        present: EXAMPLE_SEED_COUNT,
        notNumber: 0,
        milliseconds: 0,
        past: 0,
      },
    })
  })
})

describe('init', () => {
  test('an empty folder: every file, .gitignore created, no package.json', async () => {
    const root = await tempTree('ddbm-init-', {})
    const result = await init({ cwd: root })
    expect(result).toStrictEqual({
      root,
      created: SCAFFOLD_FILES,
      gitignore: { file: '.gitignore', status: 'created', added: ['.ddbm/'] },
      packageJson: { found: false, suggestions: null },
      next: NEXT,
    })
    expect(await snapshot(root)).toStrictEqual({
      '.gitignore': IGNORE_BLOCK,
      'ddbm.config.json': CONFIG_TEMPLATE,
      'migrations/.gitkeep': '',
      'schemas/Tasks.json': TABLE_TEMPLATE,
      'seeds/Tasks.seed.ts': SEED_TEMPLATE,
    })
  })

  test('an existing project: .gitignore lines appended once, package.json read and never written', async () => {
    const pkg = `${JSON.stringify({ name: 'shop', scripts: { 'db:seed': 'node seed.js' } }, null, 2)}\n`
    const root = await tempTree('ddbm-init-', {
      '.gitignore': 'node_modules/\ndist',
      'package.json': pkg,
      'migrations/0001_tables.json': '{}',
    })
    const result = await init({ cwd: root })
    expect(result.created).toStrictEqual([
      'ddbm.config.json',
      'schemas/Tasks.json',
      'seeds/Tasks.seed.ts',
    ])
    expect(result.gitignore).toStrictEqual({
      file: '.gitignore',
      status: 'updated',
      added: ['.ddbm/'],
    })
    expect(result.packageJson).toStrictEqual({
      found: true,
      suggestions: {
        install: 'npm install -D ddbm',
        scripts: { 'db:migrate': 'ddbm migrate up', 'db:reset': 'ddbm db reset' },
      },
    })
    const files = await snapshot(root)
    expect(files['.gitignore']).toBe(`node_modules/\ndist\n\n${IGNORE_BLOCK}`)
    expect(files['package.json']).toBe(pkg)
    expect(files['migrations/0001_tables.json']).toBe('{}')
  })

  test('.gitignore that already ignores .ddbm (any spelling) is left alone; ddbm already a dependency', async () => {
    const root = await tempTree('ddbm-init-', {
      '.gitignore': '/.ddbm\n',
      'package.json': { name: 'shop', devDependencies: { ddbm: '^0.1.0' } },
    })
    const result = await init({ cwd: root })
    expect([result.gitignore, result.packageJson]).toStrictEqual([
      { file: '.gitignore', status: 'unchanged', added: [] },
      {
        found: true,
        suggestions: {
          install: null,
          scripts: {
            'db:migrate': 'ddbm migrate up',
            'db:seed': 'ddbm seed',
            'db:reset': 'ddbm db reset',
          },
        },
      },
    ])
    expect(await readFile(path.join(root, '.gitignore'), 'utf8')).toBe('/.ddbm\n')
  })

  test('any file it would create exists: INIT_EXISTS listing them, nothing written', async () => {
    const root = await tempTree('ddbm-init-', {
      'ddbm.config.json': '{ "mine": true }\n',
      'seeds/Tasks.seed.ts': '// mine\n',
    })
    const before = await snapshot(root)
    expect(await refusal({ cwd: root })).toStrictEqual([
      'INIT_EXISTS',
      2,
      'ddbm init writes nothing: these files exist already: ddbm.config.json, seeds/Tasks.seed.ts',
      { existing: ['ddbm.config.json', 'seeds/Tasks.seed.ts'] },
    ])
    expect(await snapshot(root)).toStrictEqual(before)
  })

  test('a file where a folder must go is refused too', async () => {
    const root = await tempTree('ddbm-init-', { schemas: 'not a folder\n' })
    expect(await refusal({ cwd: root })).toStrictEqual([
      'INIT_EXISTS',
      2,
      'ddbm init writes nothing: this file exists already: schemas',
      { existing: ['schemas'] },
    ])
    expect(await snapshot(root)).toStrictEqual({ schemas: 'not a folder\n' })
  })

  test('--config: the project goes to the folder of the config file (a folder means ddbm.config.json in it)', async () => {
    const root = await tempTree('ddbm-init-', {})
    await mkdir(path.join(root, 'infra'))
    const named = await init({ cwd: root, config: 'db/ddbm.dev.json' })
    expect([named.root, named.created]).toStrictEqual([
      path.join(root, 'db'),
      ['ddbm.dev.json', 'schemas/Tasks.json', 'migrations/.gitkeep', 'seeds/Tasks.seed.ts'],
    ])
    const folder = await init({ cwd: root, config: 'infra' })
    expect([folder.root, folder.created]).toStrictEqual([path.join(root, 'infra'), SCAFFOLD_FILES])
    await writeFile(path.join(root, 'infra', 'extra.txt'), 'x')
    expect((await refusal({ cwd: root, config: 'infra/' }))[0]).toBe('INIT_EXISTS')
  })
})
