import { describe, expect, test } from 'vitest'
import type { GlobalSecondaryIndex } from '../../../src/schema/table-schema.js'
import {
  ACTIVE_INDEX,
  CANDIDATES,
  SCORE_INDEX,
  STATUS_INDEX,
  candidatesTable,
  capacity,
  provisioned,
  withIndex,
  withoutIndex,
} from '../../fixtures/tables.js'
import { plan } from './diff-fixtures.js'

const T = 'Candidates'
const S = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const })
const N = (name: string) => ({ AttributeName: name, AttributeType: 'N' as const })
const createGsi = (index: GlobalSecondaryIndex, ...attributeDefinitions: unknown[]) => ({
  op: 'createGsi',
  table: T,
  index,
  attributeDefinitions,
})
const deleteGsi = (indexName: string) => ({ op: 'deleteGsi', table: T, indexName })
const planned = (up: unknown[], down: unknown[]) => ({ up, down, notes: [], problems: [] })
const rebuilt = (name: string) =>
  `Candidates: index ${name} is rebuilt (its keys or projection changed); it is unavailable while it builds`

/** Candidates without ActiveCandidatesIndex. */
const TWO_INDEXES = withoutIndex(CANDIDATES, ACTIVE_INDEX.IndexName)

describe('diff: GSIs', () => {
  test('one GSI added: createGsi with the definitions of its key attributes', () => {
    expect(plan({ Candidates: TWO_INDEXES }, { Candidates: CANDIDATES })).toStrictEqual(
      planned(
        [createGsi(ACTIVE_INDEX, S('activeFlag'), N('score'))],
        [deleteGsi('ActiveCandidatesIndex')],
      ),
    )
  })

  test('three GSIs added at once: three createGsi, by name', () => {
    const from = candidatesTable({ GlobalSecondaryIndexes: [] })
    expect(plan({ Candidates: from }, { Candidates: CANDIDATES })).toStrictEqual(
      planned(
        [
          createGsi(ACTIVE_INDEX, S('activeFlag'), N('score')),
          createGsi(SCORE_INDEX, N('score'), S('status')),
          createGsi(STATUS_INDEX, S('createdAt'), S('status')),
        ],
        [deleteGsi('StatusIndex'), deleteGsi('ScoreIndex'), deleteGsi('ActiveCandidatesIndex')],
      ),
    )
  })

  test('a GSI removed; down recreates its definition', () => {
    expect(plan({ Candidates: CANDIDATES }, { Candidates: TWO_INDEXES })).toStrictEqual(
      planned(
        [deleteGsi('ActiveCandidatesIndex')],
        [createGsi(ACTIVE_INDEX, S('activeFlag'), N('score'))],
      ),
    )
  })

  test('a GSI whose keys changed is deleted and recreated, with a note', () => {
    const changed: GlobalSecondaryIndex = {
      ...SCORE_INDEX,
      KeySchema: [
        { AttributeName: 'activeFlag', KeyType: 'HASH' },
        { AttributeName: 'createdAt', KeyType: 'RANGE' },
      ],
    }
    const to = withIndex(CANDIDATES, changed)
    expect(plan({ Candidates: CANDIDATES }, { Candidates: to })).toStrictEqual({
      up: [deleteGsi('ScoreIndex'), createGsi(changed, S('activeFlag'), S('createdAt'))],
      down: [deleteGsi('ScoreIndex'), createGsi(SCORE_INDEX, N('score'), S('status'))],
      notes: [rebuilt('ScoreIndex')],
      problems: [],
    })
  })

  test('a GSI whose projection changed is rebuilt', () => {
    const keysOnly = { ...SCORE_INDEX, Projection: { ProjectionType: 'KEYS_ONLY' as const } }
    const to = withIndex(CANDIDATES, keysOnly)
    expect(plan({ Candidates: CANDIDATES }, { Candidates: to })).toStrictEqual({
      up: [deleteGsi('ScoreIndex'), createGsi(keysOnly, N('score'), S('status'))],
      down: [deleteGsi('ScoreIndex'), createGsi(SCORE_INDEX, N('score'), S('status'))],
      notes: [rebuilt('ScoreIndex')],
      problems: [],
    })
  })

  test('a GSI whose INCLUDE attributes changed is rebuilt (attributes sorted)', () => {
    const include = (...NonKeyAttributes: string[]): GlobalSecondaryIndex => ({
      ...STATUS_INDEX,
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes },
    })
    const from = withIndex(CANDIDATES, include('name', 'email'))
    const to = withIndex(CANDIDATES, include('phone', 'name', 'email'))
    expect(plan({ Candidates: from }, { Candidates: to })).toStrictEqual({
      up: [
        deleteGsi('StatusIndex'),
        createGsi(include('email', 'name', 'phone'), S('createdAt'), S('status')),
      ],
      down: [
        deleteGsi('StatusIndex'),
        createGsi(include('email', 'name'), S('createdAt'), S('status')),
      ],
      notes: [rebuilt('StatusIndex')],
      problems: [],
    })
  })

  test("a GSI whose key attribute's type changed is rebuilt with the new definition", () => {
    const to = candidatesTable({
      AttributeDefinitions: CANDIDATES.AttributeDefinitions.map((a) =>
        a.AttributeName === 'createdAt' ? N('createdAt') : a,
      ),
    })
    expect(plan({ Candidates: CANDIDATES }, { Candidates: to })).toStrictEqual({
      up: [deleteGsi('StatusIndex'), createGsi(STATUS_INDEX, N('createdAt'), S('status'))],
      down: [deleteGsi('StatusIndex'), createGsi(STATUS_INDEX, S('createdAt'), S('status'))],
      notes: [rebuilt('StatusIndex')],
      problems: [],
    })
  })
})

