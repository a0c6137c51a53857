import { describe, expect, test } from 'vitest'
import { memoryMetaStore } from '../../../../src/engine/meta/memory-meta-store.js'
import type { MetaStore, MigrationRecord } from '../../../../src/engine/meta/meta-store.js'
import type { RunnableMigration } from '../../../../src/engine/runner/migrator.js'
import {
  runMigrations,
  type RunMigrationsOptions,
} from '../../../../src/engine/runner/run-migrations.js'
import { DdbmError } from '../../../../src/errors.js'
import type { Event } from '../../../../src/events.js'
import { selectDown, selectUp } from '../../../../src/plan/select.js'
import type { LoadedMigration } from '../../../../src/schema/load-migrations.js'

const NOW = Date.parse('2026-05-01T12:00:00.000Z')
const AT = new Date(NOW).toISOString()

function file(name: string, checksum = `sum-${name}`): LoadedMigration {
  return {
    name,
    number: Number(name.slice(0, 4)),
    kind: 'ts',
    file: `migrations/${name}.ts`,
    absolutePath: `/project/migrations/${name}.ts`,
    checksum,
  }
}

const FILES = [file('0001_tables'), file('0002_add_x'), file('0003_backfill')]

/** A record as the runner writes it for this test's run (durations vary: any number). */
function written(name: string, extra: Partial<MigrationRecord> = {}): MigrationRecord {
  return {
    name,
    checksum: `sum-${name}`,
    status: 'applied',
    startedAt: AT,
    finishedAt: AT,
    durationMs: expect.any(Number),
    appliedBy: 'tester@host',
    ddbmVersion: '9.9.9',
    runId: expect.any(String),
    ...extra,
  }
}

/** A record left by an earlier run. */
function earlier(name: string, extra: Partial<MigrationRecord> = {}): MigrationRecord {
  return {
    name,
    checksum: `sum-${name}`,
    status: 'applied',
    startedAt: '2026-04-01T08:00:00.000Z',
    finishedAt: '2026-04-01T08:00:01.000Z',
    durationMs: 1000,
    appliedBy: 'ci@build-417',
    ddbmVersion: '0.1.0',
    runId: 'run-0',
    ...extra,
  }
}

/** Fake migrations: each run appends `name:direction` to `ran`; `fail` makes one throw instead. */
function fakes() {
  const ran: string[] = []
  const fail = new Map<string, unknown>()
  const load = async (m: LoadedMigration): Promise<RunnableMigration> => {
    const step = (direction: 'up' | 'down') => async () => {
      const err = fail.get(`${m.name}:${direction}`)
      if (err !== undefined) throw err
      ran.push(`${m.name}:${direction}`)
    }
    return { up: step('up'), down: step('down') }
  }
  return { ran, fail, load }
}

/** The store's calls, by method name, to show that nothing was written. */
function spied(store: MetaStore): { store: MetaStore; calls: string[] } {
  const calls: string[] = []
  const spy = <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) => {
    return (...args: A) => {
      calls.push(name)
      return fn(...args)
    }
  }
  return {
    calls,
    store: {
      table: store.table,
      ensure: spy('ensure', store.ensure),
      exists: spy('exists', store.exists),
      readRecords: spy('readRecords', store.readRecords),
      putRecord: spy('putRecord', store.putRecord),
      deleteRecord: spy('deleteRecord', store.deleteRecord),
      readEnvironment: spy('readEnvironment', store.readEnvironment),
      recordEnvironment: spy('recordEnvironment', store.recordEnvironment),
      acquireLock: spy('acquireLock', store.acquireLock),
      readLock: spy('readLock', store.readLock),
      forceUnlock: spy('forceUnlock', store.forceUnlock),
    },
  }
}

function options(
  store: MetaStore,
  load: RunMigrationsOptions<{ name: string }>['load'],
  extra: Partial<RunMigrationsOptions<{ name: string }>> = {},
): RunMigrationsOptions<{ name: string }> & { events: Event[] } {
  const events: Event[] = []
  const direction = extra.direction ?? 'up'
  return {
    store,
    direction,
    migrations: FILES,
    select: (rows) =>
      (direction === 'up' ? selectUp(rows, {}) : selectDown(rows, {})).map((name) => ({ name })),
    lock: { holder: 'tester@host pid 1', waitTimeoutMs: 50 },
    emit: (e) => events.push(e),
    appliedBy: 'tester@host',
    ddbmVersion: '9.9.9',
    load,
    now: () => NOW,
    events,
    ...extra,
  }
}

async function rejection(p: Promise<unknown>): Promise<DdbmError> {
  return p.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e as DdbmError,
  )
}

const warnings = (events: Event[]) =>
  events.flatMap((e) => (e.kind === 'log' && e.level === 'warn' ? [e.message] : []))

