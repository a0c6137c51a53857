/**
 * `ddbm/vitest`: a vitest global setup that starts DynamoDB Local once, resets the project's tables for
 * the run (or lets each worker reset its own), hands the connection to the tests through vitest's
 * provide/inject, and stops the engine at teardown. Usage is in docs/testing.md.
 */
import type { ProvidedContext } from 'vitest'
import type { TestProject } from 'vitest/node'
import {
  startTestDatabase,
  testDatabase,
  type TestContext,
  type TestDatabase,
  type TestDatabaseOptions,
} from './test-database.js'

export type { TestContext, TestDatabase, TestDatabaseOptions } from './test-database.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test database of ddbm's global setup: `ddbmDatabase(inject('ddbm'))`. */
    ddbm: TestContext
  }
}

/**
 * A vitest global setup (the default export of a `globalSetup` file) with `opts`. It resets once for the
 * run, or, with `perWorker: true`, leaves each worker to reset its own tables from a setup file. The
 * project is looked up from `opts.cwd`, by default the vitest project's root. Returns the teardown, which
 * stops the engine it started.
 */
export function ddbmGlobalSetup(
  opts: TestDatabaseOptions = {},
): (project: TestProject) => Promise<() => Promise<void>> {
  return async (project) => {
    const database = await startTestDatabase({ cwd: project.config.root, ...opts })
    project.provide('ddbm', database.context)
    return () => database.stop()
  }
}

/**
 * Zero-config global setup, `globalSetup: ['ddbm/vitest']`: an in-memory DynamoDB Local, the project of
 * the vitest root in its default environment, reset once for the run.
 */
export default ddbmGlobalSetup()

/**
 * The tables of this test file's worker: `ddbmDatabase(inject('ddbm'))`. With `perWorker`, those under
 * `w<VITEST_POOL_ID>_` (vitest numbers its workers from 1 to maxWorkers, and a worker runs one test file
 * at a time); otherwise the run's. `processEnv` defaults to process.env.
 */
export function ddbmDatabase(
  context: ProvidedContext['ddbm'],
  processEnv: Record<string, string | undefined> = process.env,
): TestDatabase {
  return testDatabase(context, context.perWorker ? processEnv.VITEST_POOL_ID : undefined)
}
