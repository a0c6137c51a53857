import type { DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb'
import { describe, expect, test } from 'vitest'
import {
  backoffDelay,
  POLL_BACKOFF,
  pendingSummary,
  waitForIndexActive,
  waitForTableActive,
  waitForTableGone,
} from '../../../src/dynamo/wait.js'
import { DdbmError, isDdbmError } from '../../../src/errors.js'
import { interruption } from '../../../src/interrupt.js'

/**
 * The waiters' clock and backoff, data in and data out. A scripted DescribeTable stands in for the engine
 * here only because no real engine can be made to stay CREATING for hours; the integration suite covers
 * the real answers.
 */
function scripted(answers: (TableDescription | undefined)[]): DynamoDBClient {
  let i = 0
  return {
    send: async () => {
      const table = answers[Math.min(i++, answers.length - 1)]
      if (table === undefined) {
        throw Object.assign(new Error('Requested resource not found'), {
          name: 'ResourceNotFoundException',
        })
      }
      return { Table: table }
    },
  } as unknown as DynamoDBClient
}

function fakeClock() {
  let t = 0
  const slept: number[] = []
  return {
    slept,
    now: () => t,
    sleep: async (ms: number) => {
      slept.push(ms)
      t += ms
    },
  }
}

const creating: TableDescription = {
  TableName: 'T-dev',
  TableStatus: 'ACTIVE',
  GlobalSecondaryIndexes: [{ IndexName: 'ByX', IndexStatus: 'CREATING', Backfilling: true }],
}
const active: TableDescription = {
  ...creating,
  GlobalSecondaryIndexes: [{ IndexName: 'ByX', IndexStatus: 'ACTIVE' }],
}

describe('backoffDelay', () => {
  test('doubles from 100 ms to a 5 s cap, jittered within [ceiling/2, ceiling)', () => {
    expect([0, 1, 2, 6, 20].map((a) => backoffDelay(a, undefined, () => 0))).toStrictEqual([
      50, 100, 200, 2500, 2500,
    ])
    expect(backoffDelay(20, undefined, () => 0.999)).toBeLessThan(5000)
  })

  test('grows by the backoff factor when one is given (the waiters: POLL_BACKOFF)', () => {
    expect([0, 1, 2, 30].map((a) => backoffDelay(a, POLL_BACKOFF, () => 0))).toStrictEqual([
      25, 31.25, 39.0625, 2500,
    ])
  })
})

describe('waitForTableActive', () => {
  test('an ACTIVE table with a CREATING index is not settled', async () => {
    const clock = fakeClock()
    const polled: string[] = []
    const t = await waitForTableActive(scripted([undefined, creating, creating, active]), 'T-dev', {
      ...clock,
      random: () => 0,
      onPoll: (table) => polled.push(pendingSummary(table)),
    })
    expect(t).toBe(active)
    expect(polled).toStrictEqual([
      'table does not exist',
      'table ACTIVE; index ByX CREATING (backfilling)',
      'table ACTIVE; index ByX CREATING (backfilling)',
      'table ACTIVE',
    ])
    // POLL_BACKOFF: 50 ms growing by a quarter, the lower half of each ceiling with random() = 0.
    expect(clock.slept).toStrictEqual([25, 31.25, 39.0625])
  })

  test('times out with a DdbmError naming what it waited for', async () => {
    const clock = fakeClock()
    const err = await waitForTableActive(scripted([creating]), 'T-dev', {
      ...clock,
      timeoutMs: 60_000,
      random: () => 0.5,
    }).catch((e: unknown) => e)
    expect(isDdbmError(err, 'AWS_FAILED')).toBe(true)
    expect((err as Error).message).toMatchInlineSnapshot(
      `"Timed out after 60 s waiting for table T-dev and its indexes to be ACTIVE (last seen: table ACTIVE; index ByX CREATING (backfilling))."`,
    )
    expect(clock.now()).toBe(60_000)
  })

  test('an abort ends the wait at its next sleep, naming what it waited for; no further poll is sent', async () => {
    const controller = new AbortController()
    let polls = 0
    const err = await waitForIndexActive(scripted([creating]), 'T-dev', 'ByX', {
      // The first sleep never ends by itself: only the abort can stop it.
      sleep: () => new Promise<void>(() => {}),
      onPoll: () => {
        polls++
        setTimeout(() => controller.abort(interruption('SIGINT')), 1)
      },
      signal: controller.signal,
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DdbmError)
    const e = err as DdbmError
    expect([e.code, e.message, e.details, polls]).toStrictEqual([
      'INTERRUPTED',
      'Interrupted (SIGINT) while waiting for index ByX of T-dev to be ACTIVE',
      { signal: 'SIGINT' },
      1,
    ])
  })
})

describe('index and deletion waiters', () => {
  test('waitForIndexActive fails soon when the index never appears', async () => {
    const clock = fakeClock()
    const err = await waitForIndexActive(
      scripted([{ ...active, GlobalSecondaryIndexes: [] }]),
      'T-dev',
      'ByY',
      clock,
    ).catch((e: unknown) => e)
    expect((err as Error).message).toBe(
      'Index ByY of T-dev does not exist (was it deleted meanwhile?).',
    )
    // More than 5 polls and 2 s without the index (with POLL_BACKOFF the 2 s come last).
    expect(clock.slept.length).toBeGreaterThan(5)
    expect(clock.now()).toBeGreaterThanOrEqual(2_000)
    expect(clock.now() - (clock.slept.at(-1) ?? 0)).toBeLessThan(2_000)
  })

  test('waitForTableGone returns once DescribeTable answers ResourceNotFound', async () => {
    const clock = fakeClock()
    await waitForTableGone(
      scripted([active, { ...active, TableStatus: 'DELETING' }, undefined]),
      'T-dev',
      clock,
    )
    expect(clock.slept).toHaveLength(2)
  })
})
