import { spawn } from 'node:child_process'
import { DescribeTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb'
import { describe, expect, onTestFinished, test } from 'vitest'
import { migrateStatus, withSession } from '../../src/api/index.js'
import { readRecords } from '../../src/engine/meta/records.js'
import { CLI, ddbm } from '../helpers/cli.js'
import { dropTables, engines } from '../helpers/engines.js'
import { migrationProject } from '../helpers/temp-tree.js'

const engine = engines()[0]!

/** Runs `ddbm migrate up --verbose` and SIGKILLs it at the `nth` stderr line matching `at`. */
function upKilledAt(
  cwd: string,
  at: RegExp,
  nth: number,
): Promise<{ killed: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CLI, 'migrate', 'up', '--verbose', '--endpoint', engine.endpoint],
      { cwd, stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let stderr = ''
    let seen = 0
    let killed = false
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      const lines = stderr.split('\n').filter((l) => at.test(l)).length
      if (!killed && lines > seen && (seen = lines) >= nth) {
        killed = child.kill('SIGKILL')
      }
    })
    child.on('error', reject)
    child.on('close', () => resolve({ killed, stderr }))
  })
}

type Snapshot = { orders?: TableDescription; customers?: TableDescription }

async function snapshot(cwd: string, tableName: (l: string) => string): Promise<Snapshot> {
  return withSession({ cwd, endpoint: engine.endpoint, processEnv: {} }, async (s) => {
    const get = async (name: string) =>
      (await s.client.send(new DescribeTableCommand({ TableName: name })).catch(() => undefined))
        ?.Table
    return { orders: await get(tableName('Orders')), customers: await get(tableName('Customers')) }
  })
}

/** What a migration's record promises must be live: nothing is recorded without its effect. */
function assertRecordedEffects(applied: Set<string>, live: Snapshot): void {
  if (applied.has('0001_tables')) {
    expect(live.orders?.TableStatus).toBe('ACTIVE')
    expect(live.customers?.TableStatus).toBe('ACTIVE')
  }
  if (applied.has('0002_indexes')) {
    const gsis = (live.orders?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName).sort()
    expect(gsis).toStrictEqual(['byCustomer', 'byDate', 'byStatus'])
    expect(live.customers?.ProvisionedThroughput?.ReadCapacityUnits).toBe(5)
  }
}

/** The parts of a description that a converged run must reproduce. */
function shape(live: Snapshot) {
  const table = (t?: TableDescription) => ({
    keys: t?.KeySchema,
    attributes: [...(t?.AttributeDefinitions ?? [])].sort((a, b) =>
      String(a.AttributeName).localeCompare(String(b.AttributeName)),
    ),
    gsis: (t?.GlobalSecondaryIndexes ?? [])
      .map((g) => ({
        name: g.IndexName,
        keys: g.KeySchema,
        projection: g.Projection,
        status: g.IndexStatus,
      }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name))),
    rcu: t?.ProvisionedThroughput?.ReadCapacityUnits,
  })
  return { orders: table(live.orders), customers: table(live.customers) }
}

const KILL_POINTS: [string, RegExp, number][] = [
  ['the first CreateTable sent', /^\s+sent\s/, 1],
  ['the third call sent', /^\s+sent\s/, 3],
  ['0002 started (its record says running)', /^applying 0002_indexes/, 1],
  ['the first GSI building', /^\s+waiting\s+createGsi/, 1],
  ['the fifth call sent', /^\s+sent\s/, 5],
  ['0002 recorded as applied', /^applied 0002_indexes/, 1],
]

describe('crash and resume: SIGKILL during a multi-step migration', () => {
  test.each(KILL_POINTS)(
    'killed at %s: nothing recorded without its effect, and the next run converges',
    async (_label, at, nth) => {
      const reference = await migrationProject()
      expect(
        (await ddbm(['migrate', 'up', '--endpoint', engine.endpoint], { cwd: reference.cwd })).code,
      ).toBe(0)
      const expected = shape(await snapshot(reference.cwd, reference.tableName))

      await dropTables(engine.endpoint, reference.suffix)
      const { cwd, suffix, tableName } = await migrationProject({ leaseMs: 1_500 })
      onTestFinished(() => dropTables(engine.endpoint, suffix))
      const crash = await upKilledAt(cwd, at, nth)
      expect(crash.killed, crash.stderr).toBe(true)

      const metaTable = tableName('ddbm_migrations')
      const recorded = await withSession({ cwd, endpoint: engine.endpoint, processEnv: {} }, (s) =>
        readRecords(s.client, metaTable).catch(() => []),
      )
      const applied = new Set(recorded.filter((r) => r.status === 'applied').map((r) => r.name))
      assertRecordedEffects(applied, await snapshot(cwd, tableName))

      const resume = await ddbm(['migrate', 'up', '--json', '--endpoint', engine.endpoint], { cwd })
      expect(resume.code, resume.stderr).toBe(0)
      const status = await migrateStatus({ cwd, endpoint: engine.endpoint, processEnv: {} })
      expect(status.rows.map((r) => `${r.name} ${r.state}`)).toStrictEqual([
        '0001_tables applied',
        '0002_indexes applied',
        '0003_marker applied',
      ])
      const records = await withSession({ cwd, endpoint: engine.endpoint, processEnv: {} }, (s) =>
        readRecords(s.client, metaTable),
      )
      expect(records.map((r) => r.name)).toStrictEqual([
        '0001_tables',
        '0002_indexes',
        '0003_marker',
      ])
      expect(shape(await snapshot(cwd, tableName))).toStrictEqual(expected)
    },
    60_000,
  )
})
