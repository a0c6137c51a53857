/**
 * `ddbm/jest`: Jest globalSetup / globalTeardown functions that start DynamoDB Local once, reset the
 * project's tables for the run (or let each worker reset its own) and stop the engine, and the helper the
 * tests use to reach their tables. Jest loads globalSetup in its main process: the engine's handle stays
 * on globalThis for the teardown, and the connection reaches the workers through an environment variable
 * that they inherit. Usage is in docs/testing.md.
 */
import { DdbmError } from '../errors.js'
import {
  startTestDatabase,
  testDatabase,
  type RunningTestDatabase,
  type TestContext,
  type TestDatabase,
  type TestDatabaseOptions,
} from './test-database.js'

export type { TestContext, TestDatabase, TestDatabaseOptions } from './test-database.js'

/** The environment variable that carries the {@link TestContext} (JSON) from globalSetup to the workers. */
export const CONTEXT_VARIABLE = 'DDBM_TEST_CONTEXT'

/** Where globalSetup leaves the running database for globalTeardown (both run in Jest's main process). */
const HANDLE = Symbol.for('ddbm.jest.database')

/** The environment a setup writes to and a teardown cleans; default process.env. */
type ProcessEnv = Record<string, string | undefined>

/** The part of Jest's globalConfig and projectConfig that is read: the root directory. */
type JestConfig = { rootDir?: string } | undefined

/**
 * A Jest globalSetup function with `opts` (`module.exports = ddbmGlobalSetup({...})`, or the default
 * export of an ESM setup file). Jest calls it with (globalConfig, projectConfig); the project is looked up
 * from `opts.cwd`, by default the project's rootDir. Writes the context to `processEnv[DDBM_TEST_CONTEXT]`
 * (process.env by default, which the workers inherit).
 */
export function ddbmGlobalSetup(
  opts: TestDatabaseOptions & { processEnv?: ProcessEnv } = {},
): (globalConfig?: JestConfig, projectConfig?: JestConfig) => Promise<void> {
  return async (globalConfig, projectConfig) => {
    const { processEnv = process.env, ...options } = opts
    const rootDir = projectConfig?.rootDir ?? globalConfig?.rootDir
    const database = await startTestDatabase({
      ...(rootDir === undefined ? {} : { cwd: rootDir }),
      ...options,
    })
    holder()[HANDLE] = database
    processEnv[CONTEXT_VARIABLE] = JSON.stringify(database.context)
  }
}

/**
 * A Jest globalTeardown function: stops the engine the global setup started and removes the context
 * variable. Does nothing when no setup ran.
 */
export function ddbmGlobalTeardown(
  opts: { processEnv?: ProcessEnv } = {},
): (globalConfig?: JestConfig, projectConfig?: JestConfig) => Promise<void> {
  return async () => {
    const database = holder()[HANDLE]
    delete holder()[HANDLE]
    delete (opts.processEnv ?? process.env)[CONTEXT_VARIABLE]
    await database?.stop()
  }
}

/**
 * The tables of this test file's worker. With `perWorker`, those under `w<JEST_WORKER_ID>_` (Jest numbers
 * its workers from 1; `--runInBand` is worker 1); otherwise the run's. USAGE when the global setup did
 * not run in this Jest process.
 */
export function ddbmDatabase(processEnv: ProcessEnv = process.env): TestDatabase {
  const text = processEnv[CONTEXT_VARIABLE]
  if (text === undefined) {
    throw new DdbmError(
      'USAGE',
      `No ${CONTEXT_VARIABLE}: the ddbm global setup did not run`,
      { name: CONTEXT_VARIABLE },
      { hint: 'Add globalSetup: "ddbm/jest/global-setup" to the Jest config (docs/testing.md).' },
    )
  }
  const context = JSON.parse(text) as TestContext
  return testDatabase(context, context.perWorker ? processEnv.JEST_WORKER_ID : undefined)
}

function holder(): { [HANDLE]?: RunningTestDatabase } {
  return globalThis as { [HANDLE]?: RunningTestDatabase }
}
