import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { loadSeeds } from '../../../../src/engine/seed/load-seeds.js'
import type { LoadedSeed } from '../../../../src/seed/define-seed.js'
import { generateItems } from '../../../../src/seed/generate.js'
import { tempTree } from '../../../helpers/temp-tree.js'

/** loadSeeds of a temp project holding `files` (under seeds/ unless the path says otherwise). */
async function load(files: Record<string, unknown>) {
  const root = await tempTree('ddbm-seeds-', files)
  return loadSeeds(path.join(root, 'seeds'), { root })
}

const all = (seed: LoadedSeed) => [
  ...generateItems(seed, { seed: 1, env: 'local', now: 0, seeds: [seed] }),
]

const CUSTOMERS = `export default {
  table: 'Customers',
  count: { default: 3, staging: 30 },
  summarizeBy: 'tier',
  generate: ({ i }: { i: number }) => ({ PK: \`C#\${i}\`, tier: i % 2 === 0 ? 'gold' : 'silver' }),
}
`

describe('loadSeeds', () => {
  test('no seeds/ folder: no seeds and no issues', async () => {
    expect(await load({ 'schemas/.keep': '' })).toStrictEqual({ seeds: [], issues: [] })
  })

  test('generators and fixtures by file name; README.md and helper modules are ignored', async () => {
    const result = await load({
      'seeds/README.md': '# not a seed',
      'seeds/helpers.ts': 'throw new Error("never imported by ddbm")',
      'seeds/Customers.seed.ts': CUSTOMERS,
      'seeds/accounts.json': { version: 1, table: 'Accounts', items: [{ id: 'a' }, { id: 'b' }] },
    })
    expect(result.issues).toStrictEqual([])
    expect(
      result.seeds.map((s) => [s.file, s.kind, s.definition.table, s.definition.count]),
    ).toStrictEqual([
      ['seeds/Customers.seed.ts', 'generator', 'Customers', { default: 3, staging: 30 }],
      ['seeds/accounts.json', 'fixture', 'Accounts', 2],
    ])
    const [customers, accounts] = result.seeds as [LoadedSeed, LoadedSeed]
    expect(customers.definition.summarizeBy).toBe('tier')
    expect(all(customers)).toStrictEqual([
      { PK: 'C#0', tier: 'gold' },
      { PK: 'C#1', tier: 'silver' },
      { PK: 'C#2', tier: 'gold' },
    ])
    const items = all(accounts)
    expect(items).toStrictEqual([{ id: 'a' }, { id: 'b' }])
    ;(items[0] as { id: string }).id = 'changed'
    expect(all(accounts)[0]).toStrictEqual({ id: 'a' })
  })

  test('in an ES module project, with a helper module imported by the seed', async () => {
    const result = await load({
      'package.json': { name: 'app', type: 'module' },
      'seeds/catalog.ts': "export const TIERS = ['gold', 'silver'] as const\n",
      'seeds/Customers.seed.ts': `import { TIERS } from './catalog.js'
export default { table: 'Customers', count: 2, generate: ({ i }: { i: number }) => ({ PK: String(i), tier: TIERS[i] }) }
`,
    })
    expect(result.issues).toStrictEqual([])
    expect(all(result.seeds[0] as LoadedSeed)).toStrictEqual([
      { PK: '0', tier: 'gold' },
      { PK: '1', tier: 'silver' },
    ])
  })

  test('shape problems: no default export, a misspelt property (did you mean), a bad count', async () => {
    const result = await load({
      'seeds/A.seed.ts': 'export const seed = 1\n',
      'seeds/B.seed.ts': "export default { table: 'B', count: 5, generat: () => ({}) }\n",
      'seeds/C.seed.ts':
        "export default { table: 'C', count: { staging: 5 }, generate: () => ({}) }\n",
    })
    expect(result).toStrictEqual({
      seeds: [],
      issues: [
        {
          file: 'seeds/A.seed.ts',
          path: '',
          message: 'has no default export',
          hint: "add `export default defineSeed({ table: '...', count: 100, generate: ({ faker, i }) => ({ ... }) })`",
        },
        {
          file: 'seeds/B.seed.ts',
          path: 'generat',
          message: 'unknown property "generat"',
          hint: 'did you mean "generate"? allowed properties: "generate", "count", "table", "dependsOn", "environments", "summarizeBy"',
        },
        {
          file: 'seeds/C.seed.ts',
          path: 'count.default',
          message: 'missing required property "default"',
          hint: 'add "default": 500',
        },
      ],
    })
  })

  test('load errors: a syntax error, a missing package, a missing module', async () => {
    const result = await load({
      'seeds/A.seed.ts': "export default { table: 'A', count: 1, generate: ({ i } => ({ i }) }\n",
      'seeds/B.seed.ts':
        "import { pad } from 'left-pad-not-installed'\nexport default { table: 'B', count: 1, generate: () => ({ pad }) }\n",
      'seeds/C.seed.ts':
        "import { x } from './nowhere.js'\nexport default { table: 'C', count: 1, generate: () => ({ x }) }\n",
    })
    expect(result.seeds).toStrictEqual([])
    expect(result.issues).toStrictEqual([
      {
        file: 'seeds/A.seed.ts',
        path: '',
        message: 'could not be loaded: seeds/A.seed.ts:1:56: ERROR: Expected ")" but found "=>"',
        hint: 'fix the TypeScript error above; the file is run with tsx (no build step)',
      },
      {
        file: 'seeds/B.seed.ts',
        path: '',
        message:
          "could not be loaded: cannot find package 'left-pad-not-installed' imported from seeds/B.seed.ts",
        hint: "the package left-pad-not-installed is not installed in this project: add it to the dependencies of your project's package.json (`npm install left-pad-not-installed`)",
      },
      {
        file: 'seeds/C.seed.ts',
        path: '',
        message: expect.stringMatching(/^could not be loaded: cannot find module '.*nowhere/),
        hint: expect.stringMatching(
          /nowhere.* does not exist: fix the import path or add the file$/,
        ),
      },
    ])
  })
})

describe('fixtures', () => {
  test('the dynamodb format is unmarshalled, binary from base64', async () => {
    const result = await load({
      'seeds/blobs.json': {
        version: 1,
        table: 'Blobs',
        format: 'dynamodb',
        environments: ['local'],
        items: [
          {
            id: { S: 'a1' },
            n: { N: '12.5' },
            ok: { BOOL: true },
            data: { B: 'AQL/' },
            tags: { SS: ['x', 'y'] },
            meta: { M: { list: { L: [{ N: '1' }, { NULL: true }] } } },
          },
        ],
      },
    })
    expect(result.issues).toStrictEqual([])
    const seed = result.seeds[0] as LoadedSeed
    expect(seed.definition.environments).toStrictEqual(['local'])
    expect(all(seed)).toStrictEqual([
      {
        id: 'a1',
        n: 12.5,
        ok: true,
        data: new Uint8Array([1, 2, 255]),
        tags: new Set(['x', 'y']),
        meta: { list: [1, null] },
      },
    ])
  })

  test('format problems are issues with paths and hints', async () => {
    const result = await load({
      'seeds/a.json': { version: 2, tabel: 'A', items: [] },
      'seeds/b.json': '{ "version": 1, ',
      'seeds/c.json': {
        version: 1,
        table: 'C',
        format: 'dynamodb',
        items: [{ id: { S: 'ok' } }, { id: 'plain' }],
      },
    })
    expect(result.seeds).toStrictEqual([])
    expect(result.issues).toStrictEqual([
      {
        file: 'seeds/a.json',
        path: 'tabel',
        message: 'unknown property "tabel"',
        hint: 'did you mean "table"? allowed properties: "table", "items", "$schema", "format", "version", "environments"',
      },
      {
        file: 'seeds/a.json',
        path: 'version',
        message: '2 is not a valid version',
        hint: 'write 1, the only allowed value',
      },
      {
        file: 'seeds/b.json',
        path: '',
        message: expect.stringMatching(/^is not valid JSON: /),
        hint: expect.stringMatching(/^fix the JSON syntax/),
      },
      {
        file: 'seeds/c.json',
        path: 'items[1]',
        message: expect.stringMatching(/^is not DynamoDB AttributeValue JSON: /),
        hint: 'write every attribute as { "S": "text" }, { "N": "12" }, { "BOOL": true }, { "M": {...} }, { "L": [...] }, ... or use "format": "plain"',
      },
    ])
  })
})
