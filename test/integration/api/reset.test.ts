import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { afterAll, expect, test } from 'vitest'
import { reset, type ResetResult, type VerifyResult } from '../../../src/api/index.js'
import { dynamoMetaStore } from '../../../src/engine/meta/dynamo-meta-store.js'
import { acquireLock } from '../../../src/engine/meta/lock.js'
import { createTableInput } from '../../../src/engine/steps/create-table-input.js'
import { isDdbmError } from '../../../src/errors.js'
import { silent } from '../../../src/events.js'
import { CUSTOMERS, ORDERS } from '../../fixtures/tables.js'
import { callCounter } from '../../helpers/calls.js'
import { engineClient, engines, type Engine, describeOn } from '../../helpers/engines.js'
import { suffixedProject } from '../../helpers/temp-tree.js'

/**
 * A clock fixed for this file (every run in it writes the same `expiresIn` TTL values), two days ahead of
 * the real one: DynamoDB Local deletes items whose TTL has passed, so a fixed date once in the past made
 * seeded items disappear mid-test (seen on 2026-12-02 with a clock fixed on 2026-12-01).
 */
const NOW = Date.now() + 2 * 86_400_000

const MIGRATION = {
  version: 1,
  up: [
    { op: 'createTable', table: 'Orders', definition: ORDERS },
    { op: 'createTable', table: 'Customers', definition: CUSTOMERS },
  ],
  down: [
    { op: 'deleteTable', table: 'Customers' },
    { op: 'deleteTable', table: 'Orders' },
  ],
}

/**
 * Orders (GSI byCustomer, TTL) and Customers, one migration creating both, a seed of 12 orders (with TTL
 * values) and one of 4 customers; environment `t` under a unique suffix (`writeConfig(true)` protects it).
 */
async function resetProject(engine: Engine) {
  const { cwd, suffix } = await suffixedProject(engine, {
    'schemas/Orders.json': ORDERS,
    'schemas/Customers.json': CUSTOMERS,
    'migrations/0001_tables.json': MIGRATION,
    'seeds/Orders.seed.ts': `export default {
  table: 'Orders',
  count: 12,
  generate: (ctx) => ({ PK: 'order#' + ctx.i, SK: 'v1', customerId: 'c' + (ctx.i % 4), expiresAt: ctx.expiresIn(7) }),
}
`,
    'seeds/Customers.seed.ts': `export default {
  table: 'Customers',
  count: 4,
  generate: ({ i }) => ({ id: 'c' + i }),
}
`,
  })
  const writeConfig = (isProtected: boolean) =>
    writeFile(
      join(cwd, 'ddbm.config.json'),
      JSON.stringify({
        version: 1,
        defaultEnv: 't',
        lock: { leaseMs: 2_000 },
        environments: { t: { tableNameTemplate: `{table}-${suffix}`, protected: isProtected } },
      }),
    )
  await writeConfig(false)
  const t = (logical: string) => `${logical}-${suffix}`
  return {
    base: { cwd, endpoint: engine.endpoint, processEnv: {}, now: () => NOW },
    t,
    writeConfig,
  }
}

/** The result with what changes from run to run replaced, and each check as `check status`. */
function normalised(r: ResetResult) {
  return {
    ...r,
    migrate: {
      ...r.migrate,
      status: r.migrate.status.map((s) => ({
        ...s,
        appliedAt: typeof s.appliedAt,
        appliedBy: typeof s.appliedBy,
        durationMs: typeof s.durationMs,
      })),
    },
    seed: { ...r.seed, tables: r.seed.tables.map((t) => ({ ...t, seconds: typeof t.seconds })) },
    verify: {
      ...r.verify,
      tables: r.verify.tables.map((t) => ({
        ...t,
        checks: t.checks.map((c) => (c.check.startsWith('data:') ? c : `${c.check} ${c.status}`)),
      })),
    },
  }
}