/** updateBilling of Candidates. */
const billing = (billingMode: string, rest: Record<string, unknown> = {}) => ({
  op: 'updateBilling',
  table: T,
  billingMode,
  ...rest,
})
/** `indexes` of updateBilling: each named GSI with `read`/`write` capacity units. */
const everyIndex = (read: number, write: number, names: string[]) =>
  names.map((IndexName) => ({ IndexName, ProvisionedThroughput: capacity(read, write) }))
const ALL_THREE = ['ActiveCandidatesIndex', 'ScoreIndex', 'StatusIndex']
const KEPT_TWO = ['ScoreIndex', 'StatusIndex']

describe('diff: billing', () => {
  const provisioned10x5 = billing('PROVISIONED', {
    provisionedThroughput: capacity(10, 5),
    indexes: everyIndex(10, 5, ALL_THREE),
  })

  test('PROVISIONED → PAY_PER_REQUEST carries no throughput; down restores every GSI', () => {
    const from = provisioned(CANDIDATES)
    expect(plan({ Candidates: from }, { Candidates: CANDIDATES })).toStrictEqual(
      planned([billing('PAY_PER_REQUEST')], [provisioned10x5]),
    )
  })

  test("PAY_PER_REQUEST → PROVISIONED carries the table's and every GSI's throughput", () => {
    const to = provisioned(CANDIDATES)
    expect(plan({ Candidates: CANDIDATES }, { Candidates: to })).toStrictEqual(
      planned([provisioned10x5], [billing('PAY_PER_REQUEST')]),
    )
  })

  test("the table's throughput changed", () => {
    const from = provisioned(CANDIDATES)
    const to = { ...provisioned(CANDIDATES), ProvisionedThroughput: capacity(20, 10) }
    expect(plan({ Candidates: from }, { Candidates: to })).toStrictEqual(
      planned(
        [
          billing('PROVISIONED', {
            provisionedThroughput: capacity(20, 10),
            indexes: everyIndex(10, 5, ALL_THREE),
          }),
        ],
        [provisioned10x5],
      ),
    )
  })

  test("only a GSI's throughput changed: updateBilling, not a rebuild", () => {
    const from = provisioned(CANDIDATES)
    const to = withIndex(from, { ...SCORE_INDEX, ProvisionedThroughput: capacity(50, 50) })
    expect(plan({ Candidates: from }, { Candidates: to })).toStrictEqual(
      planned(
        [
          billing('PROVISIONED', {
            provisionedThroughput: capacity(10, 5),
            indexes: [
              ...everyIndex(10, 5, ['ActiveCandidatesIndex']),
              ...everyIndex(50, 50, ['ScoreIndex']),
              ...everyIndex(10, 5, ['StatusIndex']),
            ],
          }),
        ],
        [provisioned10x5],
      ),
    )
  })

  test('on-demand limits: a missing field is sent as -1; down lifts the limit', () => {
    const to = candidatesTable({ OnDemandThroughput: { MaxReadRequestUnits: 100 } })
    const limit = (MaxReadRequestUnits: number) => ({
      onDemandThroughput: { MaxReadRequestUnits, MaxWriteRequestUnits: -1 },
    })
    expect(plan({ Candidates: CANDIDATES }, { Candidates: to })).toStrictEqual(
      planned([billing('PAY_PER_REQUEST', limit(100))], [billing('PAY_PER_REQUEST', limit(-1))]),
    )
  })

  test('switch to PAY_PER_REQUEST with a new GSI: the switch first, then the GSI without throughput', () => {
    const from = provisioned(TWO_INDEXES)
    expect(plan({ Candidates: from }, { Candidates: CANDIDATES })).toStrictEqual(
      planned(
        [billing('PAY_PER_REQUEST'), createGsi(ACTIVE_INDEX, S('activeFlag'), N('score'))],
        [
          deleteGsi('ActiveCandidatesIndex'),
          billing('PROVISIONED', {
            provisionedThroughput: capacity(10, 5),
            indexes: everyIndex(10, 5, KEPT_TWO),
          }),
        ],
      ),
    )
  })

  test('switch to PROVISIONED with a new GSI: the switch first (kept GSIs), then the GSI with throughput', () => {
    const to = provisioned(CANDIDATES)
    const active = { ...ACTIVE_INDEX, ProvisionedThroughput: capacity(10, 5) }
    expect(plan({ Candidates: TWO_INDEXES }, { Candidates: to })).toStrictEqual(
      planned(
        [
          billing('PROVISIONED', {
            provisionedThroughput: capacity(10, 5),
            indexes: everyIndex(10, 5, KEPT_TWO),
          }),
          createGsi(active, S('activeFlag'), N('score')),
        ],
        [deleteGsi('ActiveCandidatesIndex'), billing('PAY_PER_REQUEST')],
      ),
    )
  })

  test('switch to PROVISIONED with a GSI removed: the delete first, so it is not provisioned', () => {
    const to = provisioned(TWO_INDEXES)
    expect(plan({ Candidates: CANDIDATES }, { Candidates: to })).toStrictEqual(
      planned(
        [
          deleteGsi('ActiveCandidatesIndex'),
          billing('PROVISIONED', {
            provisionedThroughput: capacity(10, 5),
            indexes: everyIndex(10, 5, KEPT_TWO),
          }),
        ],
        [billing('PAY_PER_REQUEST'), createGsi(ACTIVE_INDEX, S('activeFlag'), N('score'))],
      ),
    )
  })

  test('no switch: the new GSI first, then the throughput change listing every GSI', () => {
    const from = provisioned(TWO_INDEXES)
    const to = { ...provisioned(CANDIDATES), ProvisionedThroughput: capacity(20, 10) }
    const active = { ...ACTIVE_INDEX, ProvisionedThroughput: capacity(10, 5) }
    expect(plan({ Candidates: from }, { Candidates: to })).toStrictEqual(
      planned(
        [
          createGsi(active, S('activeFlag'), N('score')),
          billing('PROVISIONED', {
            provisionedThroughput: capacity(20, 10),
            indexes: everyIndex(10, 5, ALL_THREE),
          }),
        ],
        [provisioned10x5, deleteGsi('ActiveCandidatesIndex')],
      ),
    )
  })
})
