import { describe, expect, test } from 'vitest'
import {
  ACTIVE_INDEX,
  CANDIDATES,
  candidatesTable,
  provisioned,
  without,
  withoutIndex,
} from '../../fixtures/tables.js'
import { plan } from './diff-fixtures.js'

const T = 'Candidates'
const NEW_IMAGE = { StreamViewType: 'NEW_IMAGE' as const }
const BOTH_IMAGES = { StreamViewType: 'NEW_AND_OLD_IMAGES' as const }

/** The result of a change that needs no note and is not refused. */
const planned = (up: unknown[], down: unknown[]) => ({ up, down, notes: [], problems: [] })

describe('diff: stream', () => {
  test('enabled', () => {
    const to = candidatesTable({ StreamSpecification: NEW_IMAGE })
    expect(plan({ Candidates: CANDIDATES }, { Candidates: to })).toStrictEqual(
      planned(
        [{ op: 'updateStream', table: T, stream: NEW_IMAGE }],
        [{ op: 'updateStream', table: T, stream: null }],
      ),
    )
  })

  test('disabled', () => {
    const from = candidatesTable({ StreamSpecification: NEW_IMAGE })
    expect(plan({ Candidates: from }, { Candidates: CANDIDATES })).toStrictEqual(
      planned(
        [{ op: 'updateStream', table: T, stream: null }],
        [{ op: 'updateStream', table: T, stream: NEW_IMAGE }],
      ),
    )
  })

  test('a view type change is a disable, then an enable, with a note', () => {
    const from = candidatesTable({ StreamSpecification: NEW_IMAGE })
    const to = candidatesTable({ StreamSpecification: BOTH_IMAGES })
    expect(plan({ Candidates: from }, { Candidates: to })).toStrictEqual({
      up: [
        { op: 'updateStream', table: T, stream: null },
        { op: 'updateStream', table: T, stream: BOTH_IMAGES },
      ],
      down: [
        { op: 'updateStream', table: T, stream: null },
        { op: 'updateStream', table: T, stream: NEW_IMAGE },
      ],
      notes: [
        'Candidates: the stream is disabled, then enabled with NEW_AND_OLD_IMAGES (a view type cannot change in place); consumers must switch to the new stream',
      ],
      problems: [],
    })
  })
})

describe('diff: TTL, PITR, SSE', () => {
  const noTtl = without(CANDIDATES, 'TimeToLiveSpecification')
  const ttlOn = { AttributeName: 'expiresAt', Enabled: true }
  const ttlOff = { AttributeName: 'expiresAt', Enabled: false }

  test('TTL enabled; down disables it on the same attribute', () => {
    expect(plan({ Candidates: noTtl }, { Candidates: CANDIDATES })).toStrictEqual(
      planned(
        [{ op: 'updateTtl', table: T, ttl: ttlOn }],
        [{ op: 'updateTtl', table: T, ttl: ttlOff }],
      ),
    )
  })

  test('TTL disabled (by removing TimeToLiveSpecification)', () => {
    expect(plan({ Candidates: CANDIDATES }, { Candidates: noTtl })).toStrictEqual(
      planned(
        [{ op: 'updateTtl', table: T, ttl: ttlOff }],
        [{ op: 'updateTtl', table: T, ttl: ttlOn }],
      ),
    )
  })

  const noPitr = without(CANDIDATES, 'PointInTimeRecoverySpecification')
  const pitr35 = { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 }
  const pitrOff = { PointInTimeRecoveryEnabled: false }

  test('PITR enabled, with the default period made explicit', () => {
    expect(plan({ Candidates: noPitr }, { Candidates: CANDIDATES })).toStrictEqual(
      planned(
        [{ op: 'updatePitr', table: T, pitr: pitr35 }],
        [{ op: 'updatePitr', table: T, pitr: pitrOff }],
      ),
    )
  })

  test('PITR disabled', () => {
    expect(plan({ Candidates: CANDIDATES }, { Candidates: noPitr })).toStrictEqual(
      planned(
        [{ op: 'updatePitr', table: T, pitr: pitrOff }],
        [{ op: 'updatePitr', table: T, pitr: pitr35 }],
      ),
    )
  })

  test('PITR recovery period changed', () => {
    const pitr7 = { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 }
    const to = candidatesTable({ PointInTimeRecoverySpecification: pitr7 })
    expect(plan({ Candidates: CANDIDATES }, { Candidates: to })).toStrictEqual(
      planned(
        [{ op: 'updatePitr', table: T, pitr: pitr7 }],
        [{ op: 'updatePitr', table: T, pitr: pitr35 }],
      ),
    )
  })

  const noSse = without(CANDIDATES, 'SSESpecification')
  const kms = { SSEEnabled: true, SSEType: 'KMS' }
  const owned = { SSEEnabled: false }

  test('SSE enabled (AWS managed KMS key)', () => {
    expect(plan({ Candidates: noSse }, { Candidates: CANDIDATES })).toStrictEqual(
      planned(
        [{ op: 'updateSse', table: T, sse: kms }],
        [{ op: 'updateSse', table: T, sse: owned }],
      ),
    )
  })

  test('SSE disabled (back to the AWS owned key)', () => {
    expect(plan({ Candidates: CANDIDATES }, { Candidates: noSse })).toStrictEqual(
      planned(
        [{ op: 'updateSse', table: T, sse: owned }],
        [{ op: 'updateSse', table: T, sse: kms }],
      ),
    )
  })

  test('SSE KMS key changed', () => {
    const key = (id: string) => ({ SSEEnabled: true, SSEType: 'KMS' as const, KMSMasterKeyId: id })
    const from = candidatesTable({ SSESpecification: key('alias/old') })
    const to = candidatesTable({ SSESpecification: key('alias/new') })
    expect(plan({ Candidates: from }, { Candidates: to })).toStrictEqual(
      planned(
        [{ op: 'updateSse', table: T, sse: key('alias/new') }],
        [{ op: 'updateSse', table: T, sse: key('alias/old') }],
      ),
    )
  })
})

