import { ScanCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, test } from 'vitest'
import { migrateStatus, withSession } from '../../src/api/index.js'
import { ddbm, type CliRun } from '../helpers/cli.js'
import { dropTables, engines } from '../helpers/engines.js'
import { migrationProject } from '../helpers/temp-tree.js'

const PROCESSES = 8
const ROUNDS = Number(process.env.DDBM_TEST_ROUNDS ?? 10)
const engine = engines()[0]!

/** One round: a fresh environment, PROCESSES `ddbm migrate up` at once. */
async function round(env: Record<string, string> = {}) {
  const { cwd, suffix, tableName } = await migrationProject({ leaseMs: 3_000 })
  const runs: CliRun[] = await Promise.all(
    Array.from({ length: PROCESSES }, () =>
      ddbm(['migrate', 'up', '--json', '--endpoint', engine.endpoint], { cwd, env }),
    ),
  )
  const opts = { cwd, endpoint: engine.endpoint, processEnv: {} }
  const status = await migrateStatus(opts)
  const markers = await withSession(
    opts,
    async (s) =>
      (
        await s.client.send(
          new ScanCommand({ TableName: tableName('Customers'), ConsistentRead: true }),
        )
      ).Items ?? [],
  )
  await dropTables(engine.endpoint, suffix)
  return { runs, status, markers: markers.length }
}

describe(`${PROCESSES} concurrent \`ddbm migrate up\` on a fresh environment`, () => {
  test(`${ROUNDS} rounds: every process exits 0, every migration applied and recorded exactly once`, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const { runs, status, markers } = await round()
      for (const run of runs) expect(run.code, run.stderr).toBe(0)
      const docs = runs.map((r) => JSON.parse(r.stdout))
      // Exactly one process applied each migration; the others found nothing to do.
      const applied = docs.flatMap((d) => d.result.migrations.map((m: { name: string }) => m.name))
      expect(applied.sort()).toStrictEqual(['0001_tables', '0002_indexes', '0003_marker'])
      expect(status.rows.map((r) => [r.name, r.state])).toStrictEqual([
        ['0001_tables', 'applied'],
        ['0002_indexes', 'applied'],
        ['0003_marker', 'applied'],
      ])
      expect(status.lock).toBeUndefined()
      // The .ts migration writes one marker per execution: it ran once.
      expect(markers).toBe(1)
    }
  }, 300_000)

  test('negative control: with the lock switched off, the same test detects double application', async () => {
    let doubled = 0
    for (let i = 0; i < 3 && doubled === 0; i++) {
      const { runs, markers } = await round({ DDBM_TEST_DISABLE_LOCK: '1' })
      const applied = runs
        .filter((r) => r.code === 0)
        .flatMap((r) => JSON.parse(r.stdout).result.migrations.map((m: { name: string }) => m.name))
      if (markers > 1 || applied.length > 3 || runs.some((r) => r.code !== 0)) doubled++
    }
    expect(doubled).toBeGreaterThan(0)
  }, 120_000)
})
