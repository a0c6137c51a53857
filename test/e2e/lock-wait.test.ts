import { spawn } from 'node:child_process'
import { describe, expect, onTestFinished, test } from 'vitest'
import { openSession } from '../../src/api/index.js'
import { acquireLock, type Lease } from '../../src/engine/meta/lock.js'
import { ensureMetaTable } from '../../src/engine/meta/meta-table.js'
import type { Event } from '../../src/events.js'
import { CLI } from '../helpers/cli.js'
import { dropTables, engines } from '../helpers/engines.js'
import { migrationProject } from '../helpers/temp-tree.js'

const engine = engines()[0]!
const HOLDER = 'ci@build-7 pid 4242'

/**
 * Takes the lock of the project's meta table as HOLDER would, with a lease of `leaseMs`, on a session kept
 * open (its heartbeat needs the client) until the test ends.
 */
async function holdLock(
  cwd: string,
  metaTable: string,
  leaseMs: number,
): Promise<{ lease: Lease; since: string }> {
  const events: Event[] = []
  const session = await openSession({ cwd, endpoint: engine.endpoint, processEnv: {} })
  onTestFinished(() => session.close())
  await ensureMetaTable(session.client, metaTable)
  const lease = await acquireLock({
    client: session.client,
    table: metaTable,
    holder: HOLDER,
    leaseMs,
    emit: (e) => events.push(e),
  })
  onTestFinished(() => lease.release())
  const acquired = events.find((e) => e.kind === 'lock' && e.status === 'acquired')
  return { lease, since: acquired?.kind === 'lock' ? (acquired.since ?? '') : '' }
}

/** Runs `ddbm migrate up` in `cwd`; `onLine` hears each stderr line as it comes. */
function migrateUp(
  cwd: string,
  onLine: (line: string) => void = () => {},
): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CLI, 'migrate', 'up', '--lock-timeout', '2m', '--endpoint', engine.endpoint],
      { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let buffer = ''
    const lines: string[] = []
    child.stderr.on('data', (d: Buffer) => {
      buffer += d.toString()
      const parts = buffer.split('\n')
      buffer = parts.pop() ?? ''
      for (const line of parts) {
        lines.push(line)
        onLine(line)
      }
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, lines }))
  })
}

describe('a run waiting for the lock', () => {
  test('of a holder that stopped renewing: names it, counts down to the takeover, then takes it over', async () => {
    const { cwd, suffix, tableName } = await migrationProject()
    onTestFinished(() => dropTables(engine.endpoint, suffix))
    const { lease, since } = await holdLock(cwd, tableName('ddbm_migrations'), 6_000)
    lease.stopHeartbeat() // as a frozen or killed run would

    const run = await migrateUp(cwd)
    expect(run.code, run.lines.join('\n')).toBe(0)
    const lock = run.lines.filter((l) => l.startsWith('lock '))
    expect(lock[0]).toBe(
      `lock waiting: held by ${HOLDER} since ${since}; taking over in 6 s unless it renews`,
    )
    // Half a lease unrenewed, then every quarter lease: 3 s, then 4.5 s (rounded as shown).
    const countdown = lock.filter((l) => l.startsWith('lock countdown:'))
    expect(countdown.length).toBeGreaterThanOrEqual(1)
    for (const line of countdown) {
      const m =
        /^lock countdown: held by (.+): not renewed for (\d+) s; taking over in (\d+) s unless it renews$/.exec(
          line,
        )
      expect(m?.[1], line).toBe(HOLDER)
      expect(Number(m?.[2]) + Number(m?.[3]), line).toBeGreaterThanOrEqual(6)
      expect(Number(m?.[3]), line).toBeLessThanOrEqual(3)
    }
    const after = lock.slice(1 + countdown.length)
    expect(after.slice(0, 1)).toStrictEqual([`lock taken-over (held by ${HOLDER} since ${since})`])
    expect(lock.some((l) => l.startsWith('lock alive'))).toBe(false)
  }, 60_000)

  test('of a holder that renews: says it is alive, waits on, and takes the lock once it is released', async () => {
    const { cwd, suffix, tableName } = await migrationProject()
    onTestFinished(() => dropTables(engine.endpoint, suffix))
    const { lease, since } = await holdLock(cwd, tableName('ddbm_migrations'), 6_000)

    const run = await migrateUp(cwd, (line) => {
      if (line.startsWith('lock alive')) void lease.release()
    })
    expect(run.code, run.lines.join('\n')).toBe(0)
    const lock = run.lines.filter((l) => l.startsWith('lock '))
    expect(lock[0]).toBe(
      `lock waiting: held by ${HOLDER} since ${since}; taking over in 6 s unless it renews`,
    )
    expect(lock[1]).toMatch(
      new RegExp(
        `^lock alive: held by ${HOLDER} renewed its lease, so it is running; waiting up to 1\\d\\d s more \\(--lock-timeout\\)$`,
      ),
    )
    expect(lock[2]).toMatch(/^lock acquired \(held by .+ pid \d+ since .+\)$/)
    expect(lock.some((l) => l.startsWith('lock taken-over'))).toBe(false)
  }, 60_000)
})
