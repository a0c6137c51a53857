/**
 * The part of the test-runner integrations that knows no runner: start an engine and reset a project's
 * tables once for a run, and give each test worker its tables (under its own prefix when asked).
 */
import {
  reset,
  startLocal,
  tableNames,
  type ResetResult,
  type SessionOptions,
  type StartLocalOptions,
} from '../api/index.js'
import { DdbmError } from '../errors.js'
import { silent, type Emit } from '../events.js'

/** Options of a test run's database; the defaults fit a project whose config is in the runner's root. */
export type TestDatabaseOptions = {
  /** Where to look for ddbm.config.json; default the test runner's root directory. */
  cwd?: string
  /** An explicit config file, relative to `cwd`. */
  config?: string
  /** The environment whose config (table name template, seeds' allow-lists) is used; default the config's. */
  env?: string
  /**
   * An engine that is already running (a DynamoDB Local service container in CI, say): used instead of
   * starting one. Its tables of the project are deleted and recreated by the resets.
   */
  endpoint?: string
  /** The DynamoDB Local started when no `endpoint` is given: in memory on a free port by default. */
  local?: Omit<StartLocalOptions, 'emit'>
  /** Put before every table name of the run (workers add theirs after it); default none. */
  tablePrefix?: string
  /**
   * false (default): one set of tables for the whole run, reset once by the global setup. true: every
   * worker gets its own tables under the prefix `w<worker id>_`, reset by the worker itself
   * (`database.reset()` in a setup file); the global setup resets nothing.
   */
  perWorker?: boolean
  /** false: reset nothing in the global setup (the tables are left as the engine has them). Default true. */
  reset?: boolean
  /** The seed number of the resets (same number, same items); default 1. */
  seed?: number
  /** Items per generated seed, instead of each seed's count for the environment. */
  count?: number
  /** Receives the engine's and the reset's progress events; default: drop them. */
  emit?: Emit
}

/**
 * What the global setup hands to the workers (plain JSON: it crosses into worker processes through
 * vitest's `provide` or an environment variable under Jest).
 */
export type TestContext = {
  /** The engine's URL, e.g. `http://127.0.0.1:41234`. */
  endpoint: string
  /** The environment, resolved. */
  env: string
  /** Absolute project root and config file. */
  root: string
  configFile: string
  /** The run's prefix ('' for none); a worker's tables add `w<id>_` after it when `perWorker`. */
  tablePrefix: string
  perWorker: boolean
  /** Physical name of every table of schemas/ without any prefix, by logical name. */
  tables: Record<string, string>
  seed?: number
  count?: number
}

/** The tables one worker (or the whole run) uses, and what it needs to reach and reset them. */
export type TestDatabase = {
  endpoint: string
  env: string
  /** The prefix of these tables: the run's, plus `w<id>_` per worker. */
  tablePrefix: string
  /** Physical name of a table of schemas/ in these tables; USAGE for a name schemas/ does not have. */
  tableName(logical: string): string
  /**
   * Session options that reach these tables, for every function of the API:
   * `seed({ ...database.options, table: 'Orders' })`, `verify(database.options)`.
   */
  options: SessionOptions
  /** Deletes these tables (and their meta table), migrates up, seeds and verifies: `ddbm db reset`. */
  reset(opts?: { emit?: Emit }): Promise<ResetResult>
}

/** A test run's database, started by {@link startTestDatabase}. */
export type RunningTestDatabase = {
  context: TestContext
  /** Stops the engine this run started (nothing for an `endpoint` given in the options). */
  stop(): Promise<void>
}

/**
 * Starts DynamoDB Local (unless `opts.endpoint` is given) and, unless `perWorker` or `reset: false`,
 * resets the project's tables on it once. The config and schemas/ are read first, so a broken project
 * fails before Java starts; an engine started here is stopped again when the reset fails.
 */
export async function startTestDatabase(
  opts: TestDatabaseOptions = {},
): Promise<RunningTestDatabase> {
  const emit = opts.emit ?? silent
  const names = await tableNames({
    ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
    ...(opts.config === undefined ? {} : { config: opts.config }),
    ...(opts.env === undefined ? {} : { env: opts.env }),
  })
  const engine = opts.endpoint === undefined ? await startLocal({ ...opts.local, emit }) : undefined
  try {
    const context: TestContext = {
      endpoint: engine?.endpoint ?? opts.endpoint ?? '',
      env: names.env,
      root: names.root,
      configFile: names.configFile,
      tablePrefix: opts.tablePrefix ?? '',
      perWorker: opts.perWorker ?? false,
      tables: names.tables,
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      ...(opts.count === undefined ? {} : { count: opts.count }),
    }
    if (!context.perWorker && opts.reset !== false) await testDatabase(context).reset({ emit })
    return { context, stop: async () => engine?.stop() }
  } catch (err) {
    await engine?.stop()
    throw err
  }
}

/**
 * The tables of `context` for one worker: with `perWorker`, those under `<run prefix>w<workerId>_`
 * (USAGE when `workerId` is missing); otherwise the run's, shared by every worker.
 */
export function testDatabase(context: TestContext, workerId?: string): TestDatabase {
  let tablePrefix = context.tablePrefix
  if (context.perWorker) {
    if (workerId === undefined || workerId === '') {
      throw new DdbmError(
        'USAGE',
        'No test worker id: per-worker tables need the id the test runner gives each worker',
        { name: 'workerId' },
        {
          hint: 'Call it inside a test worker (vitest sets VITEST_POOL_ID, Jest JEST_WORKER_ID), or turn perWorker off.',
        },
      )
    }
    tablePrefix += `w${workerId}_`
  }
  const options: SessionOptions = {
    cwd: context.root,
    config: context.configFile,
    env: context.env,
    endpoint: context.endpoint,
    ...(tablePrefix === '' ? {} : { tablePrefix }),
  }
  return {
    endpoint: context.endpoint,
    env: context.env,
    tablePrefix,
    tableName(logical) {
      const physical = context.tables[logical]
      if (physical === undefined) {
        const known = Object.keys(context.tables)
        throw new DdbmError(
          'USAGE',
          `No table "${logical}" in schemas/; known: ${known.join(', ')}`,
          { table: logical, known },
          { hint: 'Use the logical name of a table of schemas/ (its TableName).' },
        )
      }
      return tablePrefix + physical
    },
    options,
    reset: (opts = {}) =>
      reset({
        ...options,
        ...(context.seed === undefined ? {} : { seed: context.seed }),
        ...(context.count === undefined ? {} : { count: context.count }),
        ...(opts.emit === undefined ? {} : { emit: opts.emit }),
      }),
  }
}
