import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { EMBEDDED } from '../config/config-file.js'
import { durationMs } from '../config/duration.js'
import { loadProject, resolveEnv, type Project, type ResolvedEnv } from '../config/load-config.js'
import { physicalName } from '../config/table-names.js'
import { DdbmError } from '../errors.js'
import { silent, type Emit } from '../events.js'
import { interruptedError } from '../interrupt.js'
import { startLocal } from '../local/dynamodb-local.js'

/** Where to find the project: the working directory and an explicit config file. */
export type ProjectOptions = { cwd?: string; config?: string }

/** Everything that selects and reaches an environment (the global CLI options, as a library takes them). */
export type SessionOptions = ProjectOptions & {
  env?: string
  endpoint?: string
  region?: string
  profile?: string
  /**
   * Put before every table name of the environment, the meta table's included, e.g. `w3_` for test worker 3:
   * sessions with different prefixes on one engine never see each other's tables. Default none.
   */
  tablePrefix?: string
  /** Receives progress and log events; default: drop them. */
  emit?: Emit
  /** Defaults to process.env; tests pass their own. */
  processEnv?: Record<string, string | undefined>
  /** Called with the client before first use: add SDK middleware (metrics, tracing, call counting). */
  instrument?: (client: DynamoDBClient) => void
  /**
   * Stops the command at a safe point when aborted (the CLI aborts it on SIGINT and SIGTERM): no new step,
   * migration or batch starts, long waits are abandoned, the lock is released, an engine the session
   * started is stopped, and the command throws DdbmError INTERRUPTED saying what was done and what was
   * not. Calls already sent are never cut off. Default: never aborted.
   */
  signal?: AbortSignal
  /**
   * An embedded engine this session starts is left running after `close()` for the next command, and
   * stopped once unused for the config's `local.idleTimeout`; never under CI=true (`processEnv`).
   * Default false: it is stopped in `close()`. The CLI sets it.
   */
  leaveEngineRunning?: boolean
}

/** An open connection to one environment. Always `close()` it (in `finally`). */
export type Session = {
  project: Project
  env: ResolvedEnv
  /** The URL actually used (the embedded engine's loopback URL when endpoint is "embedded"). */
  endpoint: string | undefined
  client: DynamoDBClient
  emit: Emit
  /** The session's `signal` option: commands stop at a safe point when it aborts. */
  signal?: AbortSignal
  /** Physical name of a logical table in this environment. */
  tableName(logical: string): string
  close(): Promise<void>
}

/**
 * Loads the config, resolves the environment and creates the client. For an "embedded" environment it reuses
 * the DynamoDB Local that `ddbm local start` or a command left running, or starts one for the length of this
 * session and stops it in `close()` (or, with `leaveEngineRunning`, leaves it running until idle).
 */
export async function openSession(opts: SessionOptions = {}): Promise<Session> {
  const emit = opts.emit ?? silent
  const processEnv = opts.processEnv ?? process.env
  const project = await loadProject(opts.cwd ?? process.cwd(), opts.config)
  const env = resolveEnv(project.config, opts, processEnv)
  // The AWS SDK loads while an embedded engine starts (importing ddbm does not load it).
  const sdk = import('../dynamo/client.js')
  sdk.catch(() => {}) // an error is thrown where it is awaited, below
  let endpoint = env.endpoint
  let stopEngine: (() => Promise<void>) | undefined
  if (endpoint === EMBEDDED) {
    // Reuses the engine `ddbm local start` or another command left running (then this process is recorded
    // as its user until close), or starts one for this session.
    const idleMs =
      opts.leaveEngineRunning === true && processEnv.CI !== 'true'
        ? durationMs(env.local.idleTimeout)
        : 0
    const started = await startLocal({
      dir: project.stateDir,
      port: env.local.port,
      storage: env.local.storage,
      javaOptions: env.local.javaOptions,
      owner: 'command',
      idleTimeoutMs: idleMs,
      onProgress: (status, info) =>
        emit(
          status === 'shared'
            ? {
                kind: 'log',
                level: 'info',
                message: `waiting for ddbm pid ${info.pids?.join(', ')} to finish with DynamoDB Local before stopping it`,
              }
            : {
                kind: 'local',
                status,
                port: info.port,
                ...(info.ms === undefined ? {} : { ms: info.ms }),
                ...(info.idleMs === undefined ? {} : { idleMs: info.idleMs }),
              },
        ),
    })
    if (started.reused) {
      emit({ kind: 'local', status: 'reused', port: started.port, storage: started.storage })
    }
    endpoint = started.endpoint
    stopEngine = started.reused
      ? () => started.stop()
      : async () => {
          // Left running instead (the 'idle' event) unless the hand-over fails, or the command was
          // interrupted: then the engine it started is stopped.
          const now = opts.signal?.aborted === true
          if (idleMs === 0 || now) emit({ kind: 'local', status: 'stopping' })
          await started.stop({ now })
          if (idleMs === 0 || now) emit({ kind: 'local', status: 'stopped' })
        }
  }
  if (opts.signal?.aborted === true) {
    await stopEngine?.()
    throw interruptedError(opts.signal, 'before the command started: nothing was changed')
  }
  const { createClient } = await sdk
  const client = createClient({ region: env.region, endpoint, profile: env.profile, processEnv })
  opts.instrument?.(client)
  try {
    await client.config.region()
  } catch (err) {
    client.destroy()
    await stopEngine?.()
    throw new DdbmError(
      'CONFIG_INVALID',
      `No AWS region for environment "${env.name}"`,
      { env: env.name },
      {
        cause: err,
        hint: `Set "region" for "${env.name}" in ddbm.config.json, or AWS_REGION, or pass --region.`,
      },
    )
  }
  return {
    project,
    env,
    endpoint,
    client,
    emit,
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    tableName: (logical) => physicalName(logical, env.name, env.tableNameTemplate),
    async close() {
      client.destroy()
      await stopEngine?.()
    },
  }
}

/** Runs `fn` with an open session and closes it afterwards, whatever happens. */
export async function withSession<T>(
  opts: SessionOptions,
  fn: (session: Session) => Promise<T>,
): Promise<T> {
  const session = await openSession(opts)
  try {
    return await fn(session)
  } finally {
    await session.close()
  }
}
