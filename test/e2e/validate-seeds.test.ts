import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { loadSeeds } from '../../src/engine/seed/load-seeds.js'
import { loadSchemas } from '../../src/schema/load-schemas.js'
import type { Item, LoadedSeed } from '../../src/seed/define-seed.js'
import { appliesTo, countFor, generateItems } from '../../src/seed/generate.js'
import { hash64, keyProblems, keyText } from '../../src/seed/keys.js'
import { orderSeeds } from '../../src/seed/order.js'
import { ddbm } from '../helpers/cli.js'
import { tmpProject } from '../helpers/temp-tree.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

const ITEMS = {
  TableName: 'items',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
}

describe('ddbm validate with seeds', () => {
  test('the example project is valid and lists its seeds in the order they run', async () => {
    const run = await ddbm(['validate', '--json'], { cwd: ROOT })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout).result.seeds).toStrictEqual([
      'seeds/ProgramConfig.seed.ts',
      'seeds/Candidates.seed.ts',
      'seeds/EngagementHistory.seed.ts',
      'seeds/ScoreCache.seed.ts',
      'seeds/items.json',
      'seeds/items.seed.ts',
    ])
  })

  test('a broken seed: exit 2, SEED_INVALID, every problem with file and hint, in text and --json', async () => {
    const cwd = await tmpProject({
      'schemas/items.json': ITEMS,
      'seeds/items.seed.ts':
        "export default { table: 'items', cuont: 5, generate: ({ i }: { i: number }) => ({ id: `i${i}` }) }\n",
      'seeds/itemz.seed.ts':
        "export default { table: 'itemz', count: 5, generate: ({ i }: { i: number }) => ({ id: `i${i}` }) }\n",
      'seeds/items.json': { version: 1, table: 'items', items: [{ id: 'a' }, { name: 'no id' }] },
    })
    const issues = [
      {
        file: 'seeds/items.json',
        path: 'items[1]',
        message: 'missing key attribute "id" (S, the partition key)',
        hint: 'give every item the key of items: id (S), and index keys of their declared types (S: string, N: number, B: Uint8Array)',
      },
      {
        file: 'seeds/items.seed.ts',
        path: 'cuont',
        message: 'unknown property "cuont"',
        hint: 'did you mean "count"? allowed properties: "count", "table", "generate", "dependsOn", "environments", "summarizeBy"',
      },
      {
        file: 'seeds/itemz.seed.ts',
        path: 'table',
        message: '"itemz" is not a table of schemas/',
        hint: 'did you mean "items"? tables of schemas/: "items"',
      },
    ]
    const json = await ddbm(['validate', '--json'], { cwd })
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout)).toStrictEqual({
      ok: false,
      command: 'validate',
      error: {
        code: 'SEED_INVALID',
        exitCode: 2,
        message: '3 problems found',
        hint: 'Fix the seed files listed above; `ddbm validate` checks them offline.',
        details: { issues },
      },
    })
    const text = await ddbm(['validate'], { cwd })
    expect(text.code).toBe(2)
    expect(text.stderr).toBe(
      [
        'seeds/items.json: items[1]: missing key attribute "id" (S, the partition key)',
        `  hint: ${issues[0]?.hint}`,
        'seeds/items.seed.ts: cuont: unknown property "cuont"',
        `  hint: ${issues[1]?.hint}`,
        'seeds/itemz.seed.ts: table: "itemz" is not a table of schemas/',
        `  hint: ${issues[2]?.hint}`,
        'error: 3 problems found',
        'hint: Fix the seed files listed above; `ddbm validate` checks them offline.',
        '',
      ].join('\n'),
    )
  })

  test('a seed that does not load: its file and the hint about the missing package', async () => {
    const cwd = await tmpProject({
      'schemas/items.json': ITEMS,
      'seeds/items.seed.ts':
        "import { x } from 'not-installed-pkg'\nexport default { table: 'items', count: 1, generate: () => ({ id: x }) }\n",
    })
    const run = await ddbm(['validate'], { cwd })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(
      "seeds/items.seed.ts: could not be loaded: cannot find package 'not-installed-pkg' imported from seeds/items.seed.ts\n" +
        "  hint: the package not-installed-pkg is not installed in this project: add it to the dependencies of your project's package.json (`npm install not-installed-pkg`)\n",
    )
  })
})

