import {
  CreateTableCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, onTestFinished, test } from 'vitest'
import { migrateUp, pull, verify, type VerifyResult } from '../../../src/api/index.js'
import { Reporter } from '../../../src/cli/reporter.js'
import { waitForIndexGone, waitForTableActive } from '../../../src/dynamo/wait.js'
import { isDdbmError, type DdbmError } from '../../../src/errors.js'
import type { Event } from '../../../src/events.js'
import { normalizeTable } from '../../../src/plan/normalize.js'
import { loadSchemas } from '../../../src/schema/load-schemas.js'
import type { TableSchema } from '../../../src/schema/table-schema.js'
import { engineClient, engines, type Engine, describeOn } from '../../helpers/engines.js'
import { suffixedProject } from '../../helpers/temp-tree.js'

const ORDERS: TableSchema = {
  TableName: 'Orders',
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
    { AttributeName: 'status', AttributeType: 'S' },
    { AttributeName: 'customerId', AttributeType: 'S' },
    { AttributeName: 'createdAt', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byStatus',
      KeySchema: [
        { AttributeName: 'status', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
    {
      IndexName: 'byCustomer',
      KeySchema: [{ AttributeName: 'customerId', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total', 'name'] },
    },
  ],
  LocalSecondaryIndexes: [
    {
      IndexName: 'byCreated',
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'createdAt', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  SSESpecification: { SSEEnabled: true },
  StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
  TableClass: 'STANDARD_INFREQUENT_ACCESS',
  Tags: [
    { Key: 'team', Value: 'core' },
    { Key: 'app', Value: 'shop' },
  ],
}

const CUSTOMERS: TableSchema = {
  TableName: 'Customers',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
}

const PRODUCTS: TableSchema = {
  TableName: 'Products',
  AttributeDefinitions: [
    { AttributeName: 'sku', AttributeType: 'S' },
    { AttributeName: 'category', AttributeType: 'S' },
  ],
  KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }],
  ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 4 },
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byCategory',
      KeySchema: [{ AttributeName: 'category', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 1 },
    },
  ],
}

const TABLES = [CUSTOMERS, ORDERS, PRODUCTS]

/**
 * A project whose schemas/ and one migration create Customers, Orders and Products under a unique
 * suffix, migrated up on `engine`; its tables are dropped when the test ends.
 */
async function migrated(engine: Engine) {
  const files: Record<string, unknown> = {
    'migrations/0001_tables.json': {
      version: 1,
      up: TABLES.map((t) => ({ op: 'createTable', table: t.TableName, definition: t })),
      down: TABLES.map((t) => ({ op: 'deleteTable', table: t.TableName })),
    },
  }
  for (const t of TABLES) {
    files[`schemas/${t.TableName}.json`] = { $schema: '../schema/table.schema.json', ...t }
  }
  const { cwd, suffix } = await suffixedProject(engine, files)
  const opts = { cwd, endpoint: engine.endpoint, processEnv: {} }
  await migrateUp(opts)
  const client = engineClient(engine)
  onTestFinished(() => client.destroy())
  return { cwd, suffix, opts, client, name: (logical: string) => `${logical}-${suffix}` }
}

/** `Table check` of every check with this status. */
function withStatus(result: VerifyResult, status: string): string[] {
  return result.tables.flatMap((t) =>
    t.checks.filter((c) => c.status === status).map((c) => `${c.table} ${c.check}`),
  )
}

/** The checks each engine cannot answer, per its measured `supports` flags. */
function unsupportedOn(engine: Engine, tables: readonly TableSchema[]): string[] {
  const s = engine.supports
  return tables.flatMap((t) =>
    [
      s.pitr ? [] : ['pitr'],
      s.sseInDescribe ? [] : ['sse'],
      s.tableClassInDescribe ? [] : ['tableClass'],
      s.tags ? [] : ['tags'],
    ]
      .flat()
      .map((check) => `${t.TableName} ${check}`),
  )
}

async function driftOf(promise: Promise<unknown>): Promise<DdbmError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isDdbmError(err, 'VERIFY_DRIFT')) throw err ?? new Error('verify did not fail')
  return err
}

