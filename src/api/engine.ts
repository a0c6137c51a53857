import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silent, type Emit } from '../events.js'
import { startLocal as launchLocal, type LocalStorage } from '../local/dynamodb-local.js'

/** Options of {@link startLocal}. */
export type StartLocalOptions = {
  /** 'memory' (default): nothing outlives `stop()`; 'disk': data in the engine's own temp folder. */
  storage?: LocalStorage
  /** Loopback port; default 0, a free one. */
  port?: number
  /** JVM options placed before `-jar`; default `-Xmx1g`. */
  javaOptions?: string[]
  /** Give up waiting for the engine's first answer after this long; default 30 s. */
  readyTimeoutMs?: number
  /** Receives the engine's progress events (starting, ready, stopping, stopped); default: drop them. */
  emit?: Emit
}

/** A DynamoDB Local started by {@link startLocal}. */
export type LocalEngine = {
  /** `http://127.0.0.1:<port>`: pass it as `endpoint` to every other function of the API. */
  endpoint: string
  port: number
  /** Pid of the Java process. */
  pid: number
  storage: LocalStorage
  /** Stops the engine (SIGTERM, then SIGKILL) and removes its temp folder. Calling it again does nothing. */
  stop(): Promise<void>
}

/**
 * Starts a DynamoDB Local of its own for a test suite or a script: in memory by default, on a free
 * 127.0.0.1 port, with its state, log and (for 'disk') data in a new temp folder, independent of any
 * project's `.ddbm/` and of the engine `ddbm local start` runs. Needs Java 17+ (JAVA_MISSING otherwise);
 * throws LOCAL_START_FAILED when the engine does not come up. The engine is also killed when this process
 * exits, but `stop()` it when done.
 */
export async function startLocal(opts: StartLocalOptions = {}): Promise<LocalEngine> {
  const emit = opts.emit ?? silent
  const storage = opts.storage ?? 'memory'
  const dir = await mkdtemp(join(tmpdir(), 'ddbm-local-'))
  let started
  try {
    started = await launchLocal({
      dir,
      storage,
      owner: 'command',
      ...(opts.port === undefined ? {} : { port: opts.port }),
      ...(opts.javaOptions === undefined ? {} : { javaOptions: opts.javaOptions }),
      ...(opts.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: opts.readyTimeoutMs }),
      onProgress: (status, info) => {
        if (status === 'shared' || status === 'idle') return // nobody else uses this engine's folder, none idles
        const ms = info.ms === undefined ? {} : { ms: info.ms }
        emit({ kind: 'local', status, port: info.port, storage, ...ms })
      },
    })
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }
  const { endpoint, port, pid } = started
  let stopping: Promise<void> | undefined
  return {
    endpoint,
    port,
    pid,
    storage,
    stop: () =>
      (stopping ??= (async () => {
        emit({ kind: 'local', status: 'stopping', port })
        try {
          await started.stop()
        } finally {
          await rm(dir, { recursive: true, force: true })
        }
        emit({ kind: 'local', status: 'stopped', port })
      })()),
  }
}
