import { describe, expect, test } from 'vitest'
import type { Operation, OperationOf } from '../../../src/schema/operation.js'
import { checkOperation } from '../../../src/schema/rules/operations.js'
import type { GlobalSecondaryIndex, TableSchema } from '../../../src/schema/table-schema.js'
import { capacity, pkSkTable, provisioned } from '../../fixtures/tables.js'

/** Orders (PK, SK; PAY_PER_REQUEST), as the migrations before an operation leave it. */
const ORDERS: TableSchema = pkSkTable('Orders')

const STATUS: GlobalSecondaryIndex = {
  IndexName: 'byStatus',
  KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
  Projection: { ProjectionType: 'ALL' },
}

/** A createGsi of `index` on Orders, with the attribute definitions `defs` (default: status S). */
function createGsi(
  index: GlobalSecondaryIndex,
  defs: OperationOf<'createGsi'>['attributeDefinitions'] = [
    { AttributeName: 'status', AttributeType: 'S' },
  ],
): Operation {
  return { op: 'createGsi', table: 'Orders', index, attributeDefinitions: defs }
}

/** A GSI named `name` on `status`, projecting `attrs` (INCLUDE) when given. */
function gsi(name: string, attrs?: string[]): GlobalSecondaryIndex {
  const Projection: GlobalSecondaryIndex['Projection'] =
    attrs === undefined
      ? { ProjectionType: 'KEYS_ONLY' }
      : { ProjectionType: 'INCLUDE', NonKeyAttributes: attrs }
  return { ...STATUS, IndexName: name, Projection }
}

