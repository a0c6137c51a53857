import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ScanCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, onTestFinished, test } from 'vitest'
import { readLock } from '../../src/engine/meta/lock.js'
import { readRecords } from '../../src/engine/meta/records.js'
import { CLI, ddbm } from '../helpers/cli.js'
import { dropTables, engineClient, engines } from '../helpers/engines.js'
import { tmpProject } from '../helpers/temp-tree.js'
import { CUSTOMERS, ORDERS } from '../fixtures/tables.js'

const engine = engines()[0]!
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

type Interrupted = { code: number | null; stdout: string; stderr: string; ms: number }

/**
 * Runs `ddbm ...args` in `cwd` and sends it `signal` once a stderr line matches `at` (again after
 * `againAfterMs` when given: a second Ctrl-C). `onSignal` runs just before the first signal is sent.
 */
function interruptAt(
  args: string[],
  cwd: string,
  at: RegExp,
  opts: { signal?: NodeJS.Signals; againAfterMs?: number; onSignal?: () => void } = {},
): Promise<Interrupted & { sent: boolean; afterSignalMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let sent = false
    let signalledAt = 0
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      if (sent || !stderr.split('\n').some((line) => at.test(line))) return
      opts.onSignal?.()
      signalledAt = performance.now()
      sent = child.kill(opts.signal ?? 'SIGINT')
      if (opts.againAfterMs !== undefined) {
        setTimeout(() => child.kill(opts.signal ?? 'SIGINT'), opts.againAfterMs)
      }
    })
    child.on('error', reject)
    child.on('close', (code) => {
      const end = performance.now()
      resolve({ code, stdout, stderr, sent, ms: end - started, afterSignalMs: end - signalledAt })
    })
  })
}

/** Runs `ddbm ...args` to its end, timed. */
async function timed(args: string[], cwd: string): Promise<Interrupted> {
  const started = performance.now()
  const run = await ddbm(args, { cwd })
  return { ...run, ms: performance.now() - started }
}

/** The last two lines of stderr: the error and its hint. */
function errorLines(stderr: string): string[] {
  return stderr.trimEnd().split('\n').slice(-2)
}

/**
 * A project of three migrations: 0001 creates Orders; 0002 (`.ts`) logs "0002 started" and then, on its
 * first run only (a marker file in the project), `wait`s: either 60 s unless ctx.signal aborts
 * ('signal'), or 2 s whatever happens ('sleep'); 0003 (`.ts`) writes a marker item into Orders.
 */
async function waitingProject(
  wait: 'signal' | 'sleep',
  config: Record<string, unknown>,
): Promise<string> {
  const body =
    wait === 'signal'
      ? `await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, 60_000)
    ctx.signal.addEventListener('abort', () => { clearTimeout(timer); reject(ctx.signal.reason) })
  })`
      : 'await new Promise((resolve) => setTimeout(resolve, 2_000))'
  return tmpProject({
    'ddbm.config.json': config,
    'schemas/Orders.json': ORDERS,
    'migrations/0001_orders.json': {
      version: 1,
      up: [{ op: 'createTable', table: 'Orders', definition: ORDERS }],
      down: [{ op: 'deleteTable', table: 'Orders' }],
    },
    'migrations/0002_wait.ts': `import { existsSync, writeFileSync } from 'node:fs'

export async function up(ctx: any): Promise<void> {
  ctx.log('0002 started')
  if (existsSync('ran-once')) return
  writeFileSync('ran-once', '')
  ${body}
}

export async function down(): Promise<void> {}
`,
    'migrations/0003_marker.ts': `export async function up(ctx: any): Promise<void> {
  await ctx.put('Orders', { PK: 'marker', SK: 'marker' })
}

export async function down(): Promise<void> {}
`,
  })
}

