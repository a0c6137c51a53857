import { describe, expect, test } from 'vitest'
import {
  DESTRUCTIVE_BY_KIND,
  dispatch,
  isDestructive,
  OPERATION_KINDS,
  type Operation,
  type PerKind,
} from '../../../src/schema/operation.js'

/** Every kind of the Operation union, in its order. */
const KINDS = [
  'createTable',
  'deleteTable',
  'createGsi',
  'deleteGsi',
  'updateTtl',
  'updatePitr',
  'updateBilling',
  'updateStream',
  'updateSse',
  'updateDeletionProtection',
  'updateTableClass',
  'tag',
  'untag',
]

describe('OPERATION_KINDS', () => {
  test('lists each kind of the Operation union once, in its order', () => {
    expect(OPERATION_KINDS).toStrictEqual(KINDS)
  })
})

describe('isDestructive', () => {
  test('DESTRUCTIVE_BY_KIND has exactly the operation kinds as keys', () => {
    expect(Object.keys(DESTRUCTIVE_BY_KIND).sort()).toStrictEqual([...OPERATION_KINDS].sort())
  })

  test('deleting a table or a GSI, and turning PITR or deletion protection off, are destructive', () => {
    const ops: Operation[] = [
      { op: 'deleteTable', table: 'Orders' },
      { op: 'deleteGsi', table: 'Orders', indexName: 'byStatus' },
      { op: 'updatePitr', table: 'Orders', pitr: { PointInTimeRecoveryEnabled: false } },
      { op: 'updatePitr', table: 'Orders', pitr: { PointInTimeRecoveryEnabled: true } },
      { op: 'updateDeletionProtection', table: 'Orders', enabled: false },
      { op: 'updateDeletionProtection', table: 'Orders', enabled: true },
      { op: 'updateTtl', table: 'Orders', ttl: { AttributeName: 'exp', Enabled: false } },
      { op: 'updateStream', table: 'Orders', stream: null },
      { op: 'untag', table: 'Orders', keys: ['team'] },
    ]
    expect(ops.map((op) => `${op.op} ${String(isDestructive(op))}`)).toStrictEqual([
      'deleteTable true',
      'deleteGsi true',
      'updatePitr true',
      'updatePitr false',
      'updateDeletionProtection true',
      'updateDeletionProtection false',
      'updateTtl false',
      'updateStream false',
      'untag false',
    ])
  })
})

describe('dispatch', () => {
  /** Each kind's handler names its kind, a field only that kind has, and the extra argument. */
  const NAMES: PerKind<[suffix: string], string> = {
    createTable: (op, s) => `createTable ${op.definition.TableName}${s}`,
    deleteTable: (op, s) => `deleteTable ${op.table}${s}`,
    createGsi: (op, s) => `createGsi ${op.index.IndexName}${s}`,
    deleteGsi: (op, s) => `deleteGsi ${op.indexName}${s}`,
    updateTtl: (op, s) => `updateTtl ${String(op.ttl.Enabled)}${s}`,
    updatePitr: (op, s) => `updatePitr ${String(op.pitr.PointInTimeRecoveryEnabled)}${s}`,
    updateBilling: (op, s) => `updateBilling ${op.billingMode}${s}`,
    updateStream: (op, s) => `updateStream ${op.stream?.StreamViewType ?? 'off'}${s}`,
    updateSse: (op, s) => `updateSse ${String(op.sse.SSEEnabled)}${s}`,
    updateDeletionProtection: (op, s) => `updateDeletionProtection ${String(op.enabled)}${s}`,
    updateTableClass: (op, s) => `updateTableClass ${op.tableClass}${s}`,
    tag: (op, s) => `tag ${op.tags.map((t) => t.Key).join(',')}${s}`,
    untag: (op, s) => `untag ${op.keys.join(',')}${s}`,
  }

  test('calls the handler of the operation kind with the operation and the arguments', () => {
    const ops: Operation[] = [
      { op: 'deleteTable', table: 'Items' },
      { op: 'deleteGsi', table: 'Items', indexName: 'ByStatus' },
      { op: 'updateStream', table: 'Items', stream: null },
      { op: 'untag', table: 'Items', keys: ['Owner', 'Team'] },
    ]
    expect(ops.map((op) => dispatch(NAMES, op, '!'))).toStrictEqual([
      'deleteTable Items!',
      'deleteGsi ByStatus!',
      'updateStream off!',
      'untag Owner,Team!',
    ])
  })
})
