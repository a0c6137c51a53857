import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, onTestFinished, test } from 'vitest'
import { ddbm } from '../helpers/cli.js'
import { dropTables, engineClient, engines } from '../helpers/engines.js'
import { tmpProject } from '../helpers/temp-tree.js'

const [LOCAL] = engines()
if (LOCAL === undefined) throw new Error('the global setup starts DynamoDB Local')

const S = (name: string) => ({ AttributeName: name, AttributeType: 'S' })
const HASH = (name: string) => ({ AttributeName: name, KeyType: 'HASH' })

const ORDERS = {
  TableName: 'Orders',
  AttributeDefinitions: [S('PK'), S('customerId')],
  KeySchema: [HASH('PK')],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byCustomer',
      KeySchema: [HASH('customerId')],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
}

const CUSTOMERS = {
  TableName: 'Customers',
  AttributeDefinitions: [S('id')],
  KeySchema: [HASH('id')],
  BillingMode: 'PROVISIONED',
  ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
}

/** A GSI named `name` on `status`, with everything else right. */
const onStatus = (name: string) => ({
  IndexName: name,
  KeySchema: [HASH('status')],
  Projection: { ProjectionType: 'KEYS_ONLY' },
})

const WIDE = {
  TableName: 'Wide',
  AttributeDefinitions: [S('PK'), S('status')],
  KeySchema: [HASH('PK')],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: Array.from({ length: 20 }, (_, i) => onStatus(`index${i}`)),
}

/**
 * A project whose migrations hold, between them, one of each mistake DynamoDB would refuse at
 * `migrate up` (or that would make `migrate down` revert nothing), each of them valid JSON of the right
 * shape but the misspelt op. Its environment `t` puts every table under `suffix`.
 */
function brokenProject(suffix: string): Promise<string> {
  return tmpProject({
    'ddbm.config.json': {
      version: 1,
      defaultEnv: 't',
      environments: { t: { tableNameTemplate: `{table}-${suffix}` } },
    },
    'schemas/Orders.json': ORDERS,
    'schemas/Customers.json': CUSTOMERS,
    'migrations/0001_tables.json': {
      version: 1,
      up: [
        { op: 'createTable', table: 'Orders', definition: ORDERS },
        { op: 'createTable', table: 'Customers', definition: CUSTOMERS },
        {
          op: 'createTable',
          table: 'Events',
          definition: {
            ...CUSTOMERS,
            TableName: 'Events',
            AttributeDefinitions: [S('id'), S('ts')],
          },
        },
      ],
      down: [
        { op: 'deleteTable', table: 'Events' },
        { op: 'deleteTable', table: 'Customers' },
        { op: 'deleteTable', table: 'Orders' },
      ],
    },
    'migrations/0002_status_index.json': {
      version: 1,
      up: [
        {
          op: 'createGsi',
          table: 'Orders',
          index: onStatus('X'),
          attributeDefinitions: [S('status')],
        },
      ],
      down: [],
    },
    'migrations/0003_typo.json': {
      version: 1,
      up: [
        {
          op: 'createGSI',
          table: 'Orders',
          index: onStatus('byStatus'),
          attributeDefinitions: [S('status')],
        },
      ],
      down: [{ op: 'deleteGsi', table: 'Orders', indexName: 'byStatus' }],
    },
    'migrations/0004_more.json': {
      version: 1,
      irreversible: true,
      up: [
        {
          op: 'createGsi',
          table: 'Order',
          index: onStatus('byState'),
          attributeDefinitions: [S('status')],
        },
        {
          op: 'createGsi',
          table: 'Customers',
          index: onStatus('byStatus'),
          attributeDefinitions: [S('status')],
        },
        {
          op: 'createGsi',
          table: 'Orders',
          index: { ...onStatus('byPk'), KeySchema: [HASH('PK')] },
          attributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'N' }],
        },
        { op: 'deleteGsi', table: 'Orders', indexName: 'byCustomr' },
      ],
      down: [],
    },
    'migrations/0005_wide.json': {
      version: 1,
      up: [
        { op: 'createTable', table: 'Wide', definition: WIDE },
        {
          op: 'createGsi',
          table: 'Wide',
          index: onStatus('index20'),
          attributeDefinitions: [S('status')],
        },
      ],
      down: [{ op: 'deleteTable', table: 'Wide' }],
    },
  })
}

