import { describe, expect, test } from 'vitest'
import { DdbmError } from '../../../src/errors.js'
import { CONTEXT_VARIABLE, ddbmDatabase as jestDatabase } from '../../../src/testing/jest.js'
import { testDatabase, type TestContext } from '../../../src/testing/test-database.js'
import { ddbmDatabase as vitestDatabase } from '../../../src/testing/vitest.js'

const CONTEXT: TestContext = {
  endpoint: 'http://127.0.0.1:41234',
  env: 'local',
  root: '/work/project',
  configFile: '/work/project/ddbm.config.json',
  tablePrefix: 'ci_',
  perWorker: true,
  tables: { Orders: 'Orders-local', Customers: 'Customers-local' },
  seed: 7,
}

/** What a worker's database resolves to, without its functions. */
function resolved(db: ReturnType<typeof testDatabase>) {
  return {
    tablePrefix: db.tablePrefix,
    orders: db.tableName('Orders'),
    customers: db.tableName('Customers'),
    options: db.options,
  }
}

function usage(fn: () => unknown): [string, number, string, string | undefined] {
  try {
    fn()
  } catch (err) {
    if (err instanceof DdbmError) return [err.code, err.exitCode, err.message, err.hint]
    throw err
  }
  throw new Error('expected a DdbmError')
}

describe('testDatabase: the tables of one test worker', () => {
  test('per worker: the run prefix, then w<id>_, before every table and in the session options', () => {
    expect(resolved(testDatabase(CONTEXT, '2'))).toStrictEqual({
      tablePrefix: 'ci_w2_',
      orders: 'ci_w2_Orders-local',
      customers: 'ci_w2_Customers-local',
      options: {
        cwd: '/work/project',
        config: '/work/project/ddbm.config.json',
        env: 'local',
        endpoint: 'http://127.0.0.1:41234',
        tablePrefix: 'ci_w2_',
      },
    })
  })

  test('for the run: every worker shares the run’s tables, the worker id is ignored', () => {
    const run = { ...CONTEXT, perWorker: false, tablePrefix: '' }
    expect(resolved(testDatabase(run, '2'))).toStrictEqual({
      tablePrefix: '',
      orders: 'Orders-local',
      customers: 'Customers-local',
      options: {
        cwd: '/work/project',
        config: '/work/project/ddbm.config.json',
        env: 'local',
        endpoint: 'http://127.0.0.1:41234',
      },
    })
  })

  test('per worker without a worker id is USAGE', () => {
    expect(usage(() => testDatabase(CONTEXT, undefined))).toStrictEqual([
      'USAGE',
      2,
      'No test worker id: per-worker tables need the id the test runner gives each worker',
      'Call it inside a test worker (vitest sets VITEST_POOL_ID, Jest JEST_WORKER_ID), or turn perWorker off.',
    ])
  })

  test('a table schemas/ does not have is USAGE naming the known ones', () => {
    expect(usage(() => testDatabase(CONTEXT, '1').tableName('Order'))).toStrictEqual([
      'USAGE',
      2,
      'No table "Order" in schemas/; known: Orders, Customers',
      'Use the logical name of a table of schemas/ (its TableName).',
    ])
  })
})

describe('the runners’ worker ids', () => {
  test('vitest: VITEST_POOL_ID', () => {
    const db = vitestDatabase(CONTEXT, { VITEST_POOL_ID: '3', VITEST_WORKER_ID: '17' })
    expect(db.tableName('Orders')).toBe('ci_w3_Orders-local')
  })

  test('Jest: JEST_WORKER_ID, and the context from DDBM_TEST_CONTEXT', () => {
    const env = { [CONTEXT_VARIABLE]: JSON.stringify(CONTEXT), JEST_WORKER_ID: '4' }
    expect(jestDatabase(env).tableName('Orders')).toBe('ci_w4_Orders-local')
  })

  test('Jest without the global setup is USAGE naming the setup module', () => {
    expect(usage(() => jestDatabase({ JEST_WORKER_ID: '1' }))).toStrictEqual([
      'USAGE',
      2,
      'No DDBM_TEST_CONTEXT: the ddbm global setup did not run',
      'Add globalSetup: "ddbm/jest/global-setup" to the Jest config (docs/testing.md).',
    ])
  })
})

describe('the zero-config modules', () => {
  // Jest requires a globalSetup / globalTeardown module to export a function (CommonJS, or the default
  // export of an ES module), called with (globalConfig, projectConfig); vitest takes the default export of
  // a globalSetup file, called with the test project.
  test('ddbm/jest/global-setup, ddbm/jest/global-teardown and ddbm/vitest default-export functions', async () => {
    const modules = await Promise.all([
      import('../../../src/testing/jest-global-setup.js'),
      import('../../../src/testing/jest-global-teardown.js'),
      import('../../../src/testing/vitest.js'),
    ])
    expect(modules.map((m) => [typeof m.default, m.default.length])).toStrictEqual([
      ['function', 2],
      ['function', 0],
      ['function', 1],
    ])
  })

  test('package.json exports them, and the library, as ES modules with types', async () => {
    const { readFile } = await import('node:fs/promises')
    const pkg = JSON.parse(
      await readFile(new URL('../../../package.json', import.meta.url), 'utf8'),
    )
    const entry = (file: string) => ({
      types: `./dist/${file}.d.ts`,
      import: `./dist/${file}.js`,
      default: `./dist/${file}.js`,
    })
    expect(pkg.exports).toStrictEqual({
      '.': entry('index'),
      './vitest': entry('testing/vitest'),
      './jest': entry('testing/jest'),
      './jest/global-setup': entry('testing/jest-global-setup'),
      './jest/global-teardown': entry('testing/jest-global-teardown'),
    })
  })
})
