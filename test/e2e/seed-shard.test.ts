import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ScanCommand } from '@aws-sdk/client-dynamodb'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { expect, onTestFinished, test } from 'vitest'
import { FailureDocument, SUCCESS_DOCUMENTS } from '../../src/output-schemas/index.js'
import { ddbm } from '../helpers/cli.js'
import { describeOn, dropTables, engineClient, engines, type Engine } from '../helpers/engines.js'
import { tempTree } from '../helpers/temp-tree.js'
import { ORDERS } from '../fixtures/tables.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ajv = new Ajv2020({ allErrors: true })

/** A printed document held to the published JSON Schema (ajv) and the strict zod schema behind it. */
function expectShape(kind: 'seed' | 'error', doc: unknown): void {
  const file = join(ROOT, 'schema', 'output', `${kind}.schema.json`)
  const validate = ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object)
  expect(validate(doc), JSON.stringify(validate.errors)).toBe(true)
  const zod = kind === 'error' ? FailureDocument : SUCCESS_DOCUMENTS.seed
  expect(zod.safeParse(doc).success).toBe(true)
}

/**
 * A user project whose node_modules holds only `ddbm`: one table, Orders (sparse GSI byCustomer, TTL),
 * its migration, a fixture of 2 orders and a seed of 100 more.
 */
async function userProject(engine: Engine) {
  const suffix = randomUUID().slice(0, 8)
  onTestFinished(() => dropTables(engine.endpoint, suffix))
  const cwd = await tempTree('ddbm-seed-shard-', {
    'package.json': { name: 'shop', private: true, type: 'module' },
    'ddbm.config.json': {
      version: 1,
      defaultEnv: 't',
      environments: { t: { tableNameTemplate: `{table}-${suffix}` } },
    },
    'schemas/Orders.json': ORDERS,
    'migrations/0001_orders.json': {
      version: 1,
      up: [{ op: 'createTable', table: 'Orders', definition: ORDERS }],
      down: [{ op: 'deleteTable', table: 'Orders' }],
    },
    'seeds/orders.json': {
      version: 1,
      table: 'Orders',
      items: [
        { PK: 'ORDER#fixed-1', SK: 'META', customerId: 'CUST#0' },
        { PK: 'ORDER#fixed-2', SK: 'META' },
      ],
    },
    'seeds/Orders.seed.ts': `import { defineSeed } from 'ddbm'

export default defineSeed({
  table: 'Orders',
  count: 100,
  generate: ({ faker, i, expiresIn }) => ({
    PK: 'ORDER#' + i,
    SK: 'META',
    ...(i % 3 === 0 ? {} : { customerId: 'CUST#' + faker.number.int({ min: 1, max: 20 }) }),
    expiresAt: expiresIn(30),
  }),
})
`,
  })
  await mkdir(join(cwd, 'node_modules'))
  await symlink(ROOT, join(cwd, 'node_modules', 'ddbm'), 'dir')
  return { cwd, table: `Orders-${suffix}` }
}

/** The number of items in `table`. */
async function itemCount(engine: Engine, table: string): Promise<number> {
  const client = engineClient(engine)
  try {
    const page = await client.send(
      new ScanCommand({ TableName: table, Select: 'COUNT', ConsistentRead: true }),
    )
    return page.Count ?? -1
  } finally {
    client.destroy()
  }
}

const SHARD_HINT =
  '--shard takes I/N: N the number of runners, I this runner’s number from 1 to N (e.g. --shard 2/3 in a matrix of 3 jobs).'

const engine = engines().find((e) => e.name === 'dynamodb-local') as Engine