/** Every problem of brokenProject, as `validate` and `migrate up` report them. */
const ISSUES = [
  {
    file: 'migrations/0001_tables.json',
    path: 'up[2].definition.AttributeDefinitions[1]',
    message: '"ts" is not used by any key schema; DynamoDB rejects unused definitions',
    hint: 'remove this entry: only key attributes of the table and its indexes are defined',
  },
  {
    file: 'migrations/0002_status_index.json',
    path: 'down',
    message: 'is empty, but "up" has 1 operation: `ddbm migrate down` would revert nothing',
    hint: 'list the operations that undo "up", last first, e.g. { "op": "deleteGsi", "table": "Orders", "indexName": "X" }; or, if "up" cannot be undone, add "irreversible": true',
  },
  {
    file: 'migrations/0002_status_index.json',
    path: 'up[0].index.IndexName',
    message: '"X" is 1 character long; index names are 3-255',
    hint: 'use a name of at least 3 characters',
  },
  {
    file: 'migrations/0003_typo.json',
    path: 'up[0].op',
    message: '"createGSI" is not an operation',
    hint: 'did you mean "createGsi"? operations: "createGsi", "deleteGsi", "createTable", "updateSse", "updateTtl", "updatePitr", "tag", "untag", "deleteTable", "updateBilling", "updateStream", "updateTableClass", "updateDeletionProtection"; see ddbm\'s docs/migration-format.md#operations for the operations and their fields',
  },
  {
    file: 'migrations/0004_more.json',
    path: 'up[0].table',
    message: 'table "Order" does not exist at this point of the history',
    hint: 'did you mean "Orders"? known tables: "Orders", "Events", "Customers"',
  },
  {
    file: 'migrations/0004_more.json',
    path: 'up[1].index.ProvisionedThroughput',
    message: 'is required: table "Customers" has BillingMode "PROVISIONED" at this point',
    hint: 'add "ProvisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 } to the index, or switch the table to "PAY_PER_REQUEST" first (updateBilling)',
  },
  {
    file: 'migrations/0004_more.json',
    path: 'up[2].attributeDefinitions[0].AttributeType',
    message: '"N" clashes with table "Orders", where "PK" is a key attribute of type "S"',
    hint: 'write "AttributeType": "S" (an attribute has one type in all the keys of a table), or key the index on another attribute',
  },
  {
    file: 'migrations/0004_more.json',
    path: 'up[3].indexName',
    message: 'index "byCustomr" does not exist on "Orders" at this point of the history',
    hint: 'did you mean "byCustomer"? indexes of "Orders" at this point: "byCustomer", "byPk", "X"',
  },
  {
    file: 'migrations/0005_wide.json',
    path: 'up[1].index',
    message:
      'would be global secondary index number 21 of table "Wide"; DynamoDB allows at most 20',
    hint: 'delete an index first (deleteGsi), or ask AWS to raise the quota (20 is the default)',
  },
]

/** The tables of `endpoint` whose names end with `suffix`. */
async function tablesWith(endpoint: string, suffix: string): Promise<string[]> {
  const client = engineClient({ endpoint })
  try {
    const names = (await client.send(new ListTablesCommand({}))).TableNames ?? []
    return names.filter((n) => n.endsWith(suffix))
  } finally {
    client.destroy()
  }
}

