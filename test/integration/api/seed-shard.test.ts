import { createHash } from 'node:crypto'
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import { expect, test } from 'vitest'
import { migrateUp, seed, type SeedOptions, type SeedResult } from '../../../src/api/index.js'
import { isDdbmError, type DdbmError } from '../../../src/errors.js'
import { describeOn, engineClient, engines, type Engine } from '../../helpers/engines.js'
import { suffixedProject } from '../../helpers/temp-tree.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

/**
 * A clock fixed for this file (every run in it writes the same `expiresIn` TTL values), two days ahead of
 * the real one: DynamoDB Local deletes items whose TTL has passed, so a fixed date once in the past made
 * seeded items disappear mid-test (seen on 2026-12-02 with a clock fixed on 2026-12-01).
 */
const NOW = Date.now() + 2 * 86_400_000

/** The tables of the example project, in the order seeding writes them. */
const TABLES = ['ProgramConfig', 'Candidates', 'EngagementHistory', 'ScoreCache', 'items']

/** Every item of `table`, each as JSON with sorted keys, sorted, hashed: the content of the table. */
async function contentHash(engine: Engine, table: string): Promise<string> {
  const client = engineClient(engine)
  try {
    const lines: string[] = []
    let start: Record<string, AttributeValue> | undefined
    do {
      const page = await client.send(
        new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }),
      )
      for (const item of page.Items ?? []) lines.push(JSON.stringify(sorted(unmarshall(item))))
      start = page.LastEvaluatedKey
    } while (start !== undefined)
    return createHash('sha256').update(lines.sort().join('\n')).digest('hex')
  } finally {
    client.destroy()
  }
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted)
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, sorted(v)]),
    )
  }
  return value
}

/**
 * The example project of this repository (schemas/, migrations/, seeds/: generators with ref() across
 * tables, a fixture, sparse GSIs, TTL) under a unique suffix, migrated up.
 */
async function exampleProject(engine: Engine) {
  const { cwd, suffix } = await suffixedProject(engine)
  for (const dir of ['schemas', 'migrations', 'seeds']) {
    await cp(join(ROOT, dir), join(cwd, dir), { recursive: true })
  }
  await mkdir(join(cwd, 'node_modules'))
  await symlink(ROOT, join(cwd, 'node_modules', 'ddbm'))
  const config = JSON.parse(await readFile(join(ROOT, 'ddbm.config.json'), 'utf8'))
  config.environments.local.tableNameTemplate = `{table}-${suffix}`
  delete config.$schema
  await writeFile(join(cwd, 'ddbm.config.json'), JSON.stringify(config))
  const base: SeedOptions = { cwd, endpoint: engine.endpoint, processEnv: {}, now: () => NOW }
  await migrateUp(base)
  const hashes = () => Promise.all(TABLES.map((t) => contentHash(engine, `${t}-${suffix}`)))
  return { base, hashes }
}

/** Shards 1..n of one run, each its own seed() call, all at once. */
function shards(base: SeedOptions, n: number): Promise<SeedResult[]> {
  return Promise.all(
    Array.from({ length: n }, (_, k) => seed({ ...base, shard: { index: k + 1, count: n } })),
  )
}

/** The `data:` checks of a verification, as [table, check, status]. */
const dataChecks = (r: SeedResult) =>
  r.verify?.tables.flatMap((t) =>
    t.checks.filter((c) => c.check.startsWith('data:')).map((c) => [c.table, c.check, c.status]),
  )

// DynamoDB Local: the engine CI seeds against; moto adds nothing to what sharding does.
const engine = engines().find((e) => e.name === 'dynamodb-local') as Engine