async function count(client: DynamoDBClient, table: string): Promise<number> {
  const out = await client.send(
    new ScanCommand({ TableName: table, Select: 'COUNT', ConsistentRead: true }),
  )
  return out.Count ?? 0
}

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: ddbm db reset`, () => {
    const client = engineClient(engine)
    afterAll(() => client.destroy())
    const s = engine.supports

    test('recreates the tables from schemas/, seeds and verifies them; the whole document', async () => {
      const p = await resetProject(engine)
      const first = await reset(p.base)
      expect(first.deleted).toStrictEqual([])
      const store = dynamoMetaStore({ client, table: p.t('ddbm_migrations') })
      const [before] = await store.readRecords()

      // Behind ddbm's back: a stray item, and deletion protection on a table of a non-protected env.
      await client.send(
        new PutItemCommand({
          TableName: p.t('Orders'),
          Item: { PK: { S: 'stray' }, SK: { S: 'x' } },
        }),
      )
      await client.send(
        new UpdateTableCommand({ TableName: p.t('Customers'), DeletionProtectionEnabled: true }),
      )
      const calls = callCounter()
      const result = await reset({ ...p.base, instrument: calls.instrument })

      const stray = await client.send(
        new GetItemCommand({
          TableName: p.t('Orders'),
          Key: { PK: { S: 'stray' }, SK: { S: 'x' } },
          ConsistentRead: true,
        }),
      )
      expect(stray.Item).toBeUndefined()
      expect(await count(client, p.t('Orders'))).toBe(12)
      expect(await count(client, p.t('Customers'))).toBe(4)
      const customers = await client.send(new DescribeTableCommand({ TableName: p.t('Customers') }))
      expect(customers.Table?.DeletionProtectionEnabled ?? false).toBe(false)
      expect(calls.calls.filter((c) => c === 'DeleteTable')).toHaveLength(3)

      // The meta table holds this run's record, not the first run's.
      const records = await store.readRecords()
      expect(records.map((r) => [r.name, r.status])).toStrictEqual([['0001_tables', 'applied']])
      expect(records[0]?.runId).not.toBe(before?.runId)
      expect(Date.parse(records[0]?.startedAt ?? '')).toBeGreaterThan(
        Date.parse(before?.finishedAt ?? ''),
      )

      const unsupported = (supported: boolean) => (supported ? 'ok' : 'unsupported')
      const checks = (...extra: string[]) => [
        'exists ok',
        'keys ok',
        ...extra,
        'billing ok',
        'ttl ok',
        `pitr ${unsupported(s.pitr)}`,
        `sse ${unsupported(s.sseInDescribe)}`,
        'stream ok',
        'deletionProtection ok',
        `tableClass ${unsupported(s.tableClassInDescribe)}`,
        `tags ${unsupported(s.tags)}`,
      ]
      const data = (table: string, check: string, expected: unknown, actual: unknown) => ({
        table,
        check: `data:${check}`,
        status: 'ok',
        expected,
        actual,
      })
      const verifyTables = [
        {
          table: 'Customers',
          physical: p.t('Customers'),
          checks: [...checks(), data('Customers', 'items', 4, 4)],
        },
        {
          table: 'Orders',
          physical: p.t('Orders'),
          checks: [
            ...checks('gsi:byCustomer ok'),
            data('Orders', 'items', 12, 12),
            data('Orders', 'gsi:byCustomer', 12, 12),
            data(
              'Orders',
              'ttl',
              'expiresAt: epoch seconds in the future',
              '12 of 12 items, all in epoch seconds in the future',
            ),
          ],
        },
      ]
      const summary: VerifyResult['summary'] = { ok: 0, drift: 0, unsupported: 0, pending: 0 }
      for (const table of verifyTables) {
        for (const c of table.checks) {
          summary[(typeof c === 'string' ? c.split(' ')[1] : c.status) as 'ok']++
        }
      }
      const seedTable = (table: string, n: number) => ({
        table,
        physical: p.t(table),
        files: [`seeds/${table}.seed.ts`],
        count: n,
        written: n,
        failed: 0,
        retries: 0,
        throttles: 0,
        seconds: 'number',
      })
      expect(normalised(result)).toStrictEqual({
        env: 't',
        deleted: [p.t('Customers'), p.t('Orders'), p.t('ddbm_migrations')],
        migrate: {
          env: 't',
          metaTable: p.t('ddbm_migrations'),
          direction: 'up',
          dryRun: false,
          migrations: [
            {
              name: '0001_tables',
              steps: [
                {
                  op: MIGRATION.up[0],
                  table: p.t('Orders'),
                  text: `create table ${p.t('Orders')} (PK HASH, SK RANGE; PAY_PER_REQUEST; GSI byCustomer; TTL expiresAt)`,
                },
                {
                  op: MIGRATION.up[1],
                  table: p.t('Customers'),
                  text: `create table ${p.t('Customers')} (id HASH; PAY_PER_REQUEST)`,
                },
              ],
            },
          ],
          status: [
            {
              name: '0001_tables',
              appliedAt: 'string',
              appliedBy: 'string',
              durationMs: 'number',
              file: 'migrations/0001_tables.json',
              state: 'applied',
            },
          ],
        },
        seed: {
          env: 't',
          seed: 1,
          dryRun: false,
          tables: [seedTable('Customers', 4), seedTable('Orders', 12)],
        },
        verify: { env: 't', tables: verifyTables, summary },
      })
    })

    test('refuses with LOCK_HELD while a live run holds the lock, and deletes nothing', async () => {
      const p = await resetProject(engine)
      await reset(p.base)
      const lease = await acquireLock({
        client,
        table: p.t('ddbm_migrations'),
        holder: 'other run',
        leaseMs: 2_000,
        emit: silent,
      })
      try {
        const calls = callCounter()
        const err = await reset({ ...p.base, lockTimeoutMs: 3_000, instrument: calls.instrument })
          .then(() => undefined)
          .catch((e: unknown) => e)
        expect(isDdbmError(err, 'LOCK_HELD')).toBe(true)
        expect(isDdbmError(err) && err.details).toMatchObject({ holder: 'other run' })
        // Only the lock was tried (a conditional PutItem per poll).
        expect(new Set(calls.mutating())).toStrictEqual(new Set(['PutItem']))
        expect(await count(client, p.t('Orders'))).toBe(12)
      } finally {
        await lease.release()
      }
    })

    test('waits for the lock of a live run, then deletes the tables that run created', async () => {
      const p = await resetProject(engine)
      await reset(p.base)
      await client.send(new DeleteTableCommand({ TableName: p.t('Orders') }))
      const lease = await acquireLock({
        client,
        table: p.t('ddbm_migrations'),
        holder: 'other run',
        leaseMs: 2_000,
        emit: silent,
      })
      let waiting: () => void = () => {}
      const waited = new Promise<void>((resolve) => (waiting = resolve))
      const run = reset({
        ...p.base,
        lockTimeoutMs: 30_000,
        emit: (e) => {
          if (e.kind === 'lock' && e.status === 'waiting') waiting()
        },
      })
      await waited
      // The other run creates Orders and writes to it while reset waits.
      await client.send(
        new CreateTableCommand({ ...createTableInput(p.t('Orders'), ORDERS, false) }),
      )
      await client.send(
        new PutItemCommand({
          TableName: p.t('Orders'),
          Item: { PK: { S: 'stray' }, SK: { S: 'x' } },
        }),
      )
      await lease.release()
      const result = await run
      expect(result.deleted).toStrictEqual([
        p.t('Customers'),
        p.t('Orders'),
        p.t('ddbm_migrations'),
      ])
      expect(await count(client, p.t('Orders'))).toBe(12)
    })

    test('drift after reset is VERIFY_DRIFT carrying the verification and the result', async () => {
      const p = await resetProject(engine)
      // schemas/ says PROVISIONED, the migration creates Customers on demand.
      await writeFile(
        join(p.base.cwd, 'schemas/Customers.json'),
        JSON.stringify({
          ...CUSTOMERS,
          BillingMode: 'PROVISIONED',
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        }),
      )
      const err = await reset(p.base)
        .then(() => undefined)
        .catch((e: unknown) => e)
      if (!isDdbmError(err, 'VERIFY_DRIFT')) throw err
      expect(err.message).toBe('1 drift after resetting t: Customers billing')
      const result = err.details.reset as ResetResult
      expect(err.details.result).toStrictEqual(result.verify)
      expect(result.verify.summary.drift).toBe(1)
      expect(result.verify.tables.map((t) => t.table)).toStrictEqual(['Customers', 'Orders'])
      expect(result.seed.tables.map((t) => [t.table, t.written])).toStrictEqual([
        ['Customers', 4],
        ['Orders', 12],
      ])
    })

    test('a protected environment is refused before any mutating call', async () => {
      const p = await resetProject(engine)
      await reset(p.base)
      await p.writeConfig(true)
      const calls = callCounter()
      const err = await reset({ ...p.base, instrument: calls.instrument })
        .then(() => undefined)
        .catch((e: unknown) => e)
      expect(isDdbmError(err, 'PROTECTED_ENV')).toBe(true)
      expect(isDdbmError(err) && err.details).toStrictEqual({
        env: 't',
        protectedBy: 'config',
        steps: [p.t('Customers'), p.t('Orders'), p.t('ddbm_migrations')].map(
          (name) => `delete table ${name}`,
        ),
      })
      expect(calls.mutating()).toStrictEqual([])
      expect(await count(client, p.t('Orders'))).toBe(12)
    })
  })
}