describe('migration files get the rules of schemas', () => {
  test('validate lists every problem of every migration with file, path and hint; exit 2', async () => {
    const cwd = await brokenProject('unused')
    const json = await ddbm(['validate', '--json'], { cwd })
    expect(json.code).toBe(2)
    const doc = JSON.parse(json.stdout)
    expect(doc.error.code).toBe('MIGRATION_INVALID')
    expect(doc.error.details.issues).toStrictEqual(ISSUES)

    const human = await ddbm(['validate'], { cwd })
    expect(human.code).toBe(2)
    const lines = human.stderr.split('\n')
    expect(lines.filter((l) => l.startsWith('migrations/'))).toStrictEqual(
      ISSUES.map((i) => `${i.file}: ${i.path}: ${i.message}`),
    )
    expect(lines.filter((l) => l.startsWith('  hint: '))).toStrictEqual(
      ISSUES.map((i) => `  hint: ${i.hint}`),
    )
    expect(human.stderr).toContain(`error: ${ISSUES.length} problems found`)
  })

  test('migrate up refuses them before any change: exit 2, no table, no meta table', async () => {
    const suffix = randomUUID().slice(0, 8)
    onTestFinished(() => dropTables(LOCAL.endpoint, suffix))
    const cwd = await brokenProject(suffix)
    const run = await ddbm(['migrate', 'up', '--endpoint', LOCAL.endpoint, '--json'], { cwd })
    expect(run.code).toBe(2)
    const doc = JSON.parse(run.stdout)
    expect([doc.error.code, doc.error.details.issues]).toStrictEqual(['MIGRATION_INVALID', ISSUES])
    expect(await tablesWith(LOCAL.endpoint, suffix)).toStrictEqual([])
  })

  test('what migrate generate writes passes validate: a down for every up', async () => {
    const { GlobalSecondaryIndexes: _gsis, ...plain } = ORDERS
    const cwd = await tmpProject({
      'schemas/Orders.json': { ...ORDERS, AttributeDefinitions: [S('PK'), S('customerId')] },
      'migrations/0001_orders.json': {
        version: 1,
        up: [
          {
            op: 'createTable',
            table: 'Orders',
            definition: { ...plain, AttributeDefinitions: [S('PK')] },
          },
        ],
        down: [{ op: 'deleteTable', table: 'Orders' }],
      },
    })
    const generated = await ddbm(['migrate', 'generate', 'by customer'], { cwd })
    expect(generated.code).toBe(0)
    const file = JSON.parse(await readFile(join(cwd, 'migrations/0002_by_customer.json'), 'utf8'))
    expect(file.down).toStrictEqual([{ op: 'deleteGsi', table: 'Orders', indexName: 'byCustomer' }])
    const run = await ddbm(['validate'], { cwd })
    // No problem reported: stderr holds only the elapsed-time line.
    expect([run.code, run.stderr.replace(/^done in [\d.]+ m?s\n$/, '')]).toStrictEqual([0, ''])
  })
})

describe('"irreversible": true', () => {
  test('migrate down refuses an irreversible migration before any change; up applies it', async () => {
    const suffix = randomUUID().slice(0, 8)
    onTestFinished(() => dropTables(LOCAL.endpoint, suffix))
    const cwd = await tmpProject({
      'ddbm.config.json': {
        version: 1,
        defaultEnv: 't',
        environments: { t: { tableNameTemplate: `{table}-${suffix}` } },
      },
      'schemas/Customers.json': CUSTOMERS,
      'migrations/0001_tables.json': {
        version: 1,
        up: [
          { op: 'createTable', table: 'Customers', definition: CUSTOMERS },
          { op: 'createTable', table: 'Legacy', definition: { ...CUSTOMERS, TableName: 'Legacy' } },
        ],
        down: [
          { op: 'deleteTable', table: 'Legacy' },
          { op: 'deleteTable', table: 'Customers' },
        ],
      },
      'migrations/0002_drop_legacy.json': {
        version: 1,
        description: 'Legacy is gone for good: its data cannot come back',
        irreversible: true,
        up: [{ op: 'deleteTable', table: 'Legacy' }],
        down: [],
      },
    })
    const at = ['--endpoint', LOCAL.endpoint]
    const valid = await ddbm(['validate'], { cwd })
    expect(valid.code).toBe(0)
    const up = await ddbm(['migrate', 'up', ...at, '--json'], { cwd })
    expect(up.code).toBe(0)
    const before = await tablesWith(LOCAL.endpoint, suffix)

    const down = await ddbm(['migrate', 'down', ...at], { cwd })
    expect(down.code).toBe(2)
    expect(down.stderr).toContain(
      'error: 0002_drop_legacy is irreversible ("irreversible": true in migrations/0002_drop_legacy.json): `migrate down` cannot revert it',
    )
    expect(down.stderr).toContain('nothing was changed')
    const all = await ddbm(['migrate', 'down', '--to', '0', ...at, '--json'], { cwd })
    expect([all.code, JSON.parse(all.stdout).error.code]).toStrictEqual([2, 'USAGE'])

    const status = await ddbm(['migrate', 'status', ...at, '--json'], { cwd })
    const rows = JSON.parse(status.stdout).result.rows as { name: string; state: string }[]
    expect(rows.map((r) => [r.name, r.state])).toStrictEqual([
      ['0001_tables', 'applied'],
      ['0002_drop_legacy', 'applied'],
    ])
    expect(await tablesWith(LOCAL.endpoint, suffix)).toStrictEqual(before)
  })
})
