import { describe, expect, test } from 'vitest'
import { ddbm } from '../helpers/cli.js'
import { engines } from '../helpers/engines.js'
import { suffixedProject, tmpProject } from '../helpers/temp-tree.js'
import { CUSTOMERS } from '../fixtures/tables.js'
import { javaFor } from '../helpers/processes.js'

/** Customers (HASH id), its migration and a seed of 3 customers. */
const FILES = {
  'schemas/Customers.json': CUSTOMERS,
  'migrations/0001_customers.json': {
    version: 1,
    up: [{ op: 'createTable', table: 'Customers', definition: CUSTOMERS }],
    down: [{ op: 'deleteTable', table: 'Customers' }],
  },
  'seeds/Customers.seed.ts': `export default { table: 'Customers', count: 3, generate: ({ i }) => ({ id: 'c' + i }) }\n`,
}

describe('ddbm db reset', () => {
  const engine = engines()[0]!

  test('--json prints one JSON document: the deleted tables, the migration, the seeding, the verification', async () => {
    const { cwd, suffix } = await suffixedProject(engine, FILES)
    const at = ['--endpoint', engine.endpoint]
    const first = await ddbm(['db', 'reset', ...at], { cwd })
    expect(first.code).toBe(0)
    expect(first.stdout).toBe(
      [
        'deleted nothing in "t": no table of schemas/ and no meta table existed',
        'applied 1 migration: 0001_customers',
        'seeded (seed 1):',
        '  table               items',
        `  Customers-${suffix}      3`,
        'verified 1 table: 7 checks ok (1 of the seeded data), 4 unsupported by this endpoint',
        '',
      ].join('\n'),
    )

    const run = await ddbm(['db', 'reset', '--json', ...at], { cwd })
    expect(run.code).toBe(0)
    // The whole of stdout is one JSON document (JSON.parse refuses anything before or after it).
    const doc = JSON.parse(run.stdout)
    expect(doc).toMatchObject({ ok: true, command: 'db reset' })
    const { result } = doc
    expect(Object.keys(result)).toStrictEqual(['env', 'deleted', 'migrate', 'seed', 'verify'])
    expect(result.deleted).toStrictEqual([`Customers-${suffix}`, `ddbm_migrations-${suffix}`])
    expect(result.migrate.migrations.map((m: { name: string }) => m.name)).toStrictEqual([
      '0001_customers',
    ])
    expect(result.seed.tables.map((t: { written: number }) => t.written)).toStrictEqual([3])
    expect(result.verify.summary).toStrictEqual({ ok: 7, drift: 0, unsupported: 4, pending: 0 })
  })

  test('on the embedded engine it starts DynamoDB Local for the command and leaves none running', async () => {
    const cwd = await tmpProject({
      ...FILES,
      'ddbm.config.json': {
        version: 1,
        local: { storage: 'memory', port: 0 },
        environments: { local: { endpoint: 'embedded' } },
      },
    })
    const run = await ddbm(['db', 'reset', '--json'], { cwd })
    expect(run.code).toBe(0)
    const { result } = JSON.parse(run.stdout)
    expect(result.deleted).toStrictEqual([])
    expect(result.seed.tables.map((t: { physical: string }) => t.physical)).toStrictEqual([
      'Customers-local',
    ])
    expect(result.verify.summary.drift).toBe(0)
    expect(run.stderr).toMatch(/DynamoDB Local ready on .*\n[^]*DynamoDB Local stopped\n$/)

    const status = await ddbm(['local', 'status', '--json'], { cwd })
    expect(JSON.parse(status.stdout).result).toStrictEqual({ running: false })
    expect(javaFor(cwd)).toStrictEqual([])
  })
})