describe('Ctrl-C during migrate up', () => {
  test('a migration waiting on a long operation: stopped and recorded interrupted, the lock released, exit 130 with one JSON document; the next run applies at once', async () => {
    const suffix = crypto.randomUUID().slice(0, 8)
    onTestFinished(() => dropTables(engine.endpoint, suffix))
    const cwd = await waitingProject('signal', {
      version: 1,
      defaultEnv: 't',
      // A lock left behind would make the next run wait this long.
      lock: { leaseMs: 30_000 },
      environments: { t: { tableNameTemplate: `{table}-${suffix}` } },
    })
    const at = ['--endpoint', engine.endpoint]
    const run = await interruptAt(['migrate', 'up', '--json', ...at], cwd, /^0002 started$/)
    expect(run.sent).toBe(true)
    expect(run.code, run.stderr).toBe(130)
    const hint =
      'Re-run `ddbm migrate up`: its steps converge, so it picks up where this run stopped.'
    const message =
      'Interrupted (SIGINT) during migrate up: applied 0001_orders; 0002_wait stopped in migrations/0002_wait.ts, recorded as interrupted; not started: 0003_marker'
    expect(JSON.parse(run.stdout)).toStrictEqual({
      ok: false,
      command: 'migrate up',
      error: {
        code: 'INTERRUPTED',
        exitCode: 130,
        message,
        hint,
        details: {
          signal: 'SIGINT',
          direction: 'up',
          applied: ['0001_orders'],
          interrupted: '0002_wait',
          notStarted: ['0003_marker'],
        },
      },
    })
    expect(errorLines(run.stderr)).toStrictEqual([`error: ${message}`, `hint: ${hint}`])
    expect(run.stderr).toContain(
      'warning: Ctrl-C received: stopping at the next safe point (the running step finishes, the lock is released, an engine this command started is stopped); press Ctrl-C again to exit at once\n',
    )
    expect(run.stderr).toContain('INTERRUPTED 0002_wait\n')

    const client = engineClient(engine)
    onTestFinished(() => client.destroy())
    const metaTable = `ddbm_migrations-${suffix}`
    expect(await readLock(client, metaTable)).toBeUndefined()
    const records = await readRecords(client, metaTable)
    expect(records.map((r) => [r.name, r.status, r.error])).toStrictEqual([
      ['0001_orders', 'applied', undefined],
      ['0002_wait', 'interrupted', 'Interrupted (SIGINT) in migrations/0002_wait.ts'],
    ])

    const status = await ddbm(['migrate', 'status', ...at], { cwd })
    expect(status.stdout).toMatch(/^0002_wait +interrupted /m)

    // The lock is free: no lease to wait out (30 s), and the interrupted migration is run again.
    const next = await timed(['migrate', 'up', ...at], cwd)
    expect(next.code, next.stderr).toBe(0)
    expect(next.stderr).not.toContain('lock waiting')
    expect(next.ms).toBeLessThan(25_000)
    expect((await readRecords(client, metaTable)).map((r) => [r.name, r.status])).toStrictEqual([
      ['0001_orders', 'applied'],
      ['0002_wait', 'applied'],
      ['0003_marker', 'applied'],
    ])
  }, 90_000)

  test('SIGTERM: the same safe stop, exit 143', async () => {
    const suffix = crypto.randomUUID().slice(0, 8)
    onTestFinished(() => dropTables(engine.endpoint, suffix))
    const cwd = await waitingProject('signal', {
      version: 1,
      defaultEnv: 't',
      environments: { t: { tableNameTemplate: `{table}-${suffix}` } },
    })
    const run = await interruptAt(
      ['migrate', 'up', '--endpoint', engine.endpoint],
      cwd,
      /^0002 started$/,
      { signal: 'SIGTERM' },
    )
    expect(run.code, run.stderr).toBe(143)
    expect(errorLines(run.stderr)[0]).toBe(
      'error: Interrupted (SIGTERM) during migrate up: applied 0001_orders; 0002_wait stopped in migrations/0002_wait.ts, recorded as interrupted; not started: 0003_marker',
    )
    expect(run.stderr).toContain('warning: SIGTERM received: stopping at the next safe point')
    const client = engineClient(engine)
    onTestFinished(() => client.destroy())
    expect(await readLock(client, `ddbm_migrations-${suffix}`)).toBeUndefined()
  }, 60_000)

  test('on the embedded engine: the running migration finishes, no other starts, the lock is released and the engine stopped', async () => {
    const cwd = await waitingProject('sleep', {
      version: 1,
      local: { storage: 'memory' },
      environments: { local: { endpoint: 'embedded' } },
    })
    let engine: { pid: number; port: number } | undefined
    const run = await interruptAt(['migrate', 'up'], cwd, /^0002 started$/, {
      onSignal: () => {
        engine = JSON.parse(readFileSync(join(cwd, '.ddbm', 'local.json'), 'utf8'))
      },
    })
    expect(run.code, run.stderr).toBe(130)
    expect(errorLines(run.stderr)).toStrictEqual([
      'error: Interrupted (SIGINT) during migrate up: applied 0001_orders, 0002_wait; not started: 0003_marker',
      'hint: Re-run `ddbm migrate up`: its steps converge, so it picks up where this run stopped.',
    ])
    // Released while the engine still ran, then the engine was stopped.
    expect(run.stderr).toMatch(
      /\napplied 0002_wait \([\d.]+ s\)\nlock released \(held by .+\)\nDynamoDB Local stopping\nDynamoDB Local stopped\n/,
    )
    expect(engine?.pid).toStrictEqual(expect.any(Number))
    expect(alive(engine?.pid ?? 0)).toBe(false)
    expect(existsSync(join(cwd, '.ddbm', 'local.json'))).toBe(false)
    const status = await ddbm(['local', 'status', '--json'], { cwd })
    expect(JSON.parse(status.stdout)).toStrictEqual({
      ok: true,
      command: 'local status',
      result: { running: false },
    })
  }, 90_000)

  test('a second Ctrl-C exits at once and says so, with one JSON document; the engine it started is stopped too', async () => {
    // 0002 sleeps 2 s whatever happens: the second Ctrl-C comes while the first one waits for it.
    const cwd = await waitingProject('sleep', {
      version: 1,
      local: { storage: 'memory' },
      environments: { local: { endpoint: 'embedded' } },
    })
    let pid = 0
    const run = await interruptAt(['migrate', 'up', '--json'], cwd, /^0002 started$/, {
      againAfterMs: 300,
      onSignal: () => {
        const state = JSON.parse(readFileSync(join(cwd, '.ddbm', 'local.json'), 'utf8'))
        pid = (state as { pid: number }).pid
      },
    })
    expect(run.code, run.stderr).toBe(130)
    const message = 'Interrupted again (SIGINT): exited at once, without waiting for a safe point'
    const hint =
      'A lock this run held is taken over by the next run once its lease runs out; re-run the command: its steps converge.'
    expect(JSON.parse(run.stdout)).toStrictEqual({
      ok: false,
      command: 'migrate up',
      error: {
        code: 'INTERRUPTED',
        exitCode: 130,
        message,
        hint,
        details: { signal: 'SIGINT', forced: true },
      },
    })
    expect(errorLines(run.stderr)).toStrictEqual([`error: ${message}`, `hint: ${hint}`])
    // Before 0002's 2 s were over: the second Ctrl-C did not wait for the safe point.
    expect(run.afterSignalMs).toBeLessThan(1_800)
    await waitUntil(() => !alive(pid))
    expect(alive(pid)).toBe(false)
  }, 90_000)
})

