import type { DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb'
import { describe, expect, test } from 'vitest'
import { mutate, type StepContext } from '../../../../src/engine/steps/step-context.js'
import type { Event } from '../../../../src/events.js'

/**
 * The busy-retry of control-plane calls. Neither DynamoDB Local nor moto can be made to answer
 * LimitExceeded or ResourceInUse on demand, so DescribeTable is scripted here; the integration suite
 * covers everything the engines can answer.
 */
function context(tables: TableDescription[]): {
  ctx: StepContext
  events: Event[]
  slept: number[]
} {
  let i = 0
  let t = 0
  const events: Event[] = []
  const slept: number[] = []
  const client = {
    send: async () => ({ Table: tables[Math.min(i++, tables.length - 1)] }),
  } as unknown as DynamoDBClient
  const ctx: StepContext = {
    client,
    emit: (e) => events.push(e),
    table: 'T-dev',
    op: 'createGsi',
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms)
      t += ms
    },
    waitTimeoutMs: 600_000,
    random: () => 0,
  }
  return { ctx, events, slept }
}

const refusal = (name: string, message: string) => Object.assign(new Error(message), { name })
const busy: TableDescription = {
  TableStatus: 'ACTIVE',
  GlobalSecondaryIndexes: [{ IndexName: 'ByX', IndexStatus: 'CREATING', Backfilling: true }],
}
const settled: TableDescription = { TableStatus: 'ACTIVE', GlobalSecondaryIndexes: [] }

describe('mutate', () => {
  test('LimitExceeded while an index builds: waits until settled, then sends again', async () => {
    const { ctx, events } = context([busy, busy, settled])
    let calls = 0
    const out = await mutate(ctx, 'UpdateTable', async () => {
      if (++calls === 1) {
        throw refusal(
          'LimitExceededException',
          'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
        )
      }
      return 'ok'
    })
    expect(out).toBe('ok')
    expect(calls).toBe(2)
    expect(
      events.map((e) => (e.kind === 'step' ? `${e.status}: ${e.detail}` : e.kind)),
    ).toStrictEqual([
      'sent: UpdateTable',
      'waiting: UpdateTable refused (Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table); retrying',
      'waiting: table ACTIVE; index ByX CREATING (backfilling)',
      'sent: UpdateTable',
    ])
  })

  test('ResourceInUse on a settled table is surfaced after a few tries', async () => {
    const { ctx, slept } = context([settled])
    const err = refusal('ResourceInUseException', 'Cannot enable stream')
    await expect(
      mutate(ctx, 'UpdateTable', async () => {
        throw err
      }),
    ).rejects.toBe(err)
    expect(slept).toStrictEqual([500, 1000, 2000])
  })

  test('other errors are not retried', async () => {
    const { ctx } = context([settled])
    let calls = 0
    await expect(
      mutate(ctx, 'DeleteTable', async () => {
        calls++
        throw refusal(
          'ValidationException',
          'Resource cannot be deleted as it is currently protected',
        )
      }),
    ).rejects.toThrow('protected')
    expect(calls).toBe(1)
  })
})