describe('runMigrations up on a fresh store', () => {
  test('creates the table, applies every migration in order, records each applied, releases the lock', async () => {
    const store = memoryMetaStore()
    const { ran, load } = fakes()
    const opts = options(store, load)
    const result = await runMigrations(opts)
    expect(ran).toStrictEqual(['0001_tables:up', '0002_add_x:up', '0003_backfill:up'])
    expect(result.selected).toStrictEqual([
      { name: '0001_tables' },
      { name: '0002_add_x' },
      { name: '0003_backfill' },
    ])
    expect(result.rows.map((r) => `${r.name} ${r.state}`)).toStrictEqual([
      '0001_tables applied',
      '0002_add_x applied',
      '0003_backfill applied',
    ])
    expect(await store.readRecords()).toStrictEqual([
      written('0001_tables'),
      written('0002_add_x'),
      written('0003_backfill'),
    ])
    expect(new Set((await store.readRecords()).map((r) => r.runId)).size).toBe(1)
    expect(await store.readLock()).toBeUndefined()
    expect(
      opts.events.flatMap((e) =>
        e.kind === 'migration' || e.kind === 'lock' ? [`${e.kind} ${e.status}`] : [],
      ),
    ).toStrictEqual([
      'lock acquired',
      ...['start', 'done', 'start', 'done', 'start', 'done'].map((s) => `migration ${s}`),
      'lock released',
    ])

    const again = await runMigrations(options(store, load))
    expect(again.selected).toStrictEqual([])
    expect(ran).toHaveLength(3)
  })

  test('a dry run selects from the records and changes nothing (no table, no lock)', async () => {
    const { store, calls } = spied(memoryMetaStore())
    const { ran, load } = fakes()
    const result = await runMigrations(options(store, load, { dryRun: true }))
    expect(result.selected.map((s) => s.name)).toStrictEqual([
      '0001_tables',
      '0002_add_x',
      '0003_backfill',
    ])
    expect(ran).toStrictEqual([])
    expect(calls).toStrictEqual(['exists'])
  })

  test('offline problems in migrations/ are refused before any change', async () => {
    const { store, calls } = spied(memoryMetaStore())
    const { ran, load } = fakes()
    const issue = { file: 'migrations/0002_add_x.json', path: 'up[0]', message: 'bad', hint: 'fix' }
    const err = await rejection(runMigrations(options(store, load, { issues: [issue] })))
    expect([err.code, err.message, err.details]).toStrictEqual([
      'MIGRATION_INVALID',
      '1 problem(s) in migrations/',
      { issues: [issue] },
    ])
    expect(ran).toStrictEqual([])
    expect(calls).toStrictEqual(['exists'])
  })
})

describe('runMigrations: the history is checked before any change', () => {
  const cases: [string, MigrationRecord[], LoadedMigration[], string, string][] = [
    [
      'an applied migration whose file was edited',
      [earlier('0001_tables', { checksum: 'old-sum-0001' })],
      FILES,
      'MIGRATION_CHANGED',
      'migrations/0001_tables.ts was applied 2026-04-01T08:00:01.000Z by ci@build-417 with checksum old-sum-0001…; the file now hashes to sum-0001_tab…',
    ],
    [
      'an applied migration whose file is gone',
      [earlier('0001_tables'), earlier('0002_add_x')],
      [FILES[0]!, FILES[2]!],
      'MIGRATION_MISSING',
      '0002_add_x is recorded as applied (2026-04-01T08:00:01.000Z, by ci@build-417) but its file is gone',
    ],
    [
      'a new migration that sorts before the last applied one',
      [earlier('0001_tables'), earlier('0003_backfill')],
      FILES,
      'MIGRATION_ORDER',
      'migrations/0002_add_x.ts is new, but sorts before 0003_backfill, which is already applied',
    ],
  ]
  test.each(cases)(
    '%s is refused with nothing written',
    async (_, records, files, code, message) => {
      const memory = memoryMetaStore({ records })
      const { store, calls } = spied(memory)
      const { ran, load } = fakes()
      const opts = options(store, load, { migrations: files })
      const err = await rejection(runMigrations(opts))
      expect([err.code, err.message]).toStrictEqual([code, message])
      expect(ran).toStrictEqual([])
      expect(calls).toStrictEqual(['exists', 'readRecords'])
      expect(await memory.readRecords()).toStrictEqual(records)
      expect(opts.events).toStrictEqual([])
    },
  )
})

