import { expect } from 'vitest'
import { CUSTOMERS, ORDERS, ORDERS_BY_DATE, ORDERS_BY_STATUS } from '../fixtures/tables.js'
import type { Engine, Supports } from './engines.js'

/**
 * The parts of the `--json` documents the CLI prints for the migration project (migrationProject in
 * temp-tree.ts), for tests that pin whole documents with `toStrictEqual`. Only genuinely variable values
 * are matchers: timestamps, durations.
 */

/** `appliedBy` of every record: e2e tests run the CLI with `DDBM_APPLIED_BY` set to this. */
export const APPLIED_BY = 'e2e@ddbm-test'

/** Any ISO-8601 UTC timestamp with milliseconds, as records and locks store them. */
export const ISO_TIME = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)

const FILES = {
  '0001_tables': 'migrations/0001_tables.json',
  '0002_indexes': 'migrations/0002_indexes.json',
  '0003_marker': 'migrations/0003_marker.ts',
} as const

/** The migrations of the migration project, in order. */
export type MigrationName = keyof typeof FILES

/** The state of one migration in a `migrate status` row (and `status` of `migrate up|down`). */
export type RowState = 'pending' | 'applied' | 'resolved' | { failed: string }

/** The `migrate status` row of `name` in `state`; `resolved` is applied by `migrate resolve --applied`. */
export function row(name: MigrationName, state: RowState): Record<string, unknown> {
  const file = FILES[name]
  if (state === 'pending') return { name, file, state }
  if (state === 'resolved') {
    return {
      name,
      file,
      state: 'applied',
      appliedAt: ISO_TIME,
      appliedBy: `${APPLIED_BY} (resolve --applied)`,
    }
  }
  const ran = {
    name,
    file,
    appliedAt: ISO_TIME,
    appliedBy: APPLIED_BY,
    durationMs: expect.any(Number),
  }
  return state === 'applied' ? { ...ran, state } : { ...ran, state: 'failed', error: state.failed }
}

/** The rows of all three migrations, in `states` order. */
export function rows(...states: [RowState, RowState, RowState]): Record<string, unknown>[] {
  return (Object.keys(FILES) as MigrationName[]).map((name, i) => row(name, states[i]!))
}

type Step = { op: Record<string, unknown>; table: string; text: string }

/** The planned steps of `name` going up, on tables under `suffix`. */
export function upSteps(name: MigrationName, suffix: string): Step[] {
  const orders = `Orders-${suffix}`
  const customers = `Customers-${suffix}`
  switch (name) {
    case '0001_tables':
      return [
        {
          op: { op: 'createTable', table: 'Orders', definition: ORDERS },
          table: orders,
          text: `create table ${orders} (PK HASH, SK RANGE; PAY_PER_REQUEST; GSI byCustomer; TTL expiresAt)`,
        },
        {
          op: { op: 'createTable', table: 'Customers', definition: CUSTOMERS },
          table: customers,
          text: `create table ${customers} (id HASH; PAY_PER_REQUEST)`,
        },
      ]
    case '0002_indexes':
      return [
        {
          op: {
            op: 'createGsi',
            table: 'Orders',
            index: ORDERS_BY_STATUS,
            attributeDefinitions: [
              { AttributeName: 'status', AttributeType: 'S' },
              { AttributeName: 'SK', AttributeType: 'S' },
            ],
          },
          table: orders,
          text: `create GSI byStatus on ${orders} (status HASH, SK RANGE; KEYS_ONLY)`,
        },
        {
          op: {
            op: 'createGsi',
            table: 'Orders',
            index: ORDERS_BY_DATE,
            attributeDefinitions: [{ AttributeName: 'createdAt', AttributeType: 'S' }],
          },
          table: orders,
          text: `create GSI byDate on ${orders} (createdAt HASH; INCLUDE total)`,
        },
        {
          op: {
            op: 'updateBilling',
            table: 'Customers',
            billingMode: 'PROVISIONED',
            provisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
          },
          table: customers,
          text: `set billing of ${customers} to PROVISIONED (table 5/5 RCU/WCU)`,
        },
      ]
    case '0003_marker':
      return [markerStep('up')]
  }
}

/** The one step of the `.ts` migration 0003_marker in `direction`. */
export function markerStep(direction: 'up' | 'down'): Step {
  return {
    op: { op: 'typescript', file: FILES['0003_marker'] },
    table: '',
    text: `run ${FILES['0003_marker']} ${direction}(ctx)`,
  }
}

/**
 * The `result` of `migrate up|down` in environment `t` under `suffix`: `migrations` run (or planned, when
 * `dryRun`) with their steps, `status` rows after it, and `verify` (a real `up` verifies afterwards).
 */