describeOn(engine, `${engine.name}: ddbm seed --shard (CLI)`, () => {
  const at = ['--endpoint', engine.endpoint]

  test('a bad --shard, or --clear with it: exit 2 with a hint, nothing written', async () => {
    const p = await userProject(engine)
    expect((await ddbm(['migrate', 'up', ...at], { cwd: p.cwd })).code).toBe(0)
    const refusals: [string[], string, string][] = [
      [['--shard', '0/3'], '--shard 0/3: the runner’s number must be from 1 to 3', SHARD_HINT],
      [['--shard', '4/3'], '--shard 4/3: the runner’s number must be from 1 to 3', SHARD_HINT],
      [
        ['--shard', 'a/b'],
        '--shard must be I/N (two integers around a slash), got "a/b"',
        SHARD_HINT,
      ],
      [['--shard', '3'], '--shard must be I/N (two integers around a slash), got "3"', SHARD_HINT],
      [
        ['--shard', '1/2', '--clear'],
        "Can't use --clear with --shard: each runner would delete the items the others wrote",
        'Clear once before the sharded jobs, in a step of its own: `ddbm seed --clear --count 0` (empties the seeded tables, writes only the fixtures) or `ddbm db reset --count 0` (new, migrated tables); then run the shards without --clear.',
      ],
      [
        ['--verify-only', '--shard', '1/2'],
        "Can't use --verify-only with --shard: it checks the whole seed and writes nothing",
        'Run `ddbm seed --verify-only` once, after every shard has finished, with the --seed, --count and --table of the shards.',
      ],
    ]
    for (const [args, message, hint] of refusals) {
      const run = await ddbm(['seed', ...args, '--json', ...at], { cwd: p.cwd })
      const doc = JSON.parse(run.stdout)
      expect([
        run.code,
        doc.error.code,
        doc.error.exitCode,
        doc.error.message,
        doc.error.hint,
      ]).toStrictEqual([2, 'USAGE', 2, message, hint])
      expectShape('error', doc)
    }
    const text = await ddbm(['seed', '--shard', '0/3', ...at], { cwd: p.cwd })
    expect([text.code, text.stdout, text.stderr]).toStrictEqual([
      2,
      '',
      `error: --shard 0/3: the runner’s number must be from 1 to 3\nhint: ${SHARD_HINT}\n`,
    ])
    expect(await itemCount(engine, p.table)).toBe(0)
  })

  test('db reset --count 0, 3 shards as concurrent processes, then --verify-only: the whole seed, verified once', async () => {
    const p = await userProject(engine)
    // The one-off step before the shards: fresh, migrated tables holding only the fixture's items.
    const reset = await ddbm(['db', 'reset', '--count', '0', '--json', ...at], { cwd: p.cwd })
    expect([reset.code, JSON.parse(reset.stdout).result.seed.tables[0].written]).toStrictEqual([
      0, 2,
    ])
    expect(await itemCount(engine, p.table)).toBe(2)
    const runs = await Promise.all(
      [1, 2, 3].map((i) => ddbm(['seed', '--shard', `${i}/3`, '--json', ...at], { cwd: p.cwd })),
    )
    const docs = runs.map((r) => {
      expect([r.code, r.stdout === '' ? r.stderr : 'printed']).toStrictEqual([0, 'printed'])
      const doc = JSON.parse(r.stdout)
      expectShape('seed', doc)
      return doc.result
    })
    expect(
      docs.map((d) => [d.shard, d.verify, d.tables[0].written, d.tables[0].ranges]),
    ).toStrictEqual([
      [
        { index: 1, count: 3 },
        undefined,
        33,
        [
          { file: 'seeds/orders.json', from: 0, to: 0, of: 2 },
          { file: 'seeds/Orders.seed.ts', from: 0, to: 33, of: 100 },
        ],
      ],
      [
        { index: 2, count: 3 },
        undefined,
        34,
        [
          { file: 'seeds/orders.json', from: 0, to: 1, of: 2 },
          { file: 'seeds/Orders.seed.ts', from: 33, to: 66, of: 100 },
        ],
      ],
      [
        { index: 3, count: 3 },
        undefined,
        35,
        [
          { file: 'seeds/orders.json', from: 1, to: 2, of: 2 },
          { file: 'seeds/Orders.seed.ts', from: 66, to: 100, of: 100 },
        ],
      ],
    ])
    expect(docs[1].verifySkipped).toBe(
      'sharded run (--shard 2/3): the tables hold the whole seed only when every shard has finished; verify once afterwards with `ddbm seed --verify-only` (same --seed, --count, --table)',
    )
    expect(await itemCount(engine, p.table)).toBe(102)

    const check = await ddbm(['seed', '--verify-only', '--json', ...at], { cwd: p.cwd })
    expect(check.code).toBe(0)
    const doc = JSON.parse(check.stdout)
    expectShape('seed', doc)
    const data = doc.result.verify.tables[0].checks.filter((c: { check: string }) =>
      c.check.startsWith('data:'),
    )
    expect([doc.result.verifyOnly, doc.result.tables[0].written, data]).toStrictEqual([
      true,
      0,
      [
        { table: 'Orders', check: 'data:items', status: 'ok', expected: 102, actual: 102 },
        { table: 'Orders', check: 'data:gsi:byCustomer', status: 'ok', expected: 67, actual: 67 },
        {
          table: 'Orders',
          check: 'data:ttl',
          status: 'ok',
          expected: 'expiresAt: epoch seconds in the future',
          actual: '100 of 102 items, all in epoch seconds in the future',
        },
      ],
    ])

    const text = await ddbm(['seed', '--shard', '3/3', ...at], { cwd: p.cwd })
    const lines = text.stdout.trim().split('\n')
    expect([text.code, lines[0], lines.at(-1)]).toStrictEqual([
      0,
      'shard 3/3 of seed 1:',
      'not verified: sharded run (--shard 3/3): the tables hold the whole seed only when every shard has finished; verify once afterwards with `ddbm seed --verify-only` (same --seed, --count, --table)',
    ])
    const verifyText = await ddbm(['seed', '--verify-only', ...at], { cwd: p.cwd })
    expect([verifyText.code, verifyText.stdout.split('\n')[0]]).toStrictEqual([
      0,
      `verify only: nothing written; ${p.table} held to seed 1`,
    ])
  })
})
