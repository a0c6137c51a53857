import { describe, expect, test } from 'vitest'
import { compareTable, type Check } from '../../../src/plan/compare.js'
import { IN_PLACE } from '../../../src/plan/in-place.js'
import type { LivePart, LiveTable } from '../../../src/plan/live-table.js'
import { applyOperation } from '../../../src/plan/table-state.js'
import {
  dispatch,
  type Operation,
  type OperationKind,
  type PerKind,
} from '../../../src/schema/operation.js'
import type { TableSchema } from '../../../src/schema/table-schema.js'
import { ORDERS } from '../../fixtures/tables.js'

/**
 * The executor's "already in place?" (IN_PLACE, what each step decides before it sends anything) and
 * verify's checks must agree on the same live table: for every operation kind, on every live variant,
 * the step is skipped exactly when verify calls the parts that operation sets `ok`, where the wanted
 * state is what the planner's fold says the operation produces. Live tables here are settled (ACTIVE,
 * TTL ENABLED or DISABLED); in-progress states are pending in verify and waited out by the executor.
 */

/** Orders with TTL, PITR and a tag: every part an operation can set has a value. */
const BASE: TableSchema = {
  ...ORDERS,
  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  Tags: [{ Key: 'team', Value: 'core' }],
}

/** A settled live table reporting `d`, minus the parts listed as unsupported by the endpoint. */
function liveOf(d: TableSchema, unsupported: LivePart[] = []): LiveTable {
  const definition: TableSchema = structuredClone(d)
  if (unsupported.includes('pitr')) delete definition.PointInTimeRecoverySpecification
  if (unsupported.includes('tags')) delete definition.Tags
  if (unsupported.includes('sse')) delete definition.SSESpecification
  if (unsupported.includes('tableClass')) delete definition.TableClass
  const ttl = d.TimeToLiveSpecification
  return {
    definition,
    arn: `arn:aws:dynamodb:us-east-1:1:table/${d.TableName}`,
    indexes: Object.fromEntries(
      (d.GlobalSecondaryIndexes ?? []).map((g) => [
        g.IndexName,
        { status: 'ACTIVE', backfilling: false },
      ]),
    ),
    tableStatus: 'ACTIVE',
    ...(ttl?.AttributeName === undefined
      ? {}
      : { ttlStatus: ttl.Enabled ? 'ENABLED' : 'DISABLED' }),
    unsupported,
    unsupportedReasons: Object.fromEntries(unsupported.map((p) => [p, 'not reported'])),
  }
}

/** `d` with `patch` applied over it. */
const edit = (d: TableSchema, patch: Partial<TableSchema>): TableSchema => ({ ...d, ...patch })

/** The wanted table after `op`, by the planner's fold (undefined: the table is gone). */
function after(before: TableSchema | undefined, op: Operation): TableSchema | undefined {
  const states = before === undefined ? {} : { [before.TableName]: before }
  const result = applyOperation(states, op)
  expect(result.problem).toBeUndefined()
  return result.states[op.table]
}

/** The checks of verify that cover what each operation kind sets. */
const CHECKS: PerKind<[], (c: Check) => boolean> = {
  createTable: () => (c) => ['exists', 'keys', 'ttl', 'pitr', 'tags'].includes(c.check),
  deleteTable: () => () => true,
  createGsi: (op) => (c) => c.check === `gsi:${op.index.IndexName}`,
  deleteGsi: (op) => (c) => c.check.startsWith(`gsi:${op.indexName}`),
  updateTtl: () => (c) => c.check === 'ttl',
  updatePitr: () => (c) => c.check === 'pitr',
  updateBilling: () => (c) => c.check === 'billing' || c.check.startsWith('gsi:'),
  updateStream: () => (c) => c.check === 'stream',
  updateSse: () => (c) => c.check === 'sse',
  updateDeletionProtection: () => (c) => c.check === 'deletionProtection',
  updateTableClass: () => (c) => c.check === 'tableClass',
  tag: () => (c) => c.check === 'tags',
  untag: () => (c) => c.check === 'tags',
}

/** verify's answer: every check covering `op` is ok (none at all when the wanted table is gone). */
function verifyOk(op: Operation, wanted: TableSchema | undefined, live: LiveTable | undefined) {
  const covers = dispatch(CHECKS, op)
  const checks = compareTable(op.table, wanted, live).filter(covers)
  return checks.every((c) => c.status === 'ok')
}

function executorInPlace(op: Operation, live: LiveTable | undefined): boolean {
  return dispatch(IN_PLACE, op, live)
}

const pitr7 = { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 }
const kms = (key?: string) => ({
  SSEEnabled: true,
  SSEType: 'KMS' as const,
  ...(key ? { KMSMasterKeyId: key } : {}),
})

type Case = { op: Operation; before?: TableSchema; variants: (TableSchema | undefined)[] }