export function migrateResult(
  suffix: string,
  run: {
    direction?: 'up' | 'down'
    dryRun?: boolean
    migrations: { name: MigrationName; steps: Step[] }[]
    status: Record<string, unknown>[]
    verify?: Record<string, unknown>
  },
): Record<string, unknown> {
  return {
    env: 't',
    metaTable: `ddbm_migrations-${suffix}`,
    direction: run.direction ?? 'up',
    dryRun: run.dryRun ?? false,
    migrations: run.migrations,
    status: run.status,
    ...(run.verify === undefined ? {} : { verify: run.verify }),
  }
}

/** `migrations` of `migrate up` running `names` with all their steps. */
export function upMigrations(
  suffix: string,
  ...names: MigrationName[]
): { name: MigrationName; steps: Step[] }[] {
  return names.map((name) => ({ name, steps: upSteps(name, suffix) }))
}

/**
 * Why each engine cannot answer a check, as verify words it (see docs/engines.md); a flag that an engine
 * supports has no entry.
 */
const UNSUPPORTED: Record<string, Partial<Record<SettingCheck, string>>> = {
  'dynamodb-local': {
    pitr: 'PITR: the endpoint does not implement it (An unknown operation was requested.)',
    sse: 'DynamoDB Local does not report encryption settings',
    tableClass: 'DynamoDB Local does not report the table class',
    tags: 'tags: the endpoint does not implement it (Tagging is not currently supported in DynamoDB Local.)',
  },
  moto: { tableClass: 'the endpoint reports no TableClassSummary (moto never does)' },
}

type SettingCheck = 'pitr' | 'sse' | 'tableClass' | 'tags'
const FLAG: Record<SettingCheck, keyof Supports> = {
  pitr: 'pitr',
  sse: 'sseInDescribe',
  tableClass: 'tableClassInDescribe',
  tags: 'tags',
}

/** The check of a setting the project's tables leave at its default, ok where `engine` can answer it. */
function setting(
  engine: Engine,
  table: string,
  check: SettingCheck,
  value: unknown,
): Record<string, unknown> {
  if (engine.supports[FLAG[check]]) {
    if (check === 'tableClass') throw new Error('no test engine reports the table class yet')
    return { table, check, status: 'ok', expected: value, actual: value }
  }
  const detail = UNSUPPORTED[engine.name]?.[check]
  if (detail === undefined) throw new Error(`no measured wording for ${check} on ${engine.name}`)
  return { table, check, status: 'unsupported', detail }
}

const ok = (table: string, check: string, value: unknown) => ({
  table,
  check,
  status: 'ok',
  expected: value,
  actual: value,
})

/** The `result` of `ddbm verify` (and `verify` of `migrate up`) once all three migrations ran on `engine`. */
export function verifyResult(engine: Engine, suffix: string): Record<string, unknown> {
  const settings = (table: string) => ({
    pitr: setting(engine, table, 'pitr', 'DISABLED'),
    sse: setting(engine, table, 'sse', 'DISABLED'),
    tableClass: setting(engine, table, 'tableClass', undefined),
    tags: setting(engine, table, 'tags', {}),
  })
  const c = settings('Customers')
  const o = settings('Orders')
  const customers = [
    ok('Customers', 'exists', 'ACTIVE'),
    ok('Customers', 'keys', 'id:S HASH'),
    ok('Customers', 'billing', 'PROVISIONED (read 5, write 5)'),
    ok('Customers', 'ttl', 'DISABLED'),
    c.pitr,
    c.sse,
    ok('Customers', 'stream', 'DISABLED'),
    ok('Customers', 'deletionProtection', false),
    c.tableClass,
    c.tags,
  ]
  const orders = [
    ok('Orders', 'exists', 'ACTIVE'),
    ok('Orders', 'keys', 'PK:S HASH, SK:S RANGE'),
    ok('Orders', 'gsi:byCustomer', 'customerId:S HASH; ALL'),
    ok('Orders', 'gsi:byDate', 'createdAt:S HASH; INCLUDE [total]'),
    ok('Orders', 'gsi:byStatus', 'status:S HASH, SK:S RANGE; KEYS_ONLY'),
    ok('Orders', 'billing', 'PAY_PER_REQUEST'),
    ok('Orders', 'ttl', 'ENABLED on expiresAt'),
    o.pitr,
    o.sse,
    ok('Orders', 'stream', 'DISABLED'),
    ok('Orders', 'deletionProtection', false),
    o.tableClass,
    o.tags,
  ]
  const all = [...customers, ...orders]
  const count = (status: string) => all.filter((check) => check.status === status).length
  return {
    env: 't',
    tables: [
      { table: 'Customers', physical: `Customers-${suffix}`, checks: customers },
      { table: 'Orders', physical: `Orders-${suffix}`, checks: orders },
    ],
    summary: { ok: count('ok'), drift: 0, unsupported: count('unsupported'), pending: 0 },
  }
}