/** Orders with `indexes` as its GSIs (and `status` defined). */
function ordersWith(indexes: GlobalSecondaryIndex[]): TableSchema {
  return {
    ...ORDERS,
    AttributeDefinitions: [
      ...ORDERS.AttributeDefinitions,
      { AttributeName: 'status', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: indexes,
  }
}

describe('createTable: the definition gets every table rule', () => {
  test('issues on the definition, under "definition"', () => {
    const op: Operation = {
      op: 'createTable',
      table: 'Orders',
      definition: {
        TableName: 'Orders',
        AttributeDefinitions: [
          { AttributeName: 'PK', AttributeType: 'S' },
          { AttributeName: 'ts', AttributeType: 'N' },
        ],
        KeySchema: [{ AttributeName: 'PK', KeyType: 'RANGE' }],
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: [{ ...STATUS, IndexName: 'X' }],
      },
    }
    expect(checkOperation(op, undefined)).toStrictEqual([
      {
        path: 'definition.GlobalSecondaryIndexes[0].IndexName',
        message: '"X" is 1 character long; index names are 3-255',
        hint: 'use a name of at least 3 characters',
      },
      {
        path: 'definition.KeySchema[0].KeyType',
        message: '"RANGE" must be "HASH": the first element is the partition key',
        hint: 'set "KeyType": "HASH" (a sort key comes second)',
      },
      {
        path: 'definition.GlobalSecondaryIndexes[0].KeySchema[0].AttributeName',
        message: '"status" is not in AttributeDefinitions',
        hint: 'add { "AttributeName": "status", "AttributeType": "S" } to AttributeDefinitions ("N" for a number, "B" for binary)',
      },
      {
        path: 'definition.AttributeDefinitions[1]',
        message: '"ts" is not used by any key schema; DynamoDB rejects unused definitions',
        hint: 'remove this entry: only key attributes of the table and its indexes are defined',
      },
    ])
  })

  test('a valid definition has no issue; TableName is the replay\'s to compare with "table"', () => {
    const op: Operation = { op: 'createTable', table: 'Orders', definition: ORDERS }
    expect(checkOperation(op, undefined)).toStrictEqual([])
    const renamed: Operation = { ...op, definition: { ...ORDERS, TableName: 'X' } }
    expect(checkOperation(renamed, undefined)).toStrictEqual([])
  })
})

describe('createGsi: the index rules', () => {
  test('a valid index on an on-demand table has no issue', () => {
    expect(checkOperation(createGsi(STATUS), ORDERS)).toStrictEqual([])
  })

  test('name, key schema and projection of the index, under "index"', () => {
    const index: GlobalSecondaryIndex = {
      IndexName: 'X',
      KeySchema: [
        { AttributeName: 'createdAt', KeyType: 'RANGE' },
        { AttributeName: 'status', KeyType: 'HASH' },
      ],
      Projection: { ProjectionType: 'INCLUDE' },
    }
    const defs = [
      { AttributeName: 'status', AttributeType: 'S' as const },
      { AttributeName: 'createdAt', AttributeType: 'S' as const },
    ]
    expect(checkOperation(createGsi(index, defs), ORDERS)).toStrictEqual([
      {
        path: 'index.IndexName',
        message: '"X" is 1 character long; index names are 3-255',
        hint: 'use a name of at least 3 characters',
      },
      {
        path: 'index.KeySchema',
        message: 'lists the RANGE element before the HASH element',
        hint: 'swap the two elements: the HASH element comes first',
      },
      {
        path: 'index.Projection',
        message: 'ProjectionType "INCLUDE" needs NonKeyAttributes, but there are none',
        hint: 'list the attributes to copy, e.g. "NonKeyAttributes": ["name"], or use "ProjectionType": "KEYS_ONLY" or "ALL"',
      },
    ])
  })

  test('a key attribute defined neither by the operation nor by the table', () => {
    expect(checkOperation(createGsi(STATUS, []), ORDERS)).toStrictEqual([
      {
        path: 'index.KeySchema[0].AttributeName',
        message: '"status" is not in attributeDefinitions nor a key attribute of table "Orders"',
        hint: 'add { "AttributeName": "status", "AttributeType": "S" } to "attributeDefinitions" ("N" for a number, "B" for binary)',
      },
    ])
    // a key attribute of the table needs no definition of its own: the executor sends the table's too
    const onPk = { ...STATUS, KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' as const }] }
    expect(checkOperation(createGsi(onPk, []), ORDERS)).toStrictEqual([])
  })

  test('attribute definitions: defined twice, used by no key, of another type than the table gives', () => {
    const index = {
      ...STATUS,
      KeySchema: [
        { AttributeName: 'status', KeyType: 'HASH' as const },
        { AttributeName: 'SK', KeyType: 'RANGE' as const },
      ],
    }
    const defs = [
      { AttributeName: 'status', AttributeType: 'S' as const },
      { AttributeName: 'SK', AttributeType: 'N' as const },
      { AttributeName: 'status', AttributeType: 'S' as const },
      { AttributeName: 'note', AttributeType: 'S' as const },
    ]
    expect(checkOperation(createGsi(index, defs), ORDERS)).toStrictEqual([
      {
        path: 'attributeDefinitions[1].AttributeType',
        message: '"N" clashes with table "Orders", where "SK" is a key attribute of type "S"',
        hint: 'write "AttributeType": "S" (an attribute has one type in all the keys of a table), or key the index on another attribute',
      },
      {
        path: 'attributeDefinitions[2].AttributeName',
        message: '"status" is already defined at attributeDefinitions[0]',
        hint: 'remove this entry: each attribute is defined once',
      },
      {
        path: 'attributeDefinitions[3]',
        message:
          '"note" is not in the index\'s KeySchema; DynamoDB rejects definitions no key uses',
        hint: "remove this entry: list the attributes of the index's KeySchema",
      },
    ])
  })

  test('a 21st global secondary index', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => gsi(`index${i}`))
    expect(checkOperation(createGsi(STATUS), ordersWith(twenty))).toStrictEqual([
      {
        path: 'index',
        message:
          'would be global secondary index number 21 of table "Orders"; DynamoDB allows at most 20',
        hint: 'delete an index first (deleteGsi), or ask AWS to raise the quota (20 is the default)',
      },
    ])
    expect(checkOperation(createGsi(STATUS), ordersWith(twenty.slice(1)))).toStrictEqual([])
  })

  test('more than 100 projected non-key attributes over the indexes of the table', () => {
    const names = (from: number, n: number) => Array.from({ length: n }, (_, i) => `a${from + i}`)
    const table = ordersWith([gsi('first', names(0, 60))])
    expect(checkOperation(createGsi(gsi('second', names(0, 41))), table)).toStrictEqual([
      {
        path: 'index.Projection.NonKeyAttributes',
        message:
          'brings the projected non-key attributes of the indexes of "Orders" to 101; DynamoDB allows at most 100',
        hint: 'project fewer attributes (one projected into two indexes counts twice), or use "ProjectionType": "ALL"',
      },
    ])
    expect(checkOperation(createGsi(gsi('second', names(0, 40))), table)).toStrictEqual([])
  })

  test('throughput as the billing mode of the table at that point requires', () => {
    const { BillingMode: _mode, ...unset } = ORDERS
    expect(checkOperation(createGsi(STATUS), unset)).toStrictEqual([
      {
        path: 'index.ProvisionedThroughput',
        message:
          'is required: table "Orders" has BillingMode not set (so "PROVISIONED") at this point',
        hint: 'add "ProvisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 } to the index, or switch the table to "PAY_PER_REQUEST" first (updateBilling)',
      },
    ])
    const withOnDemand = { ...STATUS, OnDemandThroughput: { MaxReadRequestUnits: 10 } }
    expect(checkOperation(createGsi(withOnDemand), provisioned(ORDERS))).toStrictEqual([
      {
        path: 'index.ProvisionedThroughput',
        message: 'is required: table "Orders" has BillingMode "PROVISIONED" at this point',
        hint: 'add "ProvisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 } to the index, or switch the table to "PAY_PER_REQUEST" first (updateBilling)',
      },
      {
        path: 'index.OnDemandThroughput',
        message:
          'is only allowed with BillingMode "PAY_PER_REQUEST", but table "Orders" has BillingMode "PROVISIONED" at this point',
        hint: 'remove OnDemandThroughput',
      },
    ])
    const withBoth = {
      ...STATUS,
      ProvisionedThroughput: capacity(5, 5),
      OnDemandThroughput: { MaxWriteRequestUnits: 0 },
    }
    expect(checkOperation(createGsi(withBoth), ORDERS)).toStrictEqual([
      {
        path: 'index.ProvisionedThroughput',
        message: 'is not allowed: table "Orders" has BillingMode "PAY_PER_REQUEST" at this point',
        hint: 'remove ProvisionedThroughput (OnDemandThroughput caps request units)',
      },
      {
        path: 'index.OnDemandThroughput.MaxWriteRequestUnits',
        message: '0 is not a valid maximum',
        hint: 'use a positive number of request units, or -1 for no limit',
      },
    ])
  })

  test('without the table (the replay reports it missing), only the index itself is checked', () => {
    expect(checkOperation(createGsi({ ...STATUS, IndexName: 'X' }, []), undefined)).toStrictEqual([
      {
        path: 'index.IndexName',
        message: '"X" is 1 character long; index names are 3-255',
        hint: 'use a name of at least 3 characters',
      },
      {
        path: 'index.KeySchema[0].AttributeName',
        message: '"status" is not in attributeDefinitions',
        hint: 'add { "AttributeName": "status", "AttributeType": "S" } to "attributeDefinitions" ("N" for a number, "B" for binary)',
      },
    ])
  })
})

describe('the other operations', () => {
  test('deleteGsi: the index name', () => {
    const op: Operation = { op: 'deleteGsi', table: 'Orders', indexName: 'by status' }
    expect(checkOperation(op, ORDERS)).toStrictEqual([
      {
        path: 'indexName',
        message: '"by status" has characters outside [a-zA-Z0-9_.-]',
        hint: 'use only letters, digits, "_", "-" and ".", e.g. "by-status"',
      },
    ])
  })

  test('updateTtl: an attribute when enabled, and not a key attribute of another type than N', () => {
    const unnamed: Operation = { op: 'updateTtl', table: 'Orders', ttl: { Enabled: true } }
    expect(checkOperation(unnamed, ORDERS)).toStrictEqual([
      {
        path: 'ttl.AttributeName',
        message: 'is required when Enabled is true',
        hint: 'name the attribute that holds the expiry time in epoch seconds, e.g. "AttributeName": "expiresAt"',
      },
    ])
    const onKey: Operation = {
      op: 'updateTtl',
      table: 'Orders',
      ttl: { AttributeName: 'SK', Enabled: true },
    }
    expect(checkOperation(onKey, ORDERS)).toStrictEqual([
      {
        path: 'ttl.AttributeName',
        message:
          '"SK" is a key attribute of type "S" on "Orders"; TTL needs a Number (epoch seconds)',
        hint: 'use another attribute, holding the expiry time as a Number',
      },
    ])
    expect(
      checkOperation({ ...onKey, ttl: { AttributeName: 'SK', Enabled: false } }, ORDERS),
    ).toStrictEqual([])
  })

  test('updatePitr: a recovery period only when enabled, 1-35 days', () => {
    const op: Operation = {
      op: 'updatePitr',
      table: 'Orders',
      pitr: { PointInTimeRecoveryEnabled: false, RecoveryPeriodInDays: 40 },
    }
    expect(checkOperation(op, ORDERS)).toStrictEqual([
      {
        path: 'pitr.RecoveryPeriodInDays',
        message: '40 is set but PointInTimeRecoveryEnabled is not true',
        hint: 'set "PointInTimeRecoveryEnabled": true, or remove RecoveryPeriodInDays',
      },
      {
        path: 'pitr.RecoveryPeriodInDays',
        message: '40 is out of range; DynamoDB keeps 1-35 days of recovery points',
        hint: 'use a whole number of days from 1 to 35 (35 is the default)',
      },
    ])
  })

  test('updateSse: a KMS key needs SSEType KMS', () => {
    const op: Operation = {
      op: 'updateSse',
      table: 'Orders',
      sse: { SSEEnabled: true, KMSMasterKeyId: 'alias/orders' },
    }
    expect(checkOperation(op, ORDERS)).toStrictEqual([
      {
        path: 'sse.KMSMasterKeyId',
        message: '"alias/orders" needs SSEType "KMS", but SSEType is not set',
        hint: 'set "SSEType": "KMS", or remove KMSMasterKeyId to use the AWS managed key',
      },
    ])
  })

  test('updateBilling to PROVISIONED: throughput for the table and every GSI it has, indexes it has', () => {
    const table = ordersWith([gsi('byStatus'), gsi('byDate')])
    const op: Operation = {
      op: 'updateBilling',
      table: 'Orders',
      billingMode: 'PROVISIONED',
      onDemandThroughput: { MaxReadRequestUnits: 5 },
      indexes: [{ IndexName: 'byStatsu', ProvisionedThroughput: capacity(5, 5) }],
    }
    expect(checkOperation(op, table)).toStrictEqual([
      {
        path: 'provisionedThroughput',
        message: 'is required with "billingMode": "PROVISIONED"',
        hint: 'add "provisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 }',
      },
      {
        path: 'onDemandThroughput',
        message: 'is only allowed with "billingMode": "PAY_PER_REQUEST"',
        hint: 'remove it, or switch to "PAY_PER_REQUEST"',
      },
      {
        path: 'indexes[0].IndexName',
        message: '"byStatsu" is not a global secondary index of "Orders" at this point',
        hint: 'did you mean "byStatus"? its indexes: "byStatus", "byDate"',
      },
      {
        path: 'indexes',
        message:
          'has no ProvisionedThroughput for index "byStatus" of "Orders"; a PROVISIONED table needs it for every global secondary index',
        hint: 'add { "IndexName": "byStatus", "ProvisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 } } to "indexes"',
      },
      {
        path: 'indexes',
        message:
          'has no ProvisionedThroughput for index "byDate" of "Orders"; a PROVISIONED table needs it for every global secondary index',
        hint: 'add { "IndexName": "byDate", "ProvisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 } } to "indexes"',
      },
    ])
  })

  test('updateBilling to PAY_PER_REQUEST: no provisioned throughput, no maximum of 0', () => {
    const op: Operation = {
      op: 'updateBilling',
      table: 'Orders',
      billingMode: 'PAY_PER_REQUEST',
      provisionedThroughput: capacity(5, 5),
      indexes: [
        {
          IndexName: 'byStatus',
          ProvisionedThroughput: capacity(5, 5),
          OnDemandThroughput: { MaxReadRequestUnits: 0 },
        },
      ],
    }
    expect(checkOperation(op, ordersWith([gsi('byStatus')]))).toStrictEqual([
      {
        path: 'provisionedThroughput',
        message: 'is not allowed with "billingMode": "PAY_PER_REQUEST"',
        hint: 'remove it (onDemandThroughput caps request units)',
      },
      {
        path: 'indexes[0].ProvisionedThroughput',
        message: 'is not allowed with "billingMode": "PAY_PER_REQUEST"',
        hint: 'remove it',
      },
      {
        path: 'indexes[0].OnDemandThroughput.MaxReadRequestUnits',
        message: '0 is not a valid maximum',
        hint: 'use a positive number of request units, or -1 for no limit',
      },
    ])
  })

  test('tag: the tag rules, and at most 50 tags on the table with those it has', () => {
    const op: Operation = {
      op: 'tag',
      table: 'Orders',
      tags: [
        { Key: 'aws:team', Value: 'checkout' },
        { Key: 'team', Value: 'a' },
      ],
    }
    const tagged = (n: number) => ({
      ...ORDERS,
      Tags: Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
    })
    expect(checkOperation(op, tagged(48))).toStrictEqual([
      {
        path: 'tags[0].Key',
        message: '"aws:team" starts with the reserved prefix "aws:"',
        hint: 'use a key without the prefix, e.g. "team"',
      },
    ])
    expect(checkOperation(op, tagged(49))).toStrictEqual([
      {
        path: 'tags[0].Key',
        message: '"aws:team" starts with the reserved prefix "aws:"',
        hint: 'use a key without the prefix, e.g. "team"',
      },
      {
        path: 'tags',
        message: 'would give "Orders" 51 tags; DynamoDB allows at most 50 per table',
        hint: 'tag fewer, or untag 1 first',
      },
    ])
  })

  test('operations with nothing to check beyond their shape', () => {
    const ops: Operation[] = [
      { op: 'deleteTable', table: 'Orders' },
      { op: 'updateStream', table: 'Orders', stream: null },
      { op: 'updateDeletionProtection', table: 'Orders', enabled: true },
      { op: 'updateTableClass', table: 'Orders', tableClass: 'STANDARD' },
      { op: 'untag', table: 'Orders', keys: ['team'] },
    ]
    expect(ops.map((op) => checkOperation(op, ORDERS))).toStrictEqual([[], [], [], [], []])
  })
})