describe('the example seeds (import ddbm from dist: npm run build first)', () => {
  /** Every item of every example seed in `env`, as JSON lines per file, in run order. */
  async function generateAll(env: string, reverse = false) {
    const { seeds, issues } = await loadSeeds(join(ROOT, 'seeds'), { root: ROOT })
    expect(issues).toStrictEqual([])
    const files = reverse ? [...seeds].reverse() : seeds
    const out = new Map<string, Item[]>()
    const now = Date.now()
    for (const seed of orderSeeds(files).order) {
      if (!appliesTo(seed, env)) continue
      out.set(seed.file, [...generateItems(seed, { seed: 1, env, now, seeds: files })])
    }
    return { seeds, out }
  }

  const sha256 = (items: readonly Item[]) =>
    createHash('sha256')
      .update(items.map((i) => JSON.stringify(i)).join('\n'))
      .digest('hex')

  test('deterministic whatever the order of files; keys valid and unique; sparse and TTL attributes right', async () => {
    const { seeds, out } = await generateAll('local')
    const again = (await generateAll('local', true)).out
    const { tables } = await loadSchemas(join(ROOT, 'schemas'), { root: ROOT })
    const counts: Record<string, number> = {}
    for (const [file, items] of out) {
      expect(sha256(again.get(file) ?? []), file).toBe(sha256(items))
      const seed = seeds.find((s) => s.file === file) as LoadedSeed
      const table = tables.find((t) => t.table.TableName === seed.definition.table)?.table
      if (table === undefined) throw new Error(`no schema for ${file}`)
      expect(items).toHaveLength(countFor(seed, 'local'))
      const keys = new Set<string>()
      for (const item of items) {
        expect(keyProblems(item, table)).toStrictEqual([])
        keys.add(hash64(keyText(item, table)))
        const ttl = table.TimeToLiveSpecification?.AttributeName
        if (ttl !== undefined && item[ttl] !== undefined) {
          expect(item[ttl]).toBeGreaterThan(Date.now() / 1000)
        }
      }
      counts[seed.definition.table] = (counts[seed.definition.table] ?? 0) + keys.size
      if (seed.kind === 'fixture') continue
      expect(keys.size, file).toBe(items.length)
    }
    expect(counts).toStrictEqual({
      ProgramConfig: 10,
      Candidates: 500,
      EngagementHistory: 1000,
      ScoreCache: 200,
      items: 55,
    })
    const candidates = out.get('seeds/Candidates.seed.ts') ?? []
    for (const c of candidates)
      expect(c.activeFlag, String(c.status)).toBe(c.status === 'PENDING' ? 'Y' : undefined)
    expect(new Set(candidates.map((c) => c.status))).toStrictEqual(
      new Set(['PENDING', 'SENT', 'ENGAGED', 'EXPIRED']),
    )
    const candidateKeys = new Set(candidates.map((c) => `${String(c.PK)}|${String(c.subjectId)}`))
    for (const e of out.get('seeds/EngagementHistory.seed.ts') ?? []) {
      expect(candidateKeys.has(`${String(e.PK)}|${String(e.subjectId)}`)).toBe(true)
    }
    const fixed = (out.get('seeds/items.json') ?? []).map((i) => [i.name, i.status])
    expect(fixed).toStrictEqual([
      ['Laptop', 'active'],
      ['Monitor', 'active'],
      ['Keyboard', 'active'],
      ['Mouse', 'inactive'],
      ['USB Hub', 'archived'],
    ])
  })

  test('no example seed runs in prod; staging gets the larger counts', async () => {
    const { seeds } = await loadSeeds(join(ROOT, 'seeds'), { root: ROOT })
    expect(seeds.filter((s) => appliesTo(s, 'prod'))).toStrictEqual([])
    const staging = Object.fromEntries(seeds.map((s) => [s.file, countFor(s, 'staging')]))
    expect(staging).toStrictEqual({
      'seeds/Candidates.seed.ts': 50_000,
      'seeds/EngagementHistory.seed.ts': 100_000,
      'seeds/ProgramConfig.seed.ts': 10,
      'seeds/ScoreCache.seed.ts': 20_000,
      'seeds/items.json': 5,
      'seeds/items.seed.ts': 5_000,
    })
  })
})
