import { describe, expect, test } from 'vitest'
import { DESCRIBE } from '../../../src/plan/describe.js'
import { PROPERTY_PLANNERS } from '../../../src/plan/diff-table.js'
import { INVERT } from '../../../src/plan/invert.js'
import { normalizeTable } from '../../../src/plan/normalize.js'
import { FOLD } from '../../../src/plan/table-state.js'
import { OPERATION_KINDS } from '../../../src/schema/operation.js'
import type { TableSchema } from '../../../src/schema/table-schema.js'
import {
  CANDIDATES,
  SCORE_INDEX,
  STATUS_INDEX,
  candidatesTable,
  provisioned,
  withoutIndex,
} from '../../fixtures/tables.js'

const KINDS = [...OPERATION_KINDS].sort()

describe('per-kind maps', () => {
  test.each([
    ['FOLD', FOLD],
    ['INVERT', INVERT],
    ['DESCRIBE', DESCRIBE],
  ])('%s has exactly the operation kinds as keys', (_name, map) => {
    expect(Object.keys(map).sort()).toStrictEqual(KINDS)
  })
})

describe('PROPERTY_PLANNERS', () => {
  test('plan in the documented order, each property with the kind it emits', () => {
    expect(PROPERTY_PLANNERS.map((p) => [p.property, p.emits])).toStrictEqual([
      ['GSI deletes', 'deleteGsi'],
      ['billing mode switch', 'updateBilling'],
      ['GSI creates', 'createGsi'],
      ['throughput', 'updateBilling'],
      ['stream', 'updateStream'],
      ['TTL', 'updateTtl'],
      ['PITR', 'updatePitr'],
      ['SSE', 'updateSse'],
      ['deletion protection', 'updateDeletionProtection'],
      ['table class', 'updateTableClass'],
      ['tags removed', 'untag'],
      ['tags added or changed', 'tag'],
    ])
  })

  test('each planner emits only its kind, and nothing when both sides are the same', () => {
    // A: mode switch, one GSI dropped, one added, every setting changed. B: throughput only.
    const pairs: [TableSchema, TableSchema][] = [
      [
        normalizeTable(provisioned(withoutIndex(CANDIDATES, SCORE_INDEX.IndexName))),
        normalizeTable(withoutIndex(candidatesTable(SETTINGS), STATUS_INDEX.IndexName)),
      ],
      [
        normalizeTable(provisioned(CANDIDATES, 10, 5)),
        normalizeTable(provisioned(CANDIDATES, 20, 5)),
      ],
    ]
    const emitted = new Set<string>()
    for (const planner of PROPERTY_PLANNERS) {
      for (const [from, to] of pairs) {
        const planned = planner.plan({ name: 'Candidates', from, to, current: from })
        expect(
          planned.ops.map((op) => op.op),
          planner.property,
        ).toStrictEqual(planned.ops.map(() => planner.emits))
        if (planned.ops.length > 0) emitted.add(planner.property)
        const unchanged = planner.plan({ name: 'Candidates', from: to, to, current: to })
        expect(unchanged.ops, planner.property).toStrictEqual([])
      }
    }
    expect([...emitted].sort()).toStrictEqual(PROPERTY_PLANNERS.map((p) => p.property).sort())
  })
})

/** Every setting a planner handles, changed from the Candidates fixture. */
const SETTINGS: Partial<TableSchema> = {
  StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
  TimeToLiveSpecification: undefined,
  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
  SSESpecification: { SSEEnabled: true, KMSMasterKeyId: 'alias/ddbm' },
  DeletionProtectionEnabled: true,
  TableClass: 'STANDARD_INFREQUENT_ACCESS',
  Tags: [{ Key: 'Team', Value: 'b' }],
}
