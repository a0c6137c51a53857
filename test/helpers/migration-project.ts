import { randomUUID } from 'node:crypto'
import { tmpProject } from './project.js'

/** Orders as migration 0001 creates it. */
const ORDERS_0001 = {
  TableName: 'Orders',
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
    { AttributeName: 'customerId', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byCustomer',
      KeySchema: [{ AttributeName: 'customerId', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
}

/** The two GSIs (and their new key attributes) that migration 0002 adds to Orders. */
const BY_STATUS = {
  IndexName: 'byStatus',
  KeySchema: [
    { AttributeName: 'status', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'KEYS_ONLY' },
}
const BY_DATE = {
  IndexName: 'byDate',
  KeySchema: [{ AttributeName: 'createdAt', KeyType: 'HASH' }],
  Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
}
const STATUS = { AttributeName: 'status', AttributeType: 'S' }
const CREATED_AT = { AttributeName: 'createdAt', AttributeType: 'S' }

/**
 * A project with three migrations of several steps each, for migrate tests:
 * 0001 creates Orders (GSI byCustomer, TTL) and Customers; 0002 adds two GSIs to Orders and switches
 * Customers to PROVISIONED; 0003 is a `.ts` data migration that writes one marker item per execution into
 * Customers (pk `run#<uuid>`), so counting markers counts how often it ran.
 * `schemas/` holds the state the three migrations produce, so `migrate up` verifies clean.
 * Environment `t` puts every table (and the meta table) under a unique suffix, so tests share one engine.
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
        {
          op: 'createTable',
          table: 'Orders',
          definition: ORDERS_0001,
        },
        {
          op: 'createTable',
          table: 'Customers',
          definition: {
            TableName: 'Customers',
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
          },
        },
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
          index: BY_STATUS,
          attributeDefinitions: [STATUS, { AttributeName: 'SK', AttributeType: 'S' }],
        },
        {
          op: 'createGsi',
          table: 'Orders',
          index: BY_DATE,
          attributeDefinitions: [CREATED_AT],
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
    'schemas/Orders.json': {
      ...ORDERS_0001,
      AttributeDefinitions: [...ORDERS_0001.AttributeDefinitions, STATUS, CREATED_AT],
      GlobalSecondaryIndexes: [...ORDERS_0001.GlobalSecondaryIndexes, BY_STATUS, BY_DATE],
    },
    'schemas/Customers.json': {
      TableName: 'Customers',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    },
    'migrations/0003_marker.ts': `import { randomUUID } from 'node:crypto'

export async function up(ctx: any): Promise<void> {
  await ctx.putItems('Customers', [{ id: 'run#' + randomUUID(), pid: process.pid }])
}

export async function down(ctx: any): Promise<void> {}
`,
  })
  return { cwd, suffix, tableName: (logical) => `${logical}-${suffix}` }
}
