/**
 * An embedded engine left running between commands: the command that started it hands it over, when it
 * ends, to a small detached watcher process (idle-watcher.ts), recorded in `<dir>/local.json` as its
 * owner ('idle'). The watcher stops the engine once no command has used it for the idle timeout, and
 * goes away itself when someone else stops the engine (`ddbm local stop`) or keeps it (`ddbm local
 * start`). Commands that reuse it register as users (local-users.ts), so it is never stopped under them.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LocalInstance } from './local-state.js'
import { sleep } from './free-port.js'
import { liveUsers, usersChangedAt } from './local-users.js'
import {
  engineAlive,
  isAlive,
  readState,
  removeState,
  replaceState,
  sameInstance,
  terminate,
} from './local-state.js'

/** Written by a watcher while it stops its engine (holding its pid): a command must not start using it. */
const STOPPING_FILE = 'local.stopping'

/** The watcher's entry, compiled beside this module. */
const WATCHER = fileURLToPath(new URL('./idle-watcher.js', import.meta.url))

/**
 * Hands `instance`, which this process started and no longer uses, to a new detached watcher that stops
 * it after `idleMs` without users: the record becomes owner 'idle' with the watcher's pid. False when
 * that cannot be done (no compiled watcher beside this module, the record changed), and then the
 * caller stops the engine itself.
 */
export async function handOver(
  dir: string,
  instance: LocalInstance,
  idleMs: number,
): Promise<boolean> {
  if (!existsSync(WATCHER)) return false
  const args = [WATCHER, dir, String(instance.pid), instance.startedAt, String(idleMs)]
  const watcher = spawn(process.execPath, [...args, String(process.pid)], {
    detached: true,
    stdio: 'ignore',
    windowsHide: true,
  })
  watcher.unref()
  if (watcher.pid === undefined) return false
  const idle: LocalInstance = {
    ...instance,
    owner: 'idle',
    ownerPid: watcher.pid,
    idleTimeoutMs: idleMs,
  }
  if (await replaceState(dir, idle)) return true
  watcher.kill()
  return false
}

/**
 * Keeps an idle engine for good (`ddbm local start`): the record becomes owner 'user', and its watcher
 * goes away. Undefined when its watcher is stopping it (start a new one once it is gone).
 */
export async function keepIdle(
  dir: string,
  instance: LocalInstance,
): Promise<LocalInstance | undefined> {
  if (await isStopping(dir)) return undefined
  const { ownerPid: _watcher, idleTimeoutMs: _idle, ...rest } = instance
  const kept: LocalInstance = { ...rest, owner: 'user' }
  return (await replaceState(dir, kept)) ? kept : undefined
}

/** True while a live watcher stops the engine of `dir` (a stale marker is removed). */
export async function isStopping(dir: string): Promise<boolean> {
  let pid: number
  try {
    pid = Number(await readFile(join(dir, STOPPING_FILE), 'utf8'))
  } catch {
    return false
  }
  if (Number.isInteger(pid) && isAlive(pid)) return true
  await rm(join(dir, STOPPING_FILE), { force: true })
  return false
}

/** What identifies the engine a watcher watches, and the command that hands it over. */
export type WatchTarget = {
  dir: string
  pid: number
  startedAt: string
  idleMs: number
  /** The process handing the engine over; until it has, the record names it as owner 'command'. */
  fromPid: number
  /** Poll interval; default a quarter of `idleMs`, between 50 ms and 1 s. */
  pollMs?: number
}

/**
 * The watcher's loop: returns once the engine is stopped (after `idleMs` without users: no live user
 * recorded, and none come or gone since) or is no longer its to watch. Should the command handing it
 * over die first, the engine is stopped too: nothing is left running without someone to stop it.
 */
export async function watchIdle(target: WatchTarget): Promise<void> {
  const { dir, idleMs } = target
  const pollMs = target.pollMs ?? Math.min(1_000, Math.max(50, Math.floor(idleMs / 4)))
  let lastActive = Date.now()
  for (;;) {
    await sleep(pollMs)
    const state = await readState(dir)
    if (state === undefined || !sameInstance(state, target)) return
    if (!engineAlive(state.pid)) return void (await removeState(dir, state))
    if (state.owner === 'command' && state.ownerPid === target.fromPid) {
      if (isAlive(target.fromPid)) continue // not handed over yet
      return stop(dir, state, 'its command ended before handing it over')
    }
    if (state.owner !== 'idle' || state.ownerPid !== process.pid) return
    if ((await liveUsers(dir)).length > 0) lastActive = Date.now()
    lastActive = Math.max(lastActive, await usersChangedAt(dir))
    if (Date.now() - lastActive < idleMs) continue
    // Marked first, then users counted: a command that registered before the mark is seen here, and one
    // that registers after it sees the mark (isStopping) and starts an engine of its own instead.
    await writeFile(join(dir, STOPPING_FILE), String(process.pid))
    try {
      const changed = await usersChangedAt(dir)
      if ((await liveUsers(dir)).length > 0 || changed > lastActive) {
        lastActive = Math.max(Date.now(), changed)
        continue
      }
      return await stop(dir, state, `unused for ${idleMs} ms`)
    } finally {
      await rm(join(dir, STOPPING_FILE), { force: true })
    }
  }
}

async function stop(dir: string, state: LocalInstance, why: string): Promise<void> {
  await terminate(state.pid)
  await removeState(dir, state)
  const line = `[ddbm ${new Date().toISOString()}] stopped DynamoDB Local pid ${state.pid}: ${why}\n`
  await appendFile(join(dir, 'local.log'), line).catch(() => undefined)
}
