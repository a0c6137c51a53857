import { randomUUID } from 'node:crypto'
import { mkdir, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, onTestFinished, test } from 'vitest'
import { ERRORS } from '../../src/errors.js'
import { ddbm } from '../helpers/cli.js'
import { dropTables, engines, type Engine, describeOn } from '../helpers/engines.js'
import { tempTree } from '../helpers/temp-tree.js'
import { ORDERS } from '../fixtures/tables.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * A user project outside this repository, CommonJS (no "type": "module": the default of `npm init`), whose
 * node_modules holds only `ddbm`: one table, Orders (GSI byCustomer, TTL expiresAt), its migration, and a
 * seed that imports defineSeed from 'ddbm'.
 */
async function userProject(engine: Engine): Promise<{ cwd: string; suffix: string }> {
  const suffix = randomUUID().slice(0, 8)
  onTestFinished(() => dropTables(engine.endpoint, suffix))
  const cwd = await tempTree('ddbm-seed-', {
    'package.json': { name: 'shop', private: true, dependencies: { ddbm: '0.1.0' } },
    'ddbm.config.json': {
      version: 1,
      defaultEnv: 't',
      environments: { t: { tableNameTemplate: `{table}-${suffix}` }, prod: { protected: true } },
    },
    'schemas/Orders.json': ORDERS,
    'migrations/0001_orders.json': {
      version: 1,
      up: [{ op: 'createTable', table: 'Orders', definition: ORDERS }],
      down: [{ op: 'deleteTable', table: 'Orders' }],
    },
    'seeds/Orders.seed.ts': `import { defineSeed } from 'ddbm'

export default defineSeed({
  table: 'Orders',
  count: 120,
  summarizeBy: 'status',
  generate: ({ faker, i, expiresIn }) => ({
    PK: 'ORDER#' + i,
    SK: 'META',
    status: faker.helpers.arrayElement(['NEW', 'PAID', 'SHIPPED']),
    // every third order has no customer: the sparse index byCustomer holds the others
    ...(i % 3 === 0 ? {} : { customerId: 'CUST#' + faker.number.int({ min: 1, max: 20 }) }),
    total: faker.number.int({ min: 5, max: 500 }),
    expiresAt: expiresIn(30),
  }),
})
`,
  })
  await mkdir(join(cwd, 'node_modules'))
  await symlink(ROOT, join(cwd, 'node_modules', 'ddbm'), 'dir')
  return { cwd, suffix }
}

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: ddbm seed`, () => {
    const at = ['--endpoint', engine.endpoint]

    test('--json: one document with the per-table counts and the verification; text: table and summary', async () => {
      const { cwd, suffix } = await userProject(engine)
      expect((await ddbm(['migrate', 'up', ...at], { cwd })).code).toBe(0)

      const json = await ddbm(['seed', '--json', ...at], { cwd })
      expect([json.code, json.stderr]).toStrictEqual([0, expect.any(String)])
      const doc = JSON.parse(json.stdout)
      const statusCounts = doc.result.tables[0].summary.counts as Record<string, number>
      expect(Object.values(statusCounts).reduce((a, b) => a + b, 0)).toBe(120)
      const dataChecks = doc.result.verify.tables[0].checks.filter((c: { check: string }) =>
        c.check.startsWith('data:'),
      )
      expect(doc).toStrictEqual({
        ok: true,
        command: 'seed',
        result: {
          env: 't',
          seed: 1,
          dryRun: false,
          tables: [
            {
              table: 'Orders',
              physical: `Orders-${suffix}`,
              files: ['seeds/Orders.seed.ts'],
              count: 120,
              written: 120,
              failed: 0,
              retries: 0,
              throttles: 0,
              seconds: expect.any(Number),
              summary: { attribute: 'status', counts: statusCounts },
            },
          ],
          verify: {
            env: 't',
            tables: [
              {
                table: 'Orders',
                physical: `Orders-${suffix}`,
                checks: expect.arrayContaining(dataChecks),
              },
            ],
            summary: expect.objectContaining({ drift: 0, pending: 0 }),
          },
        },
      })
      expect(dataChecks).toStrictEqual([
        { table: 'Orders', check: 'data:items', status: 'ok', expected: 120, actual: 120 },
        { table: 'Orders', check: 'data:gsi:byCustomer', status: 'ok', expected: 80, actual: 80 },
        {
          table: 'Orders',
          check: 'data:ttl',
          status: 'ok',
          expected: 'expiresAt: epoch seconds in the future',
          actual: '120 of 120 items, all in epoch seconds in the future',
        },
      ])

      const text = await ddbm(['seed', ...at], { cwd })
      expect(text.code).toBe(0)
      // Not a terminal: plain progress lines, no carriage returns.
      expect(text.stderr).not.toContain('\r')
      expect(text.stderr).toMatch(new RegExp(`seeded Orders-${suffix}: 120 written in [0-9.]+ s`))
      const lines = text.stdout.trim().split('\n')
      expect(lines[0]).toMatch(/^table\s+written\s+failed\s+retries\s+throttles\s+seconds$/)
      expect(lines[1]).toMatch(new RegExp(`^Orders-${suffix}\\s+120\\s+0\\s+0\\s+0\\s+[0-9.]+$`))
      expect(lines[2]).toBe(
        `Orders-${suffix} by status: ${Object.entries(statusCounts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      )
      expect(lines[3]).toMatch(/^verified: \d+ checks ok \(3 of the seeded data\)/)
    })

    test('--dry-run writes nothing; a protected environment is refused with exit 2', async () => {
      const { cwd } = await userProject(engine)
      expect((await ddbm(['migrate', 'up', ...at], { cwd })).code).toBe(0)
      const dry = await ddbm(['seed', '--dry-run', '--count', '5', ...at], { cwd })
      expect(dry.code).toBe(0)
      const [head, table, ...sample] = dry.stdout.trim().split('\n')
      expect(head).toBe('dry run: nothing written to "t" (seed 1)')
      expect(table).toMatch(/^Orders-\w+: 5 items from seeds\/Orders.seed.ts; first 3:$/)
      expect(sample.map((l) => JSON.parse(l).PK)).toStrictEqual(['ORDER#0', 'ORDER#1', 'ORDER#2'])
      const afterDry = JSON.parse((await ddbm(['seed', '--json', ...at], { cwd })).stdout)
      expect(afterDry.result.verify.tables[0].checks[0]).toMatchObject({ check: 'exists' })
      const items = afterDry.result.verify.tables[0].checks.find(
        (c: { check: string }) => c.check === 'data:items',
      )
      // The dry run wrote nothing: the real run found an empty table, so the count is exact.
      expect(items).toStrictEqual({
        table: 'Orders',
        check: 'data:items',
        status: 'ok',
        expected: 120,
        actual: 120,
      })

      const refused = await ddbm(['seed', '--env', 'prod', '--json', ...at], { cwd })
      expect(refused.code).toBe(2)
      expect(JSON.parse(refused.stdout)).toStrictEqual({
        ok: false,
        command: 'seed',
        error: {
          code: 'PROTECTED_ENV',
          exitCode: 2,
          message:
            'Refusing seed on environment "prod", protected in ddbm.config.json:\n  write 120 items to Orders-prod\nconfirm with --confirm-env prod',
          hint: ERRORS.PROTECTED_ENV.hint,
          details: {
            env: 'prod',
            steps: ['write 120 items to Orders-prod'],
            protectedBy: 'config',
          },
        },
      })
    })
  })
}