describe('runMigrations: a failing migration', () => {
  test('is recorded failed with its error, named in the thrown error, and re-run by the next up', async () => {
    const store = memoryMetaStore()
    const { ran, fail, load } = fakes()
    const boom = new Error('backfill exploded')
    fail.set('0002_add_x:up', boom)
    const opts = options(store, load)
    const err = await rejection(runMigrations(opts))
    expect(err).toBeInstanceOf(DdbmError)
    expect([err.code, err.message, err.details]).toStrictEqual([
      'MIGRATION_FAILED',
      'Migration 0002_add_x failed: backfill exploded',
      { name: '0002_add_x', direction: 'up' },
    ])
    expect(err.cause).toBe(boom)
    expect(ran).toStrictEqual(['0001_tables:up'])
    expect(await store.readRecords()).toStrictEqual([
      written('0001_tables'),
      written('0002_add_x', { status: 'failed', error: 'backfill exploded' }),
    ])
    expect(await store.readLock()).toBeUndefined()
    expect(warnings(opts.events)).toStrictEqual([])

    fail.clear()
    const next = await runMigrations(options(store, load))
    expect(next.selected.map((s) => s.name)).toStrictEqual(['0002_add_x', '0003_backfill'])
    expect(ran).toStrictEqual(['0001_tables:up', '0002_add_x:up', '0003_backfill:up'])
    expect((await store.readRecords()).map((r) => [r.name, r.status, r.error])).toStrictEqual([
      ['0001_tables', 'applied', undefined],
      ['0002_add_x', 'applied', undefined],
      ['0003_backfill', 'applied', undefined],
    ])
  })

  test("the executor's error is named, keeps its code, details.results and every cause", async () => {
    const store = memoryMetaStore()
    const { fail, load } = fakes()
    const sdk = new Error('Attempting to create an index which already exists')
    const results = [
      { index: 0, op: 'createGsi', table: 'Orders-t', status: 'done', ms: 5 },
      { index: 1, op: 'createGsi', table: 'Orders-t', status: 'failed', ms: 7, detail: 'x' },
      { index: 2, op: 'updateBilling', table: 'Customers-t', status: 'not-run', ms: 0 },
    ]
    const step = new DdbmError(
      'MIGRATION_FAILED',
      'step 2/3 (create GSI byDate on Orders-t (createdAt HASH; ALL)) failed: Attempting to create an index which already exists',
      { results },
      { cause: sdk },
    )
    fail.set('0002_add_x:up', step)
    const err = await rejection(runMigrations(options(store, load)))
    expect(err.code).toBe('MIGRATION_FAILED')
    expect(err.message).toBe(
      'Migration 0002_add_x failed: step 2/3 (create GSI byDate on Orders-t (createdAt HASH; ALL)) failed: Attempting to create an index which already exists',
    )
    expect(err.details).toStrictEqual({ results, name: '0002_add_x', direction: 'up' })
    expect(err.cause).toBe(step)
    expect((err.cause as Error).cause).toBe(sdk)
    expect((await store.readRecords())[1]).toStrictEqual(
      written('0002_add_x', { status: 'failed', error: step.message }),
    )
  })

  test('whose failure cannot be recorded: the original error is thrown, the recording error attached and warned', async () => {
    const memory = memoryMetaStore()
    const writeError = new DdbmError(
      'AWS_FAILED',
      'Could not write the migration record: throttled',
    )
    const store: MetaStore = {
      ...memory,
      putRecord: (record, lease) =>
        record.status === 'failed' ? Promise.reject(writeError) : memory.putRecord(record, lease),
    }
    const { fail, load } = fakes()
    const boom = new Error('backfill exploded')
    fail.set('0002_add_x:up', boom)
    const opts = options(store, load)
    const err = await rejection(runMigrations(opts))
    expect([err.code, err.message, err.details]).toStrictEqual([
      'MIGRATION_FAILED',
      'Migration 0002_add_x failed: backfill exploded',
      {
        name: '0002_add_x',
        direction: 'up',
        recordError: {
          code: 'AWS_FAILED',
          message: 'Could not write the migration record: throttled',
        },
      },
    ])
    expect(err.cause).toBe(boom)
    expect(err.hint).toContain('0002_add_x may still be recorded as running')
    expect(warnings(opts.events)).toStrictEqual([
      'Could not record 0002_add_x as failed (its record may still say "running"): Could not write the migration record: throttled',
    ])
    expect((await memory.readRecords()).map((r) => `${r.name} ${r.status}`)).toStrictEqual([
      '0001_tables applied',
      '0002_add_x running',
    ])
    expect(await memory.readLock()).toBeUndefined()
  })

  test('going down, the error says so and the record keeps it', async () => {
    const records = FILES.map((f) => earlier(f.name))
    const store = memoryMetaStore({ records })
    const { fail, load } = fakes()
    fail.set('0003_backfill:down', new Error('cannot undo'))
    const err = await rejection(runMigrations(options(store, load, { direction: 'down' })))
    expect([err.code, err.message]).toStrictEqual([
      'MIGRATION_FAILED',
      'Migration 0003_backfill (down) failed: cannot undo',
    ])
    expect((await store.readRecords())[2]).toStrictEqual(
      written('0003_backfill', {
        status: 'failed',
        startedAt: AT,
        error: 'down failed: cannot undo',
      }),
    )
  })
})