describeOn(engine, `${engine.name}: ddbm seed --shard`, () => {
  test('N = 1, 3 and 7 concurrent shards write exactly what one run writes; --verify-only checks the whole', async () => {
    const p = await exampleProject(engine)
    const single = await seed(p.base)
    const counts = single.tables.map((t) => [t.table, t.written])
    expect(counts).toStrictEqual([
      ['ProgramConfig', 10],
      ['Candidates', 500],
      ['EngagementHistory', 1000],
      ['ScoreCache', 200],
      ['items', 55],
    ])
    const expected = await p.hashes()

    for (const n of [3, 7, 1]) {
      // The one-off clear step a sharded CI job runs first: empty tables but the fixture's items
      // (the other recipe, `db reset --count 0`, is run by the CLI test).
      const cleared = await seed({ ...p.base, clear: true, count: 0 })
      expect(cleared.tables.map((t) => [t.table, t.written])).toStrictEqual([
        ['ProgramConfig', 0],
        ['Candidates', 0],
        ['EngagementHistory', 0],
        ['ScoreCache', 0],
        ['items', 5],
      ])
      expect(await p.hashes()).not.toStrictEqual(expected)

      const results = await shards(p.base, n)
      for (const [k, r] of results.entries()) {
        expect([r.shard, r.verify, r.verifySkipped]).toStrictEqual([
          { index: k + 1, count: n },
          undefined,
          `sharded run (--shard ${k + 1}/${n}): the tables hold the whole seed only when every shard has finished; verify once afterwards with \`ddbm seed --verify-only\` (same --seed, --count, --table)`,
        ])
        for (const t of r.tables) expect([t.failed, t.written]).toStrictEqual([0, t.count])
      }
      // Per table: the written counts add up to the single run's, and the shards' ranges of each seed
      // file follow each other from 0 to its count (no overlap, no gap).
      const written = TABLES.map((table) => [
        table,
        results.reduce(
          (sum, r) => sum + (r.tables.find((t) => t.table === table)?.written ?? 0),
          0,
        ),
      ])
      expect(written).toStrictEqual(counts)
      for (const table of TABLES) {
        const ranges = results.map((r) => r.tables.find((t) => t.table === table)?.ranges ?? [])
        for (const [f, first] of (ranges[0] ?? []).entries()) {
          const chain = ranges.map((rs) => rs[f])
          const ends = chain.map((x) => [x?.file, x?.from, x?.to, x?.of])
          const expectedEnds = chain.map((_, k) => [
            first.file,
            k === 0 ? 0 : chain[k - 1]?.to,
            k === n - 1 ? first.of : chain[k + 1]?.from,
            first.of,
          ])
          expect(ends).toStrictEqual(expectedEnds)
        }
      }
      expect(await p.hashes()).toStrictEqual(expected)

      const whole = await seed({ ...p.base, verifyOnly: true })
      expect([whole.verifyOnly, whole.verify?.summary.drift]).toStrictEqual([true, 0])
      expect(dataChecks(whole)).toStrictEqual(dataChecks(single))
      expect(whole.tables.map((t) => [t.table, t.count, t.written])).toStrictEqual(
        counts.map(([table, count]) => [table, count, 0]),
      )
      expect(whole.tables.map((t) => t.summary)).toStrictEqual(single.tables.map((t) => t.summary))
    }
  }, 180_000)

  test('--verify-only after a shard is missing: data:items drift (exit 3), nothing written', async () => {
    const p = await exampleProject(engine)
    await Promise.all(
      [1, 3].map((index) => seed({ ...p.base, table: 'Candidates', shard: { index, count: 3 } })),
    )
    const before = await p.hashes()
    // The GSIs never reach the whole seed's counts: wait for them briefly (drift either way).
    const check = { ...p.base, table: 'Candidates', verifyOnly: true, indexWaitMs: 1000 }
    const err = await seed(check).catch((e: unknown) => e)
    expect(isDdbmError(err, 'VERIFY_DRIFT')).toBe(true)
    const checks = (err as DdbmError<'VERIFY_DRIFT'>).details.result.tables[0]?.checks ?? []
    expect(checks.find((c) => c.check === 'data:items')).toStrictEqual({
      table: 'Candidates',
      check: 'data:items',
      status: 'drift',
      expected: 500,
      actual: 500 - 167,
    })
    expect(await p.hashes()).toStrictEqual(before)
  }, 60_000)

  test('--clear with --shard is refused before the tables are touched', async () => {
    const p = await exampleProject(engine)
    await seed({ ...p.base, table: 'ProgramConfig' })
    const before = await p.hashes()
    const err = await seed({ ...p.base, clear: true, shard: { index: 1, count: 2 } }).catch(
      (e: unknown) => e,
    )
    expect(isDdbmError(err, 'USAGE') ? [err.message, err.exitCode] : err).toStrictEqual([
      "Can't use --clear with --shard: each runner would delete the items the others wrote",
      2,
    ])
    expect(await p.hashes()).toStrictEqual(before)
  }, 60_000)
})
