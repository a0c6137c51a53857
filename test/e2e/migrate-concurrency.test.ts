import { fileURLToPath } from 'node:url'
import { ScanCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, test } from 'vitest'
import { migrateStatus, withSession } from '../../src/api/index.js'
import { ddbm, node, type CliRun } from '../helpers/cli.js'
import { dropTables, engines } from '../helpers/engines.js'
import { migrationProject } from '../helpers/temp-tree.js'

const PROCESSES = 8
const ROUNDS = Number(process.env.DDBM_TEST_ROUNDS ?? 10)
const engine = engines()[0]!

/** How one process runs `migrate up` in project `cwd` whose meta table is `metaTable`. */
type Up = (cwd: string, metaTable: string) => Promise<CliRun>

/** The CLI, as users run it. */
const cliUp: Up = (cwd) => ddbm(['migrate', 'up', '--json', '--endpoint', engine.endpoint], { cwd })

const built = (path: string) =>
  JSON.stringify(fileURLToPath(new URL(`../../dist/${path}`, import.meta.url)))

/**
 * The built library's migrateUp with a meta store whose lock excludes nobody: a wrapper around the real
 * DynamoDB store whose acquireLock returns at once a lease that is never lost, and whose record writes are
 * unfenced. Prints the CLI's `--json` document.
 */
const unlockedUp: Up = (cwd, metaTable) => {
  const script = `import { dynamoMetaStore, migrateUp } from ${built('index.js')}
import { createClient } from ${built('dynamo/client.js')}
import { deleteRecord, putRecord } from ${built('engine/meta/records.js')}
const cwd = ${JSON.stringify(cwd)}
const endpoint = ${JSON.stringify(engine.endpoint)}
const table = ${JSON.stringify(metaTable)}
const client = createClient({ region: 'us-east-1', endpoint, profile: undefined, processEnv: {} })
const real = dynamoMetaStore({ client, table })
const metaStore = {
  ...real,
  acquireLock: async ({ holder, leaseMs = 20000 }) => ({
    owner: 'nobody', holder, leaseMs, lost: false, assertHeld() {}, release: async () => {},
  }),
  putRecord: (record) => putRecord(client, table, record, undefined),
  deleteRecord: (name) => deleteRecord(client, table, name, undefined),
}
try {
  const result = await migrateUp({ cwd, endpoint, processEnv: {}, metaStore })
  console.log(JSON.stringify({ ok: true, command: 'migrate up', result }))
} catch (err) {
  console.log(JSON.stringify({ ok: false, command: 'migrate up', error: { code: err.code, message: err.message } }))
  process.exitCode = 1
} finally {
  client.destroy()
}`
  return node(['--input-type=module', '-e', script], { cwd })
}

/** One round: a fresh environment, PROCESSES `migrate up` at once. */
async function round(up: Up) {
  const { cwd, suffix, tableName } = await migrationProject({ leaseMs: 3_000 })
  const runs: CliRun[] = await Promise.all(
    Array.from({ length: PROCESSES }, () => up(cwd, tableName('ddbm_migrations'))),
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
      const { runs, status, markers } = await round(cliUp)
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

  test('negative control: with a lock that excludes nobody, the same test detects double application', async () => {
    let doubled = 0
    for (let i = 0; i < 3 && doubled === 0; i++) {
      const { runs, markers } = await round(unlockedUp)
      // Every process ran migrate up to its end (a broken script must not pass for a detection).
      const docs = runs.map((r) => JSON.parse(r.stdout))
      expect(docs.map((d, j) => [d.ok, runs[j]?.code === 0])).toStrictEqual(
        docs.map((d) => [d.ok, d.ok]),
      )
      for (const d of docs) if (!d.ok) expect(d.error.code, d.error.message).toMatch(/^[A-Z_]+$/)
      const applied = docs
        .filter((d) => d.ok)
        .flatMap((d) => d.result.migrations.map((m: { name: string }) => m.name))
      if (markers > 1 || applied.length > 3 || docs.some((d) => !d.ok)) doubled++
    }
    expect(doubled).toBeGreaterThan(0)
  }, 120_000)
})