async function deleteGsi(client: DynamoDBClient, table: string, index: string): Promise<void> {
  await client.send(
    new UpdateTableCommand({
      TableName: table,
      GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: index } }],
    }),
  )
  await waitForIndexGone(client, table, index, { timeoutMs: 30_000 })
}

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: verify and db pull`, () => {
    test('a freshly migrated environment has no drift; unsupported exactly where the engine says', async () => {
      const { opts } = await migrated(engine)
      const events: Event[] = []
      const result = await verify({ ...opts, emit: (e) => events.push(e) })
      expect(withStatus(result, 'drift')).toStrictEqual([])
      expect(withStatus(result, 'pending')).toStrictEqual([])
      expect(withStatus(result, 'unsupported')).toStrictEqual(unsupportedOn(engine, TABLES))
      expect(result.tables.map((t) => t.table)).toStrictEqual(['Customers', 'Orders', 'Products'])
      const checks = result.tables.flatMap((t) => t.checks)
      expect(result.summary).toStrictEqual({
        ok: checks.length - withStatus(result, 'unsupported').length,
        drift: 0,
        unsupported: withStatus(result, 'unsupported').length,
        pending: 0,
      })
      expect(events.filter((e) => e.kind === 'check')).toHaveLength(checks.length)
      const orders = result.tables.find((t) => t.table === 'Orders')
      expect(orders?.checks.map((c) => c.check)).toStrictEqual([
        'exists',
        'keys',
        'gsi:byCustomer',
        'gsi:byStatus',
        'lsi:byCreated',
        'billing',
        'ttl',
        'pitr',
        'sse',
        'stream',
        'deletionProtection',
        'tableClass',
        'tags',
      ])
    })

    test('changes behind ddbm’s back are drift: exit 3 naming exactly those checks', async () => {
      const { opts, client, name } = await migrated(engine)
      await deleteGsi(client, name('Orders'), 'byStatus')
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: name('Orders'),
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: false },
        }),
      )
      await client.send(
        new UpdateTableCommand({
          TableName: name('Customers'),
          BillingMode: 'PROVISIONED',
          ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 },
        }),
      )
      await waitForTableActive(client, name('Customers'), { timeoutMs: 30_000 })

      const err = await driftOf(verify(opts))
      expect(err.exitCode).toBe(3)
      // Every migration is applied and schemas/ is what they build: changed outside ddbm, and the hint
      // does not send the user to `migrate generate` (which would find nothing to write).
      const message =
        '3 drifts in t: Customers billing, Orders gsi:byStatus, Orders ttl; schemas/ matches migrations/ and every migration is applied: the live tables were changed outside ddbm'
      const hint =
        'Restore the tables by hand to what schemas/ says (the expected values above), or, to keep the live state, edit schemas/ to match it and run `ddbm migrate generate <name>`.'
      expect([err.message, err.hint]).toStrictEqual([message, hint])
      const result = err.details?.result as VerifyResult
      expect(withStatus(result, 'drift')).toStrictEqual([
        'Customers billing',
        'Orders gsi:byStatus',
        'Orders ttl',
      ])
      const billing = result.tables[0]?.checks.find((c) => c.check === 'billing')
      expect(billing).toStrictEqual({
        table: 'Customers',
        check: 'billing',
        status: 'drift',
        expected: 'PAY_PER_REQUEST',
        actual: 'PROVISIONED (read 3, write 3)',
      })

      // The human error output shows the drift rows as a table; --json stays one document.
      const out: string[] = []
      const errOut: string[] = []
      const human = new Reporter(
        { json: false, quiet: false, verbose: false },
        { write: (t: string) => out.push(t) },
        { write: (t: string) => errOut.push(t) },
      )
      expect(human.fatal(err)).toBe(3)
      const text = errOut.join('')
      expect(text).toMatch(/^table\s+check\s+status\s+expected\s+actual/)
      expect(text).toMatch(/Customers\s+billing\s+drift\s+PAY_PER_REQUEST\s+PROVISIONED/)
      expect(text).toMatch(/Orders\s+gsi:byStatus\s+drift\s+.*missing/)
      expect(text).toContain('error: 3 drifts in t: Customers billing')
      expect(text).toContain(`hint: ${hint}\n`)
      const jsonOut: string[] = []
      const json = new Reporter(
        { json: true, quiet: false, verbose: false },
        { write: (t: string) => jsonOut.push(t) },
        { write: () => undefined },
      )
      expect(json.fatal(err)).toBe(3)
      expect(JSON.parse(jsonOut.join(''))).toStrictEqual({
        ok: false,
        command: 'ddbm',
        error: {
          code: 'VERIFY_DRIFT',
          exitCode: 3,
          message,
          hint,
          details: {
            result: JSON.parse(JSON.stringify(result)),
            reason: 'changed-outside',
            pending: [],
          },
        },
      })
    })

    test('--table verifies one table; an unknown one is a usage error; stray tables are drift', async () => {
      const { opts, client, name } = await migrated(engine)
      const one = await verify({ ...opts, table: 'Customers' })
      expect(one.tables.map((t) => t.table)).toStrictEqual(['Customers'])
      expect(withStatus(one, 'drift')).toStrictEqual([])
      await expect(verify({ ...opts, table: 'Nope' })).rejects.toMatchObject({
        code: 'USAGE',
        message: 'Unknown table "Nope": schemas/ defines Customers, Orders, Products',
      })

      await client.send(
        new CreateTableCommand({
          TableName: name('Stray'),
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      )
      await waitForTableActive(client, name('Stray'), { timeoutMs: 30_000 })
      const err = await driftOf(verify(opts))
      expect(withStatus(err.details?.result as VerifyResult, 'drift')).toStrictEqual([
        'Stray exists',
      ])
      // --table looks at that table only: the stray table is no drift of Orders.
      const orders = await verify({ ...opts, table: 'Orders' })
      expect(orders.tables.map((t) => t.table)).toStrictEqual(['Orders'])
      expect(withStatus(orders, 'drift')).toStrictEqual([])
      expect(withStatus(orders, 'unsupported')).toStrictEqual(unsupportedOn(engine, [ORDERS]))
    })

    test('db pull writes schemas that load cleanly and equal the normalized originals', async () => {
      const { opts, cwd, suffix } = await migrated(engine)
      await rm(join(cwd, 'schemas'), { recursive: true })
      const events: Event[] = []
      const result = await pull({ ...opts, emit: (e) => events.push(e) })
      expect([...result.written].sort()).toStrictEqual([
        'schemas/Customers.json',
        'schemas/Orders.json',
        'schemas/Products.json',
      ])
      expect(result.skipped).toContain(`ddbm_migrations-${suffix}`)
      expect(events.filter((e) => e.kind === 'log' && e.level === 'warn')).toStrictEqual([])

      const loaded = await loadSchemas(join(cwd, 'schemas'), { root: cwd })
      expect(loaded.issues).toStrictEqual([])
      const s = engine.supports
      for (const original of TABLES) {
        const file = join(cwd, 'schemas', `${original.TableName}.json`)
        const text = await readFile(file, 'utf8')
        expect(
          text.startsWith(
            '{\n  "$schema": "../node_modules/ddbm/schema/table.schema.json",\n  "TableName"',
          ),
        ).toBe(true)
        expect(text.endsWith('}\n')).toBe(true)
        const want: Record<string, unknown> = {
          $schema: '../node_modules/ddbm/schema/table.schema.json',
          ...normalizeTable(original),
        }
        if (!s.pitr) delete want.PointInTimeRecoverySpecification
        if (!s.tags) delete want.Tags
        if (!s.tableClassInDescribe) delete want.TableClass
        if (want.SSESpecification !== undefined) {
          if (!s.sseInDescribe) delete want.SSESpecification
          // DescribeTable names even the AWS managed key by its ARN; pull writes the AWS managed key.
          else want.SSESpecification = { SSEEnabled: true, SSEType: 'KMS' }
        }
        expect(JSON.parse(text)).toStrictEqual(want)
      }

      // The pulled schemas verify clean against the tables they came from.
      const again = await verify(opts)
      expect(withStatus(again, 'drift')).toStrictEqual([])
      expect(withStatus(again, 'unsupported')).toStrictEqual(unsupportedOn(engine, TABLES))

      await rm(join(cwd, 'schemas'), { recursive: true })
      expect((await pull({ ...opts, table: 'Orders' })).written).toStrictEqual([
        'schemas/Orders.json',
      ])
      await expect(pull({ ...opts, table: 'Nope' })).rejects.toMatchObject({ code: 'USAGE' })
    })
  })
}
