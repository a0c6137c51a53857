/**
 * The watcher of an idle embedded engine (idle.ts), started detached by the command that hands the engine
 * over: `node idle-watcher.js <dir> <pid> <startedAt> <idleMs> <fromPid>`. It runs until the engine is
 * stopped or no longer its to watch; should anything go wrong, it stops the engine rather than leave it
 * running with nobody to stop it.
 */
import { watchIdle } from './idle.js'
import { readState, removeState, sameInstance, terminate } from './local-state.js'

const [dir = '', pid = '', startedAt = '', idleMs = '', fromPid = ''] = process.argv.slice(2)
const target = {
  dir,
  pid: Number(pid),
  startedAt,
  idleMs: Number(idleMs),
  fromPid: Number(fromPid),
}
try {
  await watchIdle(target)
} catch {
  const state = await readState(dir).catch(() => undefined)
  if (state !== undefined && sameInstance(state, target)) {
    await terminate(state.pid).catch(() => undefined)
    await removeState(dir, state).catch(() => undefined)
  }
  process.exitCode = 1
}