describe('diff: protection, class, tags', () => {
  const on = { op: 'updateDeletionProtection', table: T, enabled: true }
  const off = { op: 'updateDeletionProtection', table: T, enabled: false }

  test('deletion protection enabled', () => {
    const to = candidatesTable({ DeletionProtectionEnabled: true })
    expect(plan({ Candidates: CANDIDATES }, { Candidates: to })).toStrictEqual(planned([on], [off]))
  })

  test('deletion protection disabled', () => {
    const from = candidatesTable({ DeletionProtectionEnabled: true })
    expect(plan({ Candidates: from }, { Candidates: CANDIDATES })).toStrictEqual(
      planned([off], [on]),
    )
  })

  test('table class changed', () => {
    const to = candidatesTable({ TableClass: 'STANDARD_INFREQUENT_ACCESS' })
    expect(plan({ Candidates: CANDIDATES }, { Candidates: to })).toStrictEqual(
      planned(
        [{ op: 'updateTableClass', table: T, tableClass: 'STANDARD_INFREQUENT_ACCESS' }],
        [{ op: 'updateTableClass', table: T, tableClass: 'STANDARD' }],
      ),
    )
  })

  test('tags added, changed and removed: untag, then tag; down restores the old values', () => {
    const from = candidatesTable({
      Tags: [
        { Key: 'Stage', Value: 'dev' },
        { Key: 'Owner', Value: 'team-a' },
        { Key: 'Application', Value: 'CEAP' },
      ],
    })
    const to = candidatesTable({
      Tags: [
        { Key: 'Stage', Value: 'dev' },
        { Key: 'CostCenter', Value: '42' },
        { Key: 'Application', Value: 'CEAP2' },
      ],
    })
    expect(plan({ Candidates: from }, { Candidates: to })).toStrictEqual(
      planned(
        [
          { op: 'untag', table: T, keys: ['Owner'] },
          {
            op: 'tag',
            table: T,
            tags: [
              { Key: 'Application', Value: 'CEAP2' },
              { Key: 'CostCenter', Value: '42' },
            ],
          },
        ],
        [
          { op: 'untag', table: T, keys: ['CostCenter'] },
          { op: 'tag', table: T, tags: [{ Key: 'Application', Value: 'CEAP' }] },
          { op: 'tag', table: T, tags: [{ Key: 'Owner', Value: 'team-a' }] },
        ],
      ),
    )
  })

  test('all tags removed', () => {
    const to = without(CANDIDATES, 'Tags')
    expect(plan({ Candidates: CANDIDATES }, { Candidates: to })).toStrictEqual(
      planned(
        [{ op: 'untag', table: T, keys: ['Application'] }],
        [{ op: 'tag', table: T, tags: [{ Key: 'Application', Value: 'CEAP' }] }],
      ),
    )
  })
})

test('diff: every kind of change on one table, in the documented order', () => {
  const from = candidatesTable({
    ...provisioned(withoutIndex(CANDIDATES, 'ScoreIndex')),
    StreamSpecification: NEW_IMAGE,
    Tags: [{ Key: 'Owner', Value: 'team-a' }],
  })
  const to = candidatesTable({
    GlobalSecondaryIndexes: [CANDIDATES.GlobalSecondaryIndexes![1]!],
    StreamSpecification: BOTH_IMAGES,
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 1 },
    SSESpecification: { SSEEnabled: true, KMSMasterKeyId: 'alias/ddbm' },
    DeletionProtectionEnabled: true,
    TableClass: 'STANDARD_INFREQUENT_ACCESS',
  })
  delete to.TimeToLiveSpecification
  const result = plan({ Candidates: from }, { Candidates: to })
  expect(
    result.up.map((op) => [op.op, 'indexName' in op ? op.indexName : undefined]),
  ).toStrictEqual([
    ['deleteGsi', ACTIVE_INDEX.IndexName],
    ['deleteGsi', 'StatusIndex'],
    ['updateBilling', undefined],
    ['createGsi', undefined],
    ['updateStream', undefined],
    ['updateStream', undefined],
    ['updateTtl', undefined],
    ['updatePitr', undefined],
    ['updateSse', undefined],
    ['updateDeletionProtection', undefined],
    ['updateTableClass', undefined],
    ['untag', undefined],
    ['tag', undefined],
  ])
  expect(result.down.map((op) => op.op)).toStrictEqual([
    'untag',
    'tag',
    'updateTableClass',
    'updateDeletionProtection',
    'updateSse',
    'updatePitr',
    'updateTtl',
    'updateStream',
    'updateStream',
    'deleteGsi',
    'updateBilling',
    'createGsi',
    'createGsi',
  ])
})
