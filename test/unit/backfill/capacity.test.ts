import { describe, expect, test } from 'vitest'
import {
  capacityOf,
  resolveRate,
  type Capacity,
  type CapacityTable,
  type RateSpec,
} from '../../../src/backfill/capacity.js'
import { DdbmError } from '../../../src/errors.js'

const provisioned: CapacityTable = {
  TableName: 'Orders',
  BillingModeSummary: { BillingMode: 'PROVISIONED' },
  ProvisionedThroughput: { ReadCapacityUnits: 100, WriteCapacityUnits: 50 },
  GlobalSecondaryIndexes: [
    {
      IndexName: 'ByStatus',
      ProvisionedThroughput: { ReadCapacityUnits: 30, WriteCapacityUnits: 20 },
    },
  ],
  LocalSecondaryIndexes: [{ IndexName: 'ByDate' }],
}

const onDemand: CapacityTable = {
  TableName: 'Orders',
  BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
  // AWS reports zero provisioned units on on-demand tables.
  ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
  GlobalSecondaryIndexes: [{ IndexName: 'ByStatus' }],
}

describe('capacityOf', () => {
  test('provisioned: the table units', () => {
    expect(capacityOf(provisioned)).toStrictEqual({
      read: 100,
      write: 50,
      source: 'provisioned',
      sources: { read: 'provisioned', write: 'provisioned' },
      detail:
        'reads: 100 RCU provisioned on table Orders; writes: 50 WCU provisioned on table Orders',
    })
  })

  test('provisioned without BillingModeSummary (AWS omits it on tables always provisioned)', () => {
    const { BillingModeSummary: _, ...table } = provisioned
    expect(capacityOf(table)).toMatchObject({ read: 100, write: 50, source: 'provisioned' })
  })

  test('provisioned, scanning a GSI: reads from the index, writes to the table', () => {
    expect(capacityOf(provisioned, { index: 'ByStatus' })).toStrictEqual({
      read: 30,
      write: 50,
      source: 'provisioned',
      sources: { read: 'provisioned', write: 'provisioned' },
      detail:
        'reads: 30 RCU provisioned on index ByStatus of Orders; writes: 50 WCU provisioned on table Orders',
    })
  })

  test('an LSI shares the table capacity', () => {
    expect(capacityOf(provisioned, { index: 'ByDate' })).toMatchObject({ read: 100, write: 50 })
  })

  test('autoscaling maxima win over the provisioned units', () => {
    expect(capacityOf(provisioned, { autoscaling: { readMax: 400, writeMax: 200 } })).toStrictEqual(
      {
        read: 400,
        write: 200,
        source: 'autoscaling',
        sources: { read: 'autoscaling', write: 'autoscaling' },
        detail:
          'reads: 400 RCU autoscaling maximum of table Orders, provisioned now 100; ' +
          'writes: 200 WCU autoscaling maximum of table Orders, provisioned now 50',
      },
    )
  })

  test('an autoscaling maximum on one kind only: source autoscaling, sources per kind', () => {
    const capacity = capacityOf(provisioned, { index: 'ByStatus', autoscaling: { readMax: 90 } })
    expect([capacity.read, capacity.write, capacity.source, capacity.sources]).toStrictEqual([
      90,
      50,
      'autoscaling',
      { read: 'autoscaling', write: 'provisioned' },
    ])
  })

  test('on-demand without maxima: 40,000 units per second each', () => {
    expect(capacityOf(onDemand)).toStrictEqual({
      read: 40_000,
      write: 40_000,
      source: 'on-demand-default',
      sources: { read: 'on-demand-default', write: 'on-demand-default' },
      detail:
        'reads: 40000 RRU on-demand default table quota for table Orders (no maximum set); ' +
        'writes: 40000 WRU on-demand default table quota for table Orders (no maximum set)',
    })
  })

  test('on-demand with OnDemandThroughput maxima (-1 means none)', () => {
    const table = {
      ...onDemand,
      OnDemandThroughput: { MaxReadRequestUnits: 1200, MaxWriteRequestUnits: -1 },
    }
    expect(capacityOf(table)).toStrictEqual({
      read: 1200,
      write: 40_000,
      source: 'on-demand-max',
      sources: { read: 'on-demand-max', write: 'on-demand-default' },
      detail:
        'reads: 1200 RRU on-demand maximum of table Orders; ' +
        'writes: 40000 WRU on-demand default table quota for table Orders (no maximum set)',
    })
  })

  test('on-demand GSI: its own maximum, the smaller of it and the table maximum', () => {
    const table: CapacityTable = {
      ...onDemand,
      OnDemandThroughput: { MaxReadRequestUnits: 500, MaxWriteRequestUnits: 300 },
      GlobalSecondaryIndexes: [
        { IndexName: 'ByStatus', OnDemandThroughput: { MaxReadRequestUnits: 200 } },
        { IndexName: 'Wide', OnDemandThroughput: { MaxReadRequestUnits: 9000 } },
        { IndexName: 'Plain' },
      ],
    }
    expect(capacityOf(table, { index: 'ByStatus' })).toMatchObject({
      read: 200,
      write: 300,
      detail:
        'reads: 200 RRU on-demand maximum of index ByStatus of Orders; writes: 300 WRU on-demand maximum of table Orders',
    })
    expect(capacityOf(table, { index: 'Wide' })).toMatchObject({ read: 500, write: 300 })
    expect(capacityOf(table, { index: 'Plain' })).toMatchObject({
      read: 500,
      detail:
        'reads: 500 RRU on-demand maximum of table Orders; writes: 300 WRU on-demand maximum of table Orders',
    })
  })

  test('autoscaling maxima do not apply to on-demand tables', () => {
    expect(capacityOf(onDemand, { autoscaling: { readMax: 10 } })).toMatchObject({
      read: 40_000,
      source: 'on-demand-default',
    })
  })

  test('no billing mode and no provisioned units: unknown', () => {
    expect(capacityOf({ TableName: 'Bare' })).toStrictEqual({
      read: 0,
      write: 0,
      source: 'unknown',
      sources: { read: 'unknown', write: 'unknown' },
      detail:
        'the capacity of Bare is unknown: DescribeTable reports neither a billing mode nor provisioned units',
    })
  })

  test('an index the table does not have is a USAGE error listing its indexes', () => {
    let err: unknown
    try {
      capacityOf(provisioned, { index: 'Nope' })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(DdbmError)
    const e = err as DdbmError<'USAGE'>
    expect([e.code, e.message, e.details, e.hint]).toStrictEqual([
      'USAGE',
      'Table Orders has no index named Nope',
      { name: 'index', table: 'Orders', known: ['ByStatus', 'ByDate'] },
      'Name one of its indexes (ByStatus, ByDate), or scan the table.',
    ])
  })
})

describe('resolveRate', () => {
  const capacity = capacityOf(provisioned)

  test('no spec: unlimited', () => {
    expect(resolveRate(undefined, capacity)).toStrictEqual({
      readPerSec: Infinity,
      writePerSec: Infinity,
    })
  })

  test('absolute values are used as given; a kind left out is unlimited', () => {
    expect(resolveRate({ readPerSec: 1000, writePerSec: 25 }, capacity)).toStrictEqual({
      readPerSec: 1000,
      writePerSec: 25,
    })
    expect(resolveRate({ writePerSec: 25 }, capacity)).toStrictEqual({
      readPerSec: Infinity,
      writePerSec: 25,
    })
    expect(resolveRate({}, capacity)).toStrictEqual({ readPerSec: Infinity, writePerSec: Infinity })
  })

  test('a fraction of each kind of capacity', () => {
    expect(resolveRate({ fraction: 0.3 }, capacity)).toStrictEqual({
      readPerSec: 30,
      writePerSec: 15,
    })
    expect(
      resolveRate({ fraction: 1 }, capacityOf(provisioned, { index: 'ByStatus' })),
    ).toStrictEqual({ readPerSec: 30, writePerSec: 50 })
    expect(resolveRate({ fraction: 0.25 }, capacityOf(onDemand))).toStrictEqual({
      readPerSec: 10_000,
      writePerSec: 10_000,
    })
  })

  const unknown: Capacity = capacityOf({ TableName: 'Bare' })

  test.each<[string, unknown, Capacity, string, string]>([
    [
      'zero fraction',
      { fraction: 0 },
      capacity,
      'rate.fraction',
      'rate.fraction must be a number in (0, 1], got 0',
    ],
    [
      'fraction above 1',
      { fraction: 1.5 },
      capacity,
      'rate.fraction',
      'rate.fraction must be a number in (0, 1], got 1.5',
    ],
    [
      'fraction as text',
      { fraction: '0.5' },
      capacity,
      'rate.fraction',
      'rate.fraction must be a number in (0, 1], got 0.5',
    ],
    [
      'fraction mixed with absolute',
      { fraction: 0.5, writePerSec: 3 },
      capacity,
      'rate.writePerSec',
      'rate.writePerSec cannot be given with rate.fraction',
    ],
    [
      'negative reads',
      { readPerSec: -1 },
      capacity,
      'rate.readPerSec',
      'rate.readPerSec must be a number > 0, got -1',
    ],
    [
      'NaN writes',
      { writePerSec: Number.NaN },
      capacity,
      'rate.writePerSec',
      'rate.writePerSec must be a number > 0, got NaN',
    ],
    [
      'unknown field',
      { readsPerSec: 5 },
      capacity,
      'rate.readsPerSec',
      'rate.readsPerSec is not a rate field',
    ],
    ['not an object', 5, capacity, 'rate', 'rate must be an object, got 5'],
    [
      'fraction of an unknown capacity',
      { fraction: 0.5 },
      unknown,
      'rate.fraction',
      "rate.fraction needs the table's capacity: the capacity of Bare is unknown: DescribeTable reports neither a billing mode nor provisioned units",
    ],
  ])('%s: USAGE naming the field', (_title, spec, cap, name, message) => {
    let err: unknown
    try {
      resolveRate(spec as RateSpec, cap)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(DdbmError)
    const e = err as DdbmError<'USAGE'>
    expect([e.code, e.details, e.message]).toStrictEqual(['USAGE', { name }, message])
    expect(e.hint).toMatch(/readPerSec, writePerSec/)
  })
})
