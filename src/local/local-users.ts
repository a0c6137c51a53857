import { randomUUID } from 'node:crypto'
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sleep } from './free-port.js'
import { isAlive } from './local-state.js'

/**
 * Sessions that use an engine another ddbm command started: one file per session under `<dir>/users/`,
 * named `<pid>-<random>`. The command that started the engine stops it only once none of them is left (a
 * user whose process died does not count), so two commands on the embedded environment at the same time do
 * not pull the engine from under each other.
 */
const USERS = 'users'

/** Records a new user of the engine of `dir`; returns its id. */
export async function addUser(dir: string): Promise<string> {
  const id = `${process.pid}-${randomUUID().slice(0, 8)}`
  await mkdir(join(dir, USERS), { recursive: true })
  await writeFile(join(dir, USERS, id), '')
  return id
}

/** Removes a user's record (idempotent). */
export async function removeUser(dir: string, id: string): Promise<void> {
  await rm(join(dir, USERS, id), { force: true })
}

/**
 * The ids of users in other live processes (this process's sessions are counted in memory by the caller);
 * records of dead processes are removed.
 */
export async function liveUsers(dir: string): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(join(dir, USERS))
  } catch {
    return []
  }
  const live: string[] = []
  for (const name of names) {
    const pid = Number(name.split('-')[0])
    if (pid === process.pid) continue
    if (Number.isInteger(pid) && isAlive(pid)) live.push(name)
    else await removeUser(dir, name)
  }
  return live
}

/**
 * When a user last came or went (the users folder's modification time, which every addUser and
 * removeUser changes), epoch ms; 0 when no user was ever recorded.
 */
export async function usersChangedAt(dir: string): Promise<number> {
  try {
    return (await stat(join(dir, USERS))).mtimeMs
  } catch {
    return 0
  }
}

/** Resolves once no user in another live process is left (polling every 250 ms); `onWait` hears of the first wait. */
export async function waitForNoUsers(
  dir: string,
  onWait?: (users: string[]) => void,
): Promise<void> {
  let announced = false
  for (;;) {
    const users = await liveUsers(dir)
    if (users.length === 0) return
    if (!announced) onWait?.(users)
    announced = true
    await sleep(250)
  }
}

/**
 * Sessions of this process that reuse an engine this process started, by data dir, and the stop that the
 * starting session deferred until they are done. In one process the starter's stop() must not wait (a caller
 * closing the starter first would wait for itself), so the last session out stops the engine instead.
 */
const inProcess = new Map<string, { users: number; deferredStop?: () => Promise<void> }>()

/** One more session of this process on the engine of `dir`. */
export function enterInProcess(dir: string): void {
  const entry = inProcess.get(dir) ?? { users: 0 }
  entry.users++
  inProcess.set(dir, entry)
}

/** A session of this process is done; runs the deferred stop when it was the last one. */
export async function leaveInProcess(dir: string): Promise<void> {
  const entry = inProcess.get(dir)
  if (entry === undefined) return
  entry.users--
  if (entry.users > 0) return
  inProcess.delete(dir)
  await entry.deferredStop?.()
}

/** The starter's stop: deferred while sessions of this process still use the engine, else run now. */
export async function stopWhenUnused(dir: string, stop: () => Promise<void>): Promise<void> {
  const entry = inProcess.get(dir)
  if (entry !== undefined && entry.users > 0) entry.deferredStop = stop
  else await stop()
}
