import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { afterAll, expect, test } from 'vitest'
import { isDdbmError, type DdbmError } from '../../../../src/errors.js'
import type { Event } from '../../../../src/events.js'
import {
  execute,
  mutatingCommands,
  type EngineDeps,
  type StepResult,
} from '../../../../src/engine/steps/execute.js'
import type { Operation } from '../../../../src/schema/operation.js'
import { simpleTable } from '../../../fixtures/tables.js'
import { engineClient, engines, describeOn } from '../../../helpers/engines.js'

const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`

/**
 * SDK middleware on `client` that holds every `command` call (on table `only`, when given) until released
 * (or `holdMs` has passed), and records the calls in flight: `max` is the most calls of `command` in flight
 * at once, `log` the order in which they started and ended (`start T`, `end T`). A run that sends them one
 * at a time reaches `max` 1 whatever the hold; overlapping calls show as `max` > 1.
 */
function probe(client: DynamoDBClient, command: string, holdMs: number, only?: string) {
  const state = { inFlight: 0, max: 0, arrived: 0, log: [] as string[] }
  let open: () => void = () => {}
  const released = new Promise<void>((resolve) => (open = resolve))
  let releaseAt = Infinity
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const table = String((args.input as { TableName?: string }).TableName)
      if (context.commandName !== command || (only !== undefined && table !== only)) {
        return next(args)
      }
      state.inFlight++
      state.max = Math.max(state.max, state.inFlight)
      state.log.push(`start ${table}`)
      if (++state.arrived >= releaseAt) open()
      try {
        await Promise.race([released, new Promise((r) => setTimeout(r, holdMs))])
        return await next(args)
      } finally {
        state.inFlight--
        state.log.push(`end ${table}`)
      }
    },
    { step: 'initialize' },
  )
  return {
    state,
    /** Releases the held calls once `n` of them have arrived. */
    releaseAfter(n: number) {
      releaseAt = n
      if (state.arrived >= n) open()
    },
    release: () => open(),
  }
}

const statuses = (results: readonly StepResult[]) => results.map((r) => r.status)

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: execute runs different tables concurrently`, () => {
    const created = new Set<string>()
    const clients: DynamoDBClient[] = []
    let testNo = 0

    function harness(concurrency?: number) {
      const suffix = `${runId}-${++testNo}`
      const client = engineClient(engine)
      clients.push(client)
      const mutating: string[] = []
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const name = context.commandName ?? '?'
          if (mutatingCommands.has(name)) {
            mutating.push(`${name} ${String((args.input as { TableName?: string }).TableName)}`)
          }
          return next(args)
        },
        { step: 'initialize' },
      )
      const events: Event[] = []
      const tableName = (t: string) => {
        const name = `${t}-${suffix}`
        created.add(name)
        return name
      }
      const deps: EngineDeps = {
        client,
        emit: (e) => events.push(e),
        tableName,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 200))),
        waitTimeoutMs: 60_000,
        ...(concurrency === undefined ? {} : { concurrency }),
      }
      return { client, deps, events, mutating, tableName }
    }

    afterAll(async () => {
      const client = engineClient(engine)
      for (const name of created) {
        await client.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined)
      }
      for (const c of [client, ...clients]) c.destroy()
    })

    const create = (t: string): Operation => ({
      op: 'createTable',
      table: t,
      definition: simpleTable(t),
    })

    test('the CreateTable calls of three tables are in flight at once', async () => {
      const h = harness()
      // Held until all three arrived: sent one at a time, each would wait out the 10 s hold and `max` be 1.
      const p = probe(h.client, 'CreateTableCommand', 10_000)
      p.releaseAfter(3)
      const results = await execute([create('A'), create('B'), create('C')], h.deps)
      expect(p.state.max).toBe(3)
      expect(p.state.log.slice(0, 3).sort()).toStrictEqual(
        ['A', 'B', 'C'].map((t) => `start ${h.tableName(t)}`),
      )
      expect(results.map((r) => [r.index, r.op, r.table, r.status])).toStrictEqual([
        [0, 'createTable', h.tableName('A'), 'done'],
        [1, 'createTable', h.tableName('B'), 'done'],
        [2, 'createTable', h.tableName('C'), 'done'],
      ])
    })

    test("each table's operations run in order, each once the previous one is done", async () => {
      const h = harness()
      const p = probe(h.client, 'CreateTableCommand', 10_000)
      p.releaseAfter(2)
      const ttl = (t: string): Operation => ({
        op: 'updateTtl',
        table: t,
        ttl: { AttributeName: 'exp', Enabled: true },
      })
      const gsi: Operation = {
        op: 'createGsi',
        table: 'B',
        index: {
          IndexName: 'ByAlpha',
          KeySchema: [{ AttributeName: 'alpha', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        attributeDefinitions: [{ AttributeName: 'alpha', AttributeType: 'S' }],
      }
      const ops: Operation[] = [create('A'), create('B'), gsi, ttl('A'), ttl('B')]
      const results = await execute(ops, h.deps)
      expect(p.state.max).toBe(2)
      expect(statuses(results)).toStrictEqual(['done', 'done', 'done', 'done', 'done'])
      const of = (t: string) =>
        h.mutating.filter((c) => c.endsWith(` ${h.tableName(t)}`)).map((c) => c.split(' ')[0])
      expect(of('A')).toStrictEqual(['CreateTableCommand', 'UpdateTimeToLiveCommand'])
      expect(of('B')).toStrictEqual([
        'CreateTableCommand',
        'UpdateTableCommand',
        'UpdateTimeToLiveCommand',
      ])
      // Per table, a step's call goes out only after the step before it is done.
      const steps = (t: string) =>
        h.events.flatMap((e) =>
          e.kind === 'step' && e.table === h.tableName(t) && ['sent', 'done'].includes(e.status)
            ? [`${e.op} ${e.status}`]
            : [],
        )
      expect(steps('A')).toStrictEqual([
        'createTable sent',
        'createTable done',
        'updateTtl sent',
        'updateTtl done',
      ])
      expect(steps('B')).toStrictEqual([
        'createTable sent',
        'createTable done',
        'createGsi sent',
        'createGsi done',
        'updateTtl sent',
        'updateTtl done',
      ])
    })

    test('concurrency 1 runs the tables one after the other', async () => {
      const h = harness(1)
      // Never released by a second arrival: each call waits out the short hold alone.
      const p = probe(h.client, 'CreateTableCommand', 300)
      p.releaseAfter(2)
      const results = await execute([create('A'), create('B')], h.deps)
      expect(statuses(results)).toStrictEqual(['done', 'done'])
      expect(p.state.max).toBe(1)
      expect(p.state.log).toStrictEqual([
        `start ${h.tableName('A')}`,
        `end ${h.tableName('A')}`,
        `start ${h.tableName('B')}`,
        `end ${h.tableName('B')}`,
      ])
    })

    test('a failure lets the step under way finish and starts nothing more', async () => {
      const h = harness(2)
      // A's first call (DescribeTable, its step has begun) is held until Missing's step has failed.
      const p = probe(h.client, 'DescribeTableCommand', 10_000, h.tableName('A'))
      const emit = h.deps.emit
      h.deps.emit = (e) => {
        emit(e)
        if (e.kind === 'step' && e.status === 'failed') {
          p.state.log.push(`failed ${e.table}`)
          p.release()
        }
      }
      const ops: Operation[] = [
        create('A'),
        { op: 'updateTtl', table: 'Missing', ttl: { AttributeName: 'exp', Enabled: true } },
        { op: 'updateTtl', table: 'A', ttl: { AttributeName: 'exp', Enabled: true } },
        create('C'),
      ]
      const err = (await execute(ops, h.deps).catch((e: unknown) => e)) as DdbmError
      expect(isDdbmError(err, 'MIGRATION_FAILED')).toBe(true)
      expect(err.message).toBe(
        `step 2/4 (enable TTL on ${h.tableName('Missing')} (attribute exp)) failed: table ${h.tableName('Missing')} does not exist`,
      )
      const results = err.details!.results as StepResult[]
      expect(results.map((r) => [r.index, r.table, r.status])).toStrictEqual([
        [0, h.tableName('A'), 'done'],
        [1, h.tableName('Missing'), 'failed'],
        [2, h.tableName('A'), 'not-run'],
        [3, h.tableName('C'), 'not-run'],
      ])
      expect(h.mutating).toStrictEqual([`CreateTableCommand ${h.tableName('A')}`])
      expect(p.state.log.slice(0, 3)).toStrictEqual([
        `start ${h.tableName('A')}`,
        `failed ${h.tableName('Missing')}`,
        `end ${h.tableName('A')}`,
      ])
    })
  })
}
