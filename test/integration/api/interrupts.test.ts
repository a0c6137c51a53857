import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { afterAll, describe, expect, onTestFinished, test } from 'vitest'
import { migrateUp, reset } from '../../../src/api/index.js'
import { readLock } from '../../../src/engine/meta/lock.js'
import { readRecords } from '../../../src/engine/meta/records.js'
import { DdbmError } from '../../../src/errors.js'
import type { Event } from '../../../src/events.js'
import { interruption } from '../../../src/interrupt.js'
import { CUSTOMERS, ORDERS } from '../../fixtures/tables.js'
import { holdCreatingOnce } from '../../helpers/hold-creating.js'
import { dropTables, engineClient, engines } from '../../helpers/engines.js'
import { migrationProject, suffixedProject } from '../../helpers/temp-tree.js'

// DynamoDB Local: a new GSI goes through CREATING, so the migration waits on it.
const engine = engines()[0]!

/** An emitter that aborts `controller` (SIGINT) at the first event for which `when` holds. */
function abortAt(controller: AbortController, events: Event[], when: (e: Event) => boolean) {
  return (e: Event) => {
    events.push(e)
    if (!controller.signal.aborted && when(e)) controller.abort(interruption('SIGINT'))
  }
}

describe(`${engine.name}: the api under an aborted signal`, () => {
  const client = engineClient(engine)
  afterAll(() => client.destroy())

  test('migrateUp during a GSI build: the migration is recorded interrupted, the lock released; the next run converges', async () => {
    // The interrupted run releases its lock: a long lease costs no wait, and a late heartbeat on a
    // loaded machine cannot lose it (a 2 s lease was lost once in a CI preflight).
    const { cwd, suffix, tableName } = await migrationProject({ leaseMs: 10_000 })
    onTestFinished(() => dropTables(engine.endpoint, suffix))
    const controller = new AbortController()
    const events: Event[] = []
    const err = await migrateUp({
      cwd,
      endpoint: engine.endpoint,
      processEnv: {},
      signal: controller.signal,
      instrument: (c) => holdCreatingOnce(c, 'byStatus'),
      emit: abortAt(
        controller,
        events,
        (e) => e.kind === 'step' && e.op === 'createGsi' && e.status === 'waiting',
      ),
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DdbmError)
    const orders = tableName('Orders')
    const stopped = `during step 1/3 (create GSI byStatus on ${orders} (status HASH, SK RANGE; KEYS_ONLY)): its wait was abandoned, and DynamoDB goes on with what was sent`
    const e = err as DdbmError
    expect([e.code, e.exitCode, e.message]).toStrictEqual([
      'INTERRUPTED',
      130,
      `Interrupted (SIGINT) during migrate up: applied 0001_tables; 0002_indexes stopped ${stopped}, recorded as interrupted; not started: 0003_marker`,
    ])
    expect(e.details).toStrictEqual({
      signal: 'SIGINT',
      direction: 'up',
      applied: ['0001_tables'],
      interrupted: '0002_indexes',
      notStarted: ['0003_marker'],
      results: [
        expect.objectContaining({ op: 'createGsi', table: orders, status: 'interrupted' }),
        expect.objectContaining({ op: 'createGsi', table: orders, status: 'not-run' }),
        // Another table's chain: it was not started either, or finished its one step.
        expect.objectContaining({ op: 'updateBilling', table: tableName('Customers') }),
      ],
    })
    const metaTable = tableName('ddbm_migrations')
    expect(await readLock(client, metaTable)).toBeUndefined()
    const records = await readRecords(client, metaTable)
    expect(records.map((r) => [r.name, r.status, r.error])).toStrictEqual([
      ['0001_tables', 'applied', undefined],
      ['0002_indexes', 'interrupted', `Interrupted (SIGINT) ${stopped}`],
    ])

    const next = await migrateUp({ cwd, endpoint: engine.endpoint, processEnv: {} })
    expect(next.status.map((r) => `${r.name} ${r.state}`)).toStrictEqual([
      '0001_tables applied',
      '0002_indexes applied',
      '0003_marker applied',
    ])
    const live = await client.send(new DescribeTableCommand({ TableName: orders }))
    expect(
      (live.Table?.GlobalSecondaryIndexes ?? [])
        .map((g) => `${g.IndexName} ${g.IndexStatus}`)
        .sort(),
    ).toStrictEqual(['byCustomer ACTIVE', 'byDate ACTIVE', 'byStatus ACTIVE'])
  }, 60_000)

  test('db reset while seeding: the table under way is finished, the next is not started, and the error says where reset stopped', async () => {
    const { cwd, suffix } = await suffixedProject(engine, {
      'schemas/Orders.json': ORDERS,
      'schemas/Customers.json': CUSTOMERS,
      'migrations/0001_tables.json': {
        version: 1,
        up: [
          { op: 'createTable', table: 'Orders', definition: ORDERS },
          { op: 'createTable', table: 'Customers', definition: CUSTOMERS },
        ],
        down: [
          { op: 'deleteTable', table: 'Customers' },
          { op: 'deleteTable', table: 'Orders' },
        ],
      },
      'seeds/Orders.seed.ts': `export default {
  table: 'Orders',
  count: 12,
  generate: (ctx) => ({ PK: 'order#' + ctx.i, SK: 'v1' }),
}
`,
      'seeds/Customers.seed.ts': `export default {
  table: 'Customers',
  count: 4,
  generate: ({ i }) => ({ id: 'c' + i }),
}
`,
    })
    await writeFile(
      join(cwd, 'ddbm.config.json'),
      JSON.stringify({
        version: 1,
        defaultEnv: 't',
        environments: { t: { tableNameTemplate: `{table}-${suffix}` } },
      }),
    )
    const controller = new AbortController()
    const events: Event[] = []
    const err = await reset({
      cwd,
      endpoint: engine.endpoint,
      processEnv: {},
      signal: controller.signal,
      emit: abortAt(controller, events, (e) => e.kind === 'seed' && e.status === 'done'),
    }).catch((e: unknown) => e)
    const seeded = events.flatMap((e) => (e.kind === 'seed' && e.status === 'done' ? [e] : []))
    expect(seeded).toHaveLength(1)
    const first = seeded[0]?.table ?? ''
    const second = [`Orders-${suffix}`, `Customers-${suffix}`].find((t) => t !== first)
    expect(err).toBeInstanceOf(DdbmError)
    const e = err as DdbmError
    expect([e.code, e.message, e.hint]).toStrictEqual([
      'INTERRUPTED',
      `Interrupted (SIGINT) while seeding: written in full: ${first}; nothing else written; not started: ${second} (db reset stopped after migrating up)`,
      'Re-run `ddbm db reset`: it deletes what this run created and builds the environment again.',
    ])
    expect(e.details).toStrictEqual({
      signal: 'SIGINT',
      phase: 'after migrating up',
      results: [expect.objectContaining({ physical: first })],
      notStarted: [second],
    })
    expect(events.some((ev) => ev.kind === 'check')).toBe(false)
  }, 60_000)
})
