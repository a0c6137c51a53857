import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, onTestFinished, test } from 'vitest'
import { execute, type StepResult } from '../../../../src/engine/steps/execute.js'
import { DdbmError } from '../../../../src/errors.js'
import type { Event } from '../../../../src/events.js'
import { interruption } from '../../../../src/interrupt.js'
import type { Operation } from '../../../../src/schema/operation.js'
import { ORDERS, ORDERS_BY_DATE, ORDERS_BY_STATUS } from '../../../fixtures/tables.js'
import { dropTables, engineClient, engines } from '../../../helpers/engines.js'
import { holdCreatingOnce } from '../../../helpers/hold-creating.js'

// DynamoDB Local: a new GSI goes through CREATING, so its step waits (engines.ts, gsiCreating).
const engine = engines()[0]!

describe(`${engine.name}: an interrupted executor`, () => {
  const suffix = randomUUID().slice(0, 8)
  afterAll(() => dropTables(engine.endpoint, suffix))

  const ops = (table: string): Operation[] => [
    { op: 'createTable', table, definition: { ...ORDERS, TableName: table } },
    {
      op: 'createGsi',
      table,
      index: ORDERS_BY_STATUS,
      attributeDefinitions: [
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ],
    },
    {
      op: 'createGsi',
      table,
      index: ORDERS_BY_DATE,
      attributeDefinitions: [{ AttributeName: 'createdAt', AttributeType: 'S' }],
    },
  ]

  /** Runs `ops` on a new table, aborting when `when` first holds for an event. */
  async function interrupted(when: (e: Event) => boolean) {
    const table = `Orders-${randomUUID().slice(0, 4)}-${suffix}`
    const controller = new AbortController()
    const events: Event[] = []
    const client = engineClient(engine)
    onTestFinished(() => client.destroy())
    holdCreatingOnce(client, ORDERS_BY_STATUS.IndexName)
    const err = await execute(ops(table), {
      client,
      tableName: (t) => t,
      signal: controller.signal,
      emit: (e) => {
        events.push(e)
        if (!controller.signal.aborted && when(e)) controller.abort(interruption('SIGINT'))
      },
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DdbmError)
    const e = err as DdbmError
    const results = (e.details as { results: StepResult[] }).results
    return { table, err: e, statuses: results.map((r) => `${r.op} ${r.status}`), events }
  }

  test('during a GSI build: its wait is abandoned, the steps after it are not run', async () => {
    const { table, err, statuses, events } = await interrupted(
      (e) => e.kind === 'step' && e.op === 'createGsi' && e.status === 'waiting',
    )
    expect([err.code, err.message]).toStrictEqual([
      'INTERRUPTED',
      `Interrupted (SIGINT) during step 2/3 (create GSI byStatus on ${table} (status HASH, SK RANGE; KEYS_ONLY)): its wait was abandoned, and DynamoDB goes on with what was sent`,
    ])
    expect(statuses).toStrictEqual([
      'createTable done',
      'createGsi interrupted',
      'createGsi not-run',
    ])
    const last = events.filter((e) => e.kind === 'step').at(-1)
    expect(last).toStrictEqual({
      kind: 'step',
      table,
      op: 'createGsi',
      status: 'interrupted',
      detail: `Interrupted (SIGINT) while waiting for index byStatus of ${table} to be ACTIVE`,
    })
  })

  test('between steps: the running step finishes, the next does not start', async () => {
    const { table, err, statuses } = await interrupted(
      (e) => e.kind === 'step' && e.op === 'createTable' && e.status === 'done',
    )
    expect([err.code, err.message]).toStrictEqual([
      'INTERRUPTED',
      `Interrupted (SIGINT) before step 2/3 (create GSI byStatus on ${table} (status HASH, SK RANGE; KEYS_ONLY))`,
    ])
    expect(statuses).toStrictEqual(['createTable done', 'createGsi not-run', 'createGsi not-run'])
  })
})
