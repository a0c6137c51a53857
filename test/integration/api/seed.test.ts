import { createHash } from 'node:crypto'
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import { expect, test } from 'vitest'
import { migrateUp, seed, type SeedOptions } from '../../../src/api/index.js'
import { DdbmError, isDdbmError } from '../../../src/errors.js'
import { callCounter } from '../../helpers/calls.js'
import { engineClient, engines, type Engine, describeOn } from '../../helpers/engines.js'
import { suffixedProject } from '../../helpers/temp-tree.js'
import { ORDERS } from '../../fixtures/tables.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

/**
 * A clock fixed for this file (every run in it writes the same `expiresIn` TTL values), two days ahead of
 * the real one: DynamoDB Local deletes items whose TTL has passed, so a fixed date once in the past made
 * seeded items disappear mid-test (seen on 2026-12-02 with a clock fixed on 2026-12-01).
 */
const NOW = Date.now() + 2 * 86_400_000

/** Every item of `table`, sorted by its JSON text, hashed: the content of a seeded table. */
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
 * The example project (schemas/, migrations/, seeds/ of this repository) under a unique suffix on
 * `engine`, migrated up; `node_modules/ddbm` points at this repository so the seeds' `import { defineSeed }
 * from 'ddbm'` resolves as in a user's project.
 */
async function exampleProject(engine: Engine) {
  const { cwd, suffix } = await suffixedProject(engine)
  for (const dir of ['schemas', 'migrations', 'seeds']) {
    await cp(join(ROOT, dir), join(cwd, dir), { recursive: true })
  }
  await mkdir(join(cwd, 'node_modules'))
  await symlink(ROOT, join(cwd, 'node_modules', 'ddbm'))
  // The repository's config (its environments are the seeds' allow-lists), tables under the suffix.
  const config = JSON.parse(await readFile(join(ROOT, 'ddbm.config.json'), 'utf8'))
  config.environments.local.tableNameTemplate = `{table}-${suffix}`
  delete config.$schema
  await writeFile(join(cwd, 'ddbm.config.json'), JSON.stringify(config))
  const base = { cwd, endpoint: engine.endpoint, processEnv: {} }
  await migrateUp(base)
  return { base, suffix, table: (logical: string) => `${logical}-${suffix}` }
}

/** A project with one table, Orders (GSI byCustomer on customerId, TTL on expiresAt), and `seeds`. */
async function ordersProject(
  engine: Engine,
  seeds: Record<string, string>,
  config: Record<string, unknown> = {},
) {
  const { cwd, suffix } = await suffixedProject(engine, {
    'schemas/Orders.json': ORDERS,
    'migrations/0001_orders.json': {
      version: 1,
      up: [{ op: 'createTable', table: 'Orders', definition: ORDERS }],
      down: [{ op: 'deleteTable', table: 'Orders' }],
    },
    ...seeds,
  })
  if (Object.keys(config).length > 0) {
    await writeFile(
      join(cwd, 'ddbm.config.json'),
      JSON.stringify({
        version: 1,
        defaultEnv: 't',
        environments: { t: { tableNameTemplate: `{table}-${suffix}` } },
        ...config,
      }),
    )
  }
  const base: SeedOptions = { cwd, endpoint: engine.endpoint, processEnv: {}, now: () => NOW }
  if (config.environments === undefined) await migrateUp(base)
  return { base, table: `Orders-${suffix}` }
}

/** An Orders seed: `count` items, key and attributes from `item` (a JS expression over `i` and `ctx`). */
const ordersSeed = (item: string, extra = '') => `export default {
  table: 'Orders',
  count: 40,
  ${extra}
  generate: (ctx) => { const i = ctx.i; return ${item} },
}
`

const refusal = (err: unknown) =>
  isDdbmError(err) ? { code: err.code, message: err.message, details: err.details } : err

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: ddbm seed`, () => {
    test('the example seeds: every table written and verified, summaries, byte-identical on a re-run', async () => {
      const p = await exampleProject(engine)
      const first = await seed({ ...p.base, now: () => NOW })
      expect(first.tables.map((t) => [t.table, t.count, t.written, t.failed])).toStrictEqual([
        ['ProgramConfig', 10, 10, 0],
        ['Candidates', 500, 500, 0],
        ['EngagementHistory', 1000, 1000, 0],
        ['ScoreCache', 200, 200, 0],
        ['items', 55, 55, 0],
      ])
      expect(first.verify?.summary.drift).toBe(0)
      const data = first.verify?.tables.flatMap((t) =>
        t.checks
          .filter((c) => c.check.startsWith('data:'))
          .map((c) => [c.table, c.check, c.status]),
      )
      expect(data).toStrictEqual([
        ['ProgramConfig', 'data:items', 'ok'],
        ['Candidates', 'data:items', 'ok'],
        ['Candidates', 'data:gsi:StatusIndex', 'ok'],
        ['Candidates', 'data:gsi:ScoreIndex', 'ok'],
        ['Candidates', 'data:gsi:ActiveCandidatesIndex', 'ok'],
        ['Candidates', 'data:ttl', 'ok'],
        ['EngagementHistory', 'data:items', 'ok'],
        ['EngagementHistory', 'data:gsi:ProgramIndex', 'ok'],
        ['EngagementHistory', 'data:ttl', 'ok'],
        ['ScoreCache', 'data:items', 'ok'],
        ['ScoreCache', 'data:ttl', 'ok'],
        ['items', 'data:items', 'ok'],
        ['items', 'data:gsi:status-index', 'ok'],
        ['items', 'data:ttl', 'ok'],
      ])
      const candidates = first.tables.find((t) => t.table === 'Candidates')
      expect(candidates?.summary?.attribute).toBe('status')
      expect(Object.values(candidates?.summary?.counts ?? {}).reduce((a, b) => a + b, 0)).toBe(500)

      const hashes = async () =>
        Promise.all(
          ['Candidates', 'EngagementHistory', 'items'].map((t) => contentHash(engine, p.table(t))),
        )
      const before = await hashes()
      const again = await seed({ ...p.base, now: () => NOW, clear: true })
      expect(again.tables.map((t) => t.cleared)).toStrictEqual([10, 500, 1000, 200, 55])
      expect(await hashes()).toStrictEqual(before)

      await seed({ ...p.base, now: () => NOW, clear: true, seed: 2, table: 'Candidates' })
      const [candidatesHash] = await hashes()
      expect(candidatesHash).not.toBe(before[0])
    })

    test('--clear then a smaller --count: the table holds exactly the new items', async () => {
      const p = await ordersProject(engine, {
        'seeds/Orders.seed.ts': ordersSeed(
          "({ PK: 'ORDER#' + i, SK: 'META', customerId: 'C' + (i % 7), expiresAt: ctx.expiresIn(3) })",
        ),
      })
      const first = await seed(p.base)
      expect(first.tables[0]?.written).toBe(40)
      const second = await seed({ ...p.base, clear: true, count: 10 })
      expect(second.tables[0]).toMatchObject({ cleared: 40, written: 10 })
      const items = second.verify?.tables[0]?.checks.find((c) => c.check === 'data:items')
      expect(items).toStrictEqual({
        table: 'Orders',
        check: 'data:items',
        status: 'ok',
        expected: 10,
        actual: 10,
      })
    })

    test('TTL in milliseconds is drift (exit 3), the items are written', async () => {
      const p = await ordersProject(engine, {
        'seeds/Orders.seed.ts': ordersSeed(
          "({ PK: 'ORDER#' + i, SK: 'META', expiresAt: ctx.expiresIn(3) * 1000 })",
        ),
      })
      const err = await seed(p.base).catch((e: unknown) => e)
      expect(isDdbmError(err, 'VERIFY_DRIFT')).toBe(true)
      const checks = (err as DdbmError<'VERIFY_DRIFT'>).details.result.tables[0]?.checks
      expect(checks?.filter((c) => c.status === 'drift')).toStrictEqual([
        {
          table: 'Orders',
          check: 'data:ttl',
          status: 'drift',
          expected: 'expiresAt: epoch seconds in the future',
          actual: '40 in milliseconds (of 40 items with expiresAt)',
          detail: 'DynamoDB reads TTL as epoch seconds: use Math.floor(ms / 1000)',
        },
      ])
    })

    test('repeated keys and a missing sort key are refused before any write', async () => {
      for (const [item, message] of [
        ["({ PK: 'ORDER#' + (i % 30), SK: 'META' })", /key PK=ORDER#0, SK=META|already generated/],
        ["({ PK: 'ORDER#' + i })", /SK/],
      ] as const) {
        const p = await ordersProject(engine, { 'seeds/Orders.seed.ts': ordersSeed(item) })
        const count = callCounter()
        const err = await seed({ ...p.base, instrument: count.instrument }).catch((e: unknown) => e)
        expect(isDdbmError(err, 'SEED_INVALID')).toBe(true)
        const issues = (err as DdbmError<'SEED_INVALID'>).details.issues
        expect(issues[0]?.file).toBe('seeds/Orders.seed.ts')
        expect(issues[0]?.message).toMatch(message)
        expect(count.mutating()).toStrictEqual([])
      }
    })

    test('refused with exit 2 and no mutating call: protected env (unconfirmed), allow-list, unknown env', async () => {
      const seedFile = { 'seeds/Orders.seed.ts': ordersSeed("({ PK: 'O#' + i, SK: 'M' })") }
      const guarded = await ordersProject(engine, {
        ...seedFile,
        'seeds/Orders.seed.ts': ordersSeed("({ PK: 'O#' + i, SK: 'M' })", "environments: ['t'],"),
      })
      const cases: [SeedOptions, unknown][] = []
      const prodProject = await ordersProject(engine, seedFile, {
        environments: { t: {}, prod: { protected: true } },
      })
      cases.push([
        { ...prodProject.base, env: 'prod' },
        {
          code: 'PROTECTED_ENV',
          message:
            'Refusing seed on environment "prod", protected in ddbm.config.json:\n  write 40 items to Orders-prod\nconfirm with --confirm-env prod',
          details: { env: 'prod', steps: ['write 40 items to Orders-prod'], protectedBy: 'config' },
        },
      ])
      const devProject = await ordersProject(
        engine,
        {
          'seeds/Orders.seed.ts': ordersSeed("({ PK: 'O#' + i, SK: 'M' })", "environments: ['t'],"),
        },
        { environments: { t: {}, dev: {} } },
      )
      cases.push([
        { ...devProject.base, env: 'dev' },
        {
          code: 'SEED_REFUSED',
          message: 'Refusing to seed "dev": not in the environments of seeds/Orders.seed.ts',
          details: { env: 'dev', reason: 'not-allowed', seeds: ['seeds/Orders.seed.ts'] },
        },
      ])
      cases.push([
        { ...guarded.base, env: 'nowhere' },
        expect.objectContaining({ code: 'ENV_UNKNOWN' }),
      ])
      for (const [opts, expected] of cases) {
        const count = callCounter()
        const err = await seed({ ...opts, instrument: count.instrument }).catch(refusal)
        expect(err).toStrictEqual(expected)
        expect(new DdbmError((err as { code: 'USAGE' }).code, '').exitCode).toBe(2)
        expect(count.mutating()).toStrictEqual([])
      }
    })
  })
}