describe('runMigrations: down and the lock', () => {
  test('down reverts the last applied migration and deletes its record', async () => {
    const records = FILES.map((f) => earlier(f.name))
    const store = memoryMetaStore({ records })
    const { ran, load } = fakes()
    const result = await runMigrations(options(store, load, { direction: 'down' }))
    expect(ran).toStrictEqual(['0003_backfill:down'])
    expect(result.rows.map((r) => `${r.name} ${r.state}`)).toStrictEqual([
      '0001_tables applied',
      '0002_add_x applied',
      '0003_backfill pending',
    ])
    expect(await store.readRecords()).toStrictEqual(records.slice(0, 2))
  })

  test('while another run holds the lock: LOCK_HELD after the wait, nothing run or written', async () => {
    const store = memoryMetaStore({ records: [] })
    const other = await store.acquireLock({ holder: 'ci@build-9 pid 7', emit: () => {} })
    const { ran, load } = fakes()
    const err = await rejection(runMigrations(options(store, load)))
    expect(err.code).toBe('LOCK_HELD')
    expect(err.message).toMatch(/^The migration lock in memory is held by ci@build-9 pid 7 since /)
    expect(ran).toStrictEqual([])
    expect(await store.readRecords()).toStrictEqual([])
    await other.release()
  })

  test('a run whose lock is removed mid-migration records nothing more (LOCK_LOST)', async () => {
    const store = memoryMetaStore()
    const { ran, load } = fakes()
    const unlocking = async (m: LoadedMigration): Promise<RunnableMigration> => {
      const runnable = await load(m)
      if (m.name !== '0002_add_x') return runnable
      return { ...runnable, up: async () => void (await store.forceUnlock()) }
    }
    const err = await rejection(runMigrations(options(store, unlocking)))
    expect([err.code, err.message]).toStrictEqual([
      'LOCK_LOST',
      'Migration record 0002_add_x was not written: this run (tester@host pid 1) no longer holds the lock in memory',
    ])
    expect(ran).toStrictEqual(['0001_tables:up'])
    expect((await store.readRecords()).map((r) => `${r.name} ${r.status}`)).toStrictEqual([
      '0001_tables applied',
      '0002_add_x running',
    ])
  })
})

describe('runMigrations: the guard before any change, and backups', () => {
  test('guard sees the selection before the table and the lock; its refusal changes nothing', async () => {
    const { store, calls } = spied(memoryMetaStore())
    const { ran, load } = fakes()
    const seen: string[][] = []
    const refusal = new DdbmError('PROTECTED_ENV', 'refused', { env: 'prod', steps: ['x'] })
    const err = await rejection(
      runMigrations(
        options(store, load, {
          guard: async (selected) => {
            seen.push(selected.map((s) => s.name))
            throw refusal
          },
        }),
      ),
    )
    expect(err).toBe(refusal)
    expect(seen).toStrictEqual([['0001_tables', '0002_add_x', '0003_backfill']])
    expect([calls, ran]).toStrictEqual([['exists'], []])
  })

  test('guard, then under the lock `locked` before `confirm`; none on a dry run', async () => {
    const order: string[] = []
    const hooks = {
      guard: async () => void order.push('guard'),
      locked: async () => void order.push('locked'),
      confirm: async () => void order.push('confirm'),
    }
    const store = memoryMetaStore()
    const { load } = fakes()
    await runMigrations(options(store, load, { ...hooks, dryRun: true }))
    expect(order).toStrictEqual([])
    await runMigrations(options(store, load, hooks))
    expect(order).toStrictEqual(['guard', 'locked', 'confirm'])
  })

  test('a backup noted while a migration runs is recorded at once (running), then in its applied record', async () => {
    const store = memoryMetaStore()
    const backup = {
      table: 'Orders-prod',
      arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders-prod/backup/01',
      op: 'deleteTable' as const,
    }
    const whileRunning: (MigrationRecord | undefined)[] = []
    const load: RunMigrationsOptions<{ name: string }>['load'] = async (m, hooks) => ({
      up: async () => {
        if (m.name !== '0002_add_x') return
        await hooks.onBackup(backup)
        whileRunning.push((await store.readRecords()).find((r) => r.name === m.name))
      },
      down: async () => {},
    })
    await runMigrations(options(store, load))
    const {
      finishedAt: _f,
      durationMs: _d,
      ...running
    } = written('0002_add_x', {
      status: 'running',
      backups: [backup],
    })
    expect(whileRunning).toStrictEqual([running])
    expect(await store.readRecords()).toStrictEqual([
      written('0001_tables'),
      written('0002_add_x', { backups: [backup] }),
      written('0003_backfill'),
    ])
  })
})