/** Per kind: the operation, the wanted state before it, and live variants around its effect. */
const CASES: { [K in OperationKind]: Case } = {
  createTable: {
    op: { op: 'createTable', table: 'Orders', definition: BASE },
    variants: [
      undefined,
      edit(BASE, { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: false } }),
      edit(BASE, { PointInTimeRecoverySpecification: pitr7 }),
      edit(BASE, { Tags: [] }),
      edit(BASE, { Tags: [{ Key: 'team', Value: 'other' }] }),
      edit(BASE, { KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }] }),
    ],
  },
  deleteTable: { op: { op: 'deleteTable', table: 'Orders' }, before: BASE, variants: [undefined] },
  createGsi: {
    op: {
      op: 'createGsi',
      table: 'Orders',
      index: {
        IndexName: 'bySK',
        KeySchema: [{ AttributeName: 'SK', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
      attributeDefinitions: [{ AttributeName: 'SK', AttributeType: 'S' }],
    },
    before: BASE,
    variants: [
      edit(BASE, {
        GlobalSecondaryIndexes: [
          ...BASE.GlobalSecondaryIndexes!,
          {
            IndexName: 'bySK',
            KeySchema: [{ AttributeName: 'SK', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    ],
  },
  deleteGsi: {
    op: { op: 'deleteGsi', table: 'Orders', indexName: 'byCustomer' },
    before: BASE,
    variants: [undefined],
  },
  updateTtl: {
    op: { op: 'updateTtl', table: 'Orders', ttl: { AttributeName: 'expiresAt', Enabled: false } },
    before: BASE,
    variants: [edit(BASE, { TimeToLiveSpecification: { AttributeName: 'other', Enabled: true } })],
  },
  updatePitr: {
    op: { op: 'updatePitr', table: 'Orders', pitr: pitr7 },
    before: BASE,
    variants: [
      edit(BASE, { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }),
    ],
  },
  updateBilling: {
    op: {
      op: 'updateBilling',
      table: 'Orders',
      billingMode: 'PAY_PER_REQUEST',
      onDemandThroughput: { MaxReadRequestUnits: 100 },
    },
    before: BASE,
    variants: [
      edit(BASE, { OnDemandThroughput: { MaxReadRequestUnits: 100, MaxWriteRequestUnits: 10 } }),
      edit(BASE, { OnDemandThroughput: { MaxReadRequestUnits: 100, MaxWriteRequestUnits: -1 } }),
      edit(BASE, {
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      }),
    ],
  },
  updateStream: {
    op: { op: 'updateStream', table: 'Orders', stream: { StreamViewType: 'NEW_IMAGE' } },
    before: BASE,
    variants: [edit(BASE, { StreamSpecification: { StreamViewType: 'KEYS_ONLY' } })],
  },
  updateSse: {
    op: { op: 'updateSse', table: 'Orders', sse: kms('1234abcd-0000') },
    before: BASE,
    variants: [
      edit(BASE, { SSESpecification: kms('arn:aws:kms:us-east-1:1:key/1234abcd-0000') }),
      edit(BASE, { SSESpecification: kms('arn:aws:kms:us-east-1:1:key/ffff') }),
      edit(BASE, { SSESpecification: kms() }),
    ],
  },
  updateDeletionProtection: {
    op: { op: 'updateDeletionProtection', table: 'Orders', enabled: true },
    before: BASE,
    variants: [],
  },
  updateTableClass: {
    op: { op: 'updateTableClass', table: 'Orders', tableClass: 'STANDARD_INFREQUENT_ACCESS' },
    before: BASE,
    variants: [edit(BASE, { TableClass: 'STANDARD' })],
  },
  tag: {
    op: { op: 'tag', table: 'Orders', tags: [{ Key: 'cost', Value: 'dev' }] },
    before: BASE,
    variants: [
      edit(BASE, {
        Tags: [
          { Key: 'cost', Value: 'prod' },
          { Key: 'team', Value: 'core' },
        ],
      }),
    ],
  },
  untag: {
    op: { op: 'untag', table: 'Orders', keys: ['team'] },
    before: BASE,
    variants: [],
  },
}

const ENDPOINTS: { name: string; unsupported: LivePart[] }[] = [
  { name: 'reports everything', unsupported: [] },
  { name: 'like DynamoDB Local', unsupported: ['pitr', 'tags', 'sse', 'tableClass'] },
  { name: 'like moto', unsupported: ['tableClass'] },
]

describe('the executor and verify agree on what is in place', () => {
  test('every operation kind has a case', () => {
    expect(Object.keys(CASES).sort()).toStrictEqual(Object.keys(IN_PLACE).sort())
  })

  for (const [kind, c] of Object.entries(CASES)) {
    for (const endpoint of ENDPOINTS) {
      test(`${kind}, endpoint ${endpoint.name}`, () => {
        const wanted = after(c.before, c.op)
        const tables = [c.before, wanted, ...c.variants]
        const answers = tables.map((t) => {
          const live = t === undefined ? undefined : liveOf(t, endpoint.unsupported)
          const executor = executorInPlace(c.op, live)
          expect({ variant: t, executor }).toStrictEqual({
            variant: t,
            executor: verifyOk(c.op, wanted, live),
          })
          return executor
        })
        // Not vacuous: the state before the operation is never in place.
        expect(answers[0]).toBe(false)
      })
    }
  }

  test('on an endpoint that reports everything, the state after each operation is in place', () => {
    for (const c of Object.values(CASES)) {
      const wanted = after(c.before, c.op)
      expect([c.op.op, executorInPlace(c.op, wanted && liveOf(wanted))]).toStrictEqual([
        c.op.op,
        true,
      ])
    }
  })
})
