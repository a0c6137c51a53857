import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { onTestFinished } from 'vitest'
import {
  CUSTOMERS,
  ORDERS,
  ORDERS_BY_DATE,
  ORDERS_BY_STATUS,
  ORDERS_INDEXED,
} from '../fixtures/tables.js'
import { dropTables } from './engines.js'

/**
 * A new temporary folder named `<prefix>…` with `files` under it (path → text as is, or any other value
 * written as pretty JSON with a final newline). It is removed when the test ends, after the cleanups the
 * test registers later (vitest runs `onTestFinished` callbacks last-in, first-out). Call it inside a test.
 */
export async function tempTree(prefix: string, files: Record<string, unknown>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), prefix))
  onTestFinished(() => rm(root, { recursive: true, force: true }))
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name)
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(
      file,
      typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`,
    )
  }
  return root
}

/**
 * A project tree (see tempTree): `ddbm.config.json` defaults to one embedded `local` environment, `files`
 * add to it or replace it. Removed when the test ends.
 */
export function tmpProject(files: Record<string, unknown> = {}): Promise<string> {
  return tempTree('ddbm-project-', {
    'ddbm.config.json': { version: 1, environments: { local: { endpoint: 'embedded' } } },
    ...files,
  })
}

/**
 * A project (see tmpProject, plus `files`) whose default environment `t` puts every table under a unique
 * suffix, so tests can share one engine; the tables with that suffix on `engine` are dropped when the
 * test ends, before the tree is removed.
 */
export async function suffixedProject(
  engine: { endpoint: string },
  files: Record<string, unknown> = {},
): Promise<{ cwd: string; suffix: string }> {
  const suffix = randomUUID().slice(0, 8)
  const cwd = await tmpProject({
    'ddbm.config.json': {
      version: 1,
      defaultEnv: 't',
      environments: { t: { tableNameTemplate: `{table}-${suffix}` } },
    },
    ...files,
  })
  onTestFinished(() => dropTables(engine.endpoint, suffix))
  return { cwd, suffix }
}

/** The `.ts` data migration 0003 of the migration project: one marker item per execution. */
const MARKER_MIGRATION = `import { randomUUID } from 'node:crypto'

export async function up(ctx: any): Promise<void> {
  await ctx.putItems('Customers', [{ id: 'run#' + randomUUID(), pid: process.pid }])
}

export async function down(ctx: any): Promise<void> {}
`

/**
 * A project with three migrations of several steps each, for migrate tests:
 * 0001 creates ORDERS (GSI byCustomer, TTL) and CUSTOMERS; 0002 adds ORDERS_BY_STATUS and ORDERS_BY_DATE
 * to Orders and switches Customers to PROVISIONED 5/5; 0003 is a `.ts` data migration that writes one
 * marker item per execution into Customers (pk `run#<uuid>`), so counting markers counts how often it
 * ran. `schemas/` holds the state the three migrations produce, so `migrate up` verifies clean.
 * Environment `t` puts every table (and the meta table) under a unique suffix, so tests share one engine.
 * The tree is removed when the test ends; dropping the tables is the caller's (dropTables).
 */
export async function migrationProject(
  opts: { protected?: boolean; leaseMs?: number } = {},
): Promise<{ cwd: string; suffix: string; tableName: (logical: string) => string }> {
  const suffix = randomUUID().slice(0, 8)
  const cwd = await tmpProject({
    'ddbm.config.json': {
      version: 1,
      defaultEnv: 't',
      lock: { leaseMs: opts.leaseMs ?? 2_000 },
      environments: {
        t: { tableNameTemplate: `{table}-${suffix}`, protected: opts.protected ?? false },
      },
    },
    'migrations/0001_tables.json': {
      version: 1,
      up: [
        { op: 'createTable', table: 'Orders', definition: ORDERS },
        { op: 'createTable', table: 'Customers', definition: CUSTOMERS },
      ],
      down: [
        { op: 'deleteTable', table: 'Customers' },
        { op: 'deleteTable', table: 'Orders' },
      ],
    },
    'migrations/0002_indexes.json': {
      version: 1,
      up: [
        {
          op: 'createGsi',
          table: 'Orders',
          index: ORDERS_BY_STATUS,
          attributeDefinitions: [
            { AttributeName: 'status', AttributeType: 'S' },
            { AttributeName: 'SK', AttributeType: 'S' },
          ],
        },
        {
          op: 'createGsi',
          table: 'Orders',
          index: ORDERS_BY_DATE,
          attributeDefinitions: [{ AttributeName: 'createdAt', AttributeType: 'S' }],
        },
        {
          op: 'updateBilling',
          table: 'Customers',
          billingMode: 'PROVISIONED',
          provisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        },
      ],
      down: [
        { op: 'updateBilling', table: 'Customers', billingMode: 'PAY_PER_REQUEST' },
        { op: 'deleteGsi', table: 'Orders', indexName: 'byDate' },
        { op: 'deleteGsi', table: 'Orders', indexName: 'byStatus' },
      ],
    },
    'schemas/Orders.json': ORDERS_INDEXED,
    'schemas/Customers.json': {
      ...CUSTOMERS,
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    },
    'migrations/0003_marker.ts': MARKER_MIGRATION,
  })
  return { cwd, suffix, tableName: (logical) => `${logical}-${suffix}` }
}