describe('Ctrl-C during a command that does not stop at safe points', () => {
  test('migrate status on the embedded engine: exits at once with exit 130, and the engine it started is stopped', async () => {
    const cwd = await waitingProject('sleep', {
      version: 1,
      local: { storage: 'memory' },
      environments: { local: { endpoint: 'embedded' } },
    })
    let pid = 0
    const run = await interruptAt(['migrate', 'status'], cwd, /^DynamoDB Local ready/, {
      onSignal: () => {
        const state = JSON.parse(readFileSync(join(cwd, '.ddbm', 'local.json'), 'utf8'))
        pid = (state as { pid: number }).pid
      },
    })
    expect(run.code, run.stderr).toBe(130)
    expect(errorLines(run.stderr)).toStrictEqual([
      'error: Interrupted (SIGINT)',
      'hint: Re-run the command.',
    ])
    await waitUntil(() => !alive(pid))
    expect(alive(pid)).toBe(false)
    expect(existsSync(join(cwd, '.ddbm', 'local.json'))).toBe(false)
  }, 60_000)
})

describe('Ctrl-C during seed', () => {
  test('writing stops at a batch boundary; the items written and not written are reported and match the table', async () => {
    const suffix = crypto.randomUUID().slice(0, 8)
    onTestFinished(() => dropTables(engine.endpoint, suffix))
    const cwd = await tmpProject({
      'ddbm.config.json': {
        version: 1,
        defaultEnv: 't',
        environments: { t: { tableNameTemplate: `{table}-${suffix}` } },
      },
      'schemas/Customers.json': CUSTOMERS,
      'migrations/0001_customers.json': {
        version: 1,
        up: [{ op: 'createTable', table: 'Customers', definition: CUSTOMERS }],
        down: [{ op: 'deleteTable', table: 'Customers' }],
      },
      'seeds/Customers.seed.ts': `import { defineSeed } from 'ddbm'

export default defineSeed({
  table: 'Customers',
  count: 100000,
  generate: ({ i }) => ({ id: 'C#' + i, name: 'customer ' + i }),
})
`,
    })
    await mkdir(join(cwd, 'node_modules'))
    await symlink(ROOT, join(cwd, 'node_modules', 'ddbm'), 'dir')
    const at = ['--endpoint', engine.endpoint]
    expect((await ddbm(['migrate', 'up', ...at], { cwd })).code).toBe(0)

    const table = `Customers-${suffix}`
    const run = await interruptAt(['seed', '--json', ...at], cwd, /^seeding Customers-/)
    expect(run.code, run.stderr).toBe(130)
    const doc = JSON.parse(run.stdout) as {
      error: { code: string; message: string; details: { written: number; notWritten: number } }
    }
    const { written, notWritten } = doc.error.details
    expect(written + notWritten).toBe(100_000)
    expect(notWritten).toBeGreaterThan(0)
    expect(doc.error).toStrictEqual({
      code: 'INTERRUPTED',
      exitCode: 130,
      message: `Interrupted (SIGINT) while seeding: ${table}: ${written} of 100000 items written, ${notWritten} not written`,
      hint: 'Re-run `ddbm seed`: writes are idempotent puts, so it writes every item again, those not written included.',
      details: {
        signal: 'SIGINT',
        table: 'Customers',
        written,
        notWritten,
        result: expect.objectContaining({ table: 'Customers', physical: table, written }),
        results: [],
        notStarted: [],
      },
    })
    const client = engineClient(engine)
    onTestFinished(() => client.destroy())
    let count = 0
    let start: Record<string, never> | undefined
    do {
      const page = await client.send(
        new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: start }),
      )
      count += page.Count ?? 0
      start = page.LastEvaluatedKey as typeof start
    } while (start !== undefined)
    expect(count).toBe(written)
  }, 120_000)
})

/** True while `pid` runs: it exists and, on Linux, is not a zombie waiting for a parent to reap it. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return process.platform !== 'linux'
  }
}

async function waitUntil(done: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
}
