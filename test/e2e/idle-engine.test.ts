import { existsSync, readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, onTestFinished, test } from 'vitest'
import { ddbm } from '../helpers/cli.js'
import { tmpProject } from '../helpers/temp-tree.js'

/** A live process (a zombie waiting for its reaper counts as gone: it holds no port and runs nothing). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

/** The recorded engine of the project in `cwd` (`.ddbm/local.json`), or undefined. */
function recorded(cwd: string): Record<string, unknown> | undefined {
  const file = join(cwd, '.ddbm', 'local.json')
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
    : undefined
}

/** Polls `check` every 200 ms until it holds or `ms` passed; returns its last answer. */
async function within(ms: number, check: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms
  while (!check() && Date.now() < deadline) await sleep(200)
  return check()
}

/** A project on the embedded engine, in memory, left running for 2 s after the last command. */
async function idleProject(): Promise<string> {
  const cwd = await tmpProject({
    'ddbm.config.json': {
      version: 1,
      local: { storage: 'memory', idleTimeout: '2s' },
      environments: { local: { endpoint: 'embedded' } },
    },
  })
  // Whatever a failing test leaves running is stopped (CI=true: `local stop` itself idles nothing).
  onTestFinished(async () => void (await ddbm(['local', 'stop'], { cwd })))
  return cwd
}

/** Outside CI: the test helpers set CI=true, which turns the idle timeout off. */
const INTERACTIVE = { CI: undefined }

/** The engine's events a command printed on stderr, without the port and the time taken. */
function engineEvents(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('DynamoDB Local'))
    .map((l) => l.replace(/127\.0\.0\.1:\d+/, 'PORT').replace(/ in [\d.]+ s$/, ''))
}

describe('the embedded engine between commands (local.idleTimeout)', () => {
  test('a command leaves it running, the next one reuses it, and it stops once unused for the timeout', async () => {
    const cwd = await idleProject()
    const first = await ddbm(['migrate', 'status'], { cwd, env: INTERACTIVE })
    expect([first.code, engineEvents(first.stderr)]).toStrictEqual([
      0,
      [
        'DynamoDB Local starting on PORT',
        'DynamoDB Local ready on PORT',
        'DynamoDB Local left running on PORT for the next command; it stops after 2s unused (or: ddbm local stop)',
      ],
    ])
    const engine = recorded(cwd)
    const {
      pid,
      port,
      ownerPid: watcher,
    } = engine as { pid: number; port: number; ownerPid: number }
    expect([engine?.owner, engine?.idleTimeoutMs, alive(pid), alive(watcher)]).toStrictEqual([
      'idle',
      2000,
      true,
      true,
    ])

    const second = await ddbm(['migrate', 'status'], { cwd, env: INTERACTIVE })
    expect([second.code, engineEvents(second.stderr)]).toStrictEqual([
      0,
      ['DynamoDB Local reused on PORT (memory)'],
    ])
    const status = await ddbm(['local', 'status', '--json'], { cwd })
    expect(JSON.parse(status.stdout).result).toMatchObject({
      running: true,
      pid,
      port,
      owner: 'idle',
      idleTimeoutMs: 2000,
    })

    expect(await within(15_000, () => !alive(pid) && !alive(watcher))).toBe(true)
    const after = await ddbm(['local', 'status', '--json'], { cwd })
    expect([JSON.parse(after.stdout).result, recorded(cwd)]).toStrictEqual([
      { running: false },
      undefined,
    ])
  }, 90_000)

  test('`ddbm local stop` stops it, and its watcher goes away', async () => {
    const cwd = await idleProject()
    expect((await ddbm(['migrate', 'status'], { cwd, env: INTERACTIVE })).code).toBe(0)
    const {
      pid,
      port,
      ownerPid: watcher,
    } = recorded(cwd) as {
      pid: number
      port: number
      ownerPid: number
    }
    const stop = await ddbm(['local', 'stop', '--json'], { cwd })
    expect(JSON.parse(stop.stdout).result).toStrictEqual({ stopped: true, pid, port })
    expect([alive(pid), await within(5_000, () => !alive(watcher)), recorded(cwd)]).toStrictEqual([
      false,
      true,
      undefined,
    ])
  }, 90_000)

  test('`ddbm local start` keeps it for good: owner user, its watcher gone, still running after the timeout', async () => {
    const cwd = await idleProject()
    expect((await ddbm(['migrate', 'status'], { cwd, env: INTERACTIVE })).code).toBe(0)
    const { pid, ownerPid: watcher } = recorded(cwd) as { pid: number; ownerPid: number }
    const start = await ddbm(['local', 'start', '--json'], { cwd })
    const kept = JSON.parse(start.stdout).result
    expect([kept.pid, kept.owner, 'idleTimeoutMs' in kept]).toStrictEqual([pid, 'user', false])
    expect(await within(5_000, () => !alive(watcher))).toBe(true)
    await sleep(3_000)
    expect([alive(pid), recorded(cwd)?.owner]).toStrictEqual([true, 'user'])
  }, 90_000)

  test('a watcher killed before its time: the next command stops the engine it left', async () => {
    const cwd = await idleProject()
    await writeFile(
      join(cwd, 'ddbm.config.json'),
      JSON.stringify({
        version: 1,
        local: { storage: 'memory', idleTimeout: '10m' },
        environments: { local: { endpoint: 'embedded' } },
      }),
    )
    expect((await ddbm(['migrate', 'status'], { cwd, env: INTERACTIVE })).code).toBe(0)
    const { pid, ownerPid: watcher } = recorded(cwd) as { pid: number; ownerPid: number }
    process.kill(watcher, 'SIGKILL')
    expect(await within(5_000, () => !alive(watcher))).toBe(true)
    const status = await ddbm(['local', 'status', '--json'], { cwd })
    expect([JSON.parse(status.stdout).result, alive(pid), recorded(cwd)]).toStrictEqual([
      { running: false },
      false,
      undefined,
    ])
  }, 90_000)

  test('with CI=true a command stops the engine it started when it ends, as before', async () => {
    const cwd = await idleProject()
    const run = await ddbm(['migrate', 'status'], { cwd, env: { CI: 'true' } })
    expect([run.code, engineEvents(run.stderr), recorded(cwd)]).toStrictEqual([
      0,
      [
        'DynamoDB Local starting on PORT',
        'DynamoDB Local ready on PORT',
        'DynamoDB Local stopping',
        'DynamoDB Local stopped',
      ],
      undefined,
    ])
    const status = await ddbm(['local', 'status', '--json'], { cwd })
    expect(JSON.parse(status.stdout).result).toStrictEqual({ running: false })
  }, 90_000)
})
