import { ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, test } from 'vitest'
import {
  CONTEXT_VARIABLE,
  ddbmDatabase,
  ddbmGlobalSetup,
  ddbmGlobalTeardown,
} from '../../../src/testing/jest.js'
import type { TestContext } from '../../../src/testing/test-database.js'
import { isPortOpen } from '../../../src/local/free-port.js'
import { engineClient, engines } from '../../helpers/engines.js'
import { suffixedProject, tmpProject } from '../../helpers/temp-tree.js'
import { TEST_SUITE_FILES } from '../../fixtures/test-suite-project.js'

/** The `id`s of every item of `table` on `endpoint`, sorted. */
async function ids(endpoint: string, table: string): Promise<string[]> {
  const client = engineClient({ endpoint })
  try {
    const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true }))
    return (page.Items ?? []).map((i) => i.id?.S ?? '?').sort()
  } finally {
    client.destroy()
  }
}

async function tablesEndingWith(endpoint: string, suffix: string): Promise<string[]> {
  const client = engineClient({ endpoint })
  try {
    const page = await client.send(new ListTablesCommand({}))
    return (page.TableNames ?? []).filter((n) => n.endsWith(suffix)).sort()
  } finally {
    client.destroy()
  }
}

// Jest is not a dependency of ddbm: these tests call the globalSetup and globalTeardown functions the
// way Jest does, (globalConfig, projectConfig) in its main process, and read the context as a worker
// would, from the environment it inherits.
describe('ddbm/jest, called as Jest calls a globalSetup and globalTeardown', () => {
  test('zero options: starts an in-memory engine, resets the project of projectConfig.rootDir once, teardown stops it', async () => {
    const cwd = await tmpProject(TEST_SUITE_FILES)
    const env: Record<string, string | undefined> = {}
    await ddbmGlobalSetup({ processEnv: env })({ rootDir: '/nowhere' }, { rootDir: cwd })
    const context = JSON.parse(env[CONTEXT_VARIABLE] ?? '{}') as TestContext
    const port = Number(new URL(context.endpoint).port)
    try {
      expect({ ...context, endpoint: 'x' }).toStrictEqual({
        endpoint: 'x',
        env: 'local',
        root: cwd,
        configFile: `${cwd}/ddbm.config.json`,
        tablePrefix: '',
        perWorker: false,
        tables: { Customers: 'Customers-local' },
      })
      expect(context.endpoint).toBe(`http://127.0.0.1:${port}`)
      // A worker of the run: the run's tables, whatever its worker id.
      const database = ddbmDatabase({ ...env, JEST_WORKER_ID: '2' })
      expect(database.tableName('Customers')).toBe('Customers-local')
      expect(await ids(context.endpoint, 'Customers-local')).toStrictEqual(['c1', 'c2', 'c3'])
    } finally {
      await ddbmGlobalTeardown({ processEnv: env })()
    }
    expect([env, await isPortOpen(port)]).toStrictEqual([{}, false])
  })

  test('perWorker on a given endpoint: the setup resets nothing, each worker resets its own tables, teardown leaves the engine running', async () => {
    const engine = engines()[0]!
    const { cwd, suffix } = await suffixedProject(engine, TEST_SUITE_FILES)
    const env: Record<string, string | undefined> = {}
    const setup = ddbmGlobalSetup({
      processEnv: env,
      endpoint: engine.endpoint,
      perWorker: true,
      tablePrefix: 'ci_',
    })
    await setup({ rootDir: cwd })
    try {
      expect(await tablesEndingWith(engine.endpoint, suffix)).toStrictEqual([])
      const workers = ['1', '2'].map((id) => ddbmDatabase({ ...env, JEST_WORKER_ID: id }))
      const results = await Promise.all(workers.map((w) => w.reset()))
      expect(results.map((r) => r.seed.tables.map((t) => [t.physical, t.written]))).toStrictEqual([
        [[`ci_w1_Customers-${suffix}`, 3]],
        [[`ci_w2_Customers-${suffix}`, 3]],
      ])
      expect(await tablesEndingWith(engine.endpoint, suffix)).toStrictEqual([
        `ci_w1_Customers-${suffix}`,
        `ci_w1_ddbm_migrations-${suffix}`,
        `ci_w2_Customers-${suffix}`,
        `ci_w2_ddbm_migrations-${suffix}`,
      ])
      expect(await ids(engine.endpoint, workers[1]!.tableName('Customers'))).toStrictEqual([
        'c1',
        'c2',
        'c3',
      ])
    } finally {
      await ddbmGlobalTeardown({ processEnv: env })()
    }
    expect([env, await isPortOpen(Number(new URL(engine.endpoint).port))]).toStrictEqual([{}, true])
  })
})
