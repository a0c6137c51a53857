import { describe, expect, test } from 'vitest'
import { memoryMetaStore } from '../../../../src/engine/meta/memory-meta-store.js'
import type { MigrationRecord } from '../../../../src/engine/meta/meta-store.js'
import type { RunnableMigration } from '../../../../src/engine/runner/migrator.js'
import {
  runMigrations,
  type RunMigrationsOptions,
} from '../../../../src/engine/runner/run-migrations.js'
import { type DdbmError } from '../../../../src/errors.js'
import type { Event } from '../../../../src/events.js'
import { interruption } from '../../../../src/interrupt.js'
import { selectUp } from '../../../../src/plan/select.js'
import type { LoadedMigration } from '../../../../src/schema/load-migrations.js'

const NOW = Date.parse('2026-05-01T12:00:00.000Z')
const AT = new Date(NOW).toISOString()

function file(name: string): LoadedMigration {
  return {
    name,
    number: Number(name.slice(0, 4)),
    kind: 'ts',
    file: `migrations/${name}.ts`,
    absolutePath: `/project/migrations/${name}.ts`,
    checksum: `sum-${name}`,
  }
}

const FILES = [file('0001_tables'), file('0002_backfill'), file('0003_more')]

function record(name: string, extra: Partial<MigrationRecord> = {}): MigrationRecord {
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

/**
 * Fake migrations that append `name` to `ran` when they finish. `during` names the migration at whose start
 * the controller is aborted (Ctrl-C while it runs); with `honour` it then stops on the signal, as a
 * long migration checking ctx.signal would, else it runs to its end.
 */
function scenario(opts: { during?: string; honour?: boolean } = {}) {
  const controller = new AbortController()
  const ran: string[] = []
  const load = async (m: LoadedMigration): Promise<RunnableMigration> => ({
    up: async () => {
      if (m.name === opts.during) {
        controller.abort(interruption('SIGINT'))
        if (opts.honour === true) controller.signal.throwIfAborted()
      }
      ran.push(m.name)
    },
    down: async () => {},
  })
  return { controller, ran, load }
}

function options(
  store: ReturnType<typeof memoryMetaStore>,
  load: RunMigrationsOptions<{ name: string }>['load'],
  signal: AbortSignal | undefined,
  events: Event[] = [],
): RunMigrationsOptions<{ name: string }> {
  return {
    store,
    direction: 'up',
    migrations: FILES,
    select: (rows) => selectUp(rows, {}).map((name) => ({ name })),
    lock: { holder: 'tester@host pid 1', waitTimeoutMs: 60_000 },
    emit: (e) => events.push(e),
    appliedBy: 'tester@host',
    ddbmVersion: '9.9.9',
    load,
    now: () => NOW,
    ...(signal === undefined ? {} : { signal }),
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

describe('runMigrations stops at a safe point when its signal aborts', () => {
  test('a migration that stops on the signal is recorded interrupted; none after it starts; the lock is released', async () => {
    const store = memoryMetaStore()
    const { controller, ran, load } = scenario({ during: '0002_backfill', honour: true })
    const events: Event[] = []
    const err = await rejection(runMigrations(options(store, load, controller.signal, events)))
    expect([err.code, err.exitCode, err.message, err.details, err.hint]).toStrictEqual([
      'INTERRUPTED',
      130,
      'Interrupted (SIGINT) during migrate up: applied 0001_tables; 0002_backfill stopped in migrations/0002_backfill.ts, recorded as interrupted; not started: 0003_more',
      {
        signal: 'SIGINT',
        direction: 'up',
        applied: ['0001_tables'],
        interrupted: '0002_backfill',
        notStarted: ['0003_more'],
      },
      'Re-run `ddbm migrate up`: its steps converge, so it picks up where this run stopped.',
    ])
    expect(ran).toStrictEqual(['0001_tables'])
    expect(await store.readRecords()).toStrictEqual([
      record('0001_tables'),
      record('0002_backfill', {
        status: 'interrupted',
        error: 'Interrupted (SIGINT) in migrations/0002_backfill.ts',
      }),
    ])
    expect(await store.readLock()).toBeUndefined()
    expect(
      events.flatMap((e) => (e.kind === 'migration' ? [`${e.name} ${e.status}`] : [])),
    ).toStrictEqual([
      '0001_tables start',
      '0001_tables done',
      '0002_backfill start',
      '0002_backfill interrupted',
    ])
    expect(events.at(-1)).toStrictEqual({
      kind: 'lock',
      status: 'released',
      holder: 'tester@host pid 1',
    })

    // The next run treats it like a failed one: runs it again, then the rest.
    const next = scenario()
    await runMigrations(options(store, next.load, next.controller.signal))
    expect(next.ran).toStrictEqual(['0002_backfill', '0003_more'])
    expect((await store.readRecords()).map((r) => `${r.name} ${r.status}`)).toStrictEqual([
      '0001_tables applied',
      '0002_backfill applied',
      '0003_more applied',
    ])
  })

  test('a migration that does not look at the signal finishes and is applied; the next does not start', async () => {
    const store = memoryMetaStore()
    const { controller, ran, load } = scenario({ during: '0002_backfill' })
    const err = await rejection(runMigrations(options(store, load, controller.signal)))
    expect([err.code, err.message, err.details]).toStrictEqual([
      'INTERRUPTED',
      'Interrupted (SIGINT) during migrate up: applied 0001_tables, 0002_backfill; not started: 0003_more',
      {
        signal: 'SIGINT',
        direction: 'up',
        applied: ['0001_tables', '0002_backfill'],
        notStarted: ['0003_more'],
      },
    ])
    expect(ran).toStrictEqual(['0001_tables', '0002_backfill'])
    expect((await store.readRecords()).map((r) => `${r.name} ${r.status}`)).toStrictEqual([
      '0001_tables applied',
      '0002_backfill applied',
    ])
    expect(await store.readLock()).toBeUndefined()
  })

  test('interrupted during the last migration, which finishes: every one applied, still INTERRUPTED', async () => {
    const store = memoryMetaStore()
    const { controller, load } = scenario({ during: '0003_more' })
    const err = await rejection(runMigrations(options(store, load, controller.signal)))
    expect([err.code, err.message]).toStrictEqual([
      'INTERRUPTED',
      'Interrupted (SIGINT) during migrate up: applied 0001_tables, 0002_backfill, 0003_more',
    ])
    expect(await store.readLock()).toBeUndefined()
  })

  test('aborted before it starts: nothing is changed, not even the meta table', async () => {
    const store = memoryMetaStore()
    const controller = new AbortController()
    controller.abort(interruption('SIGTERM'))
    const err = await rejection(runMigrations(options(store, scenario().load, controller.signal)))
    expect([err.code, err.exitCode, err.message]).toStrictEqual([
      'INTERRUPTED',
      143,
      'Interrupted (SIGTERM) before migrate up started: nothing was changed',
    ])
    expect(await store.exists()).toBe(false)
  })

  test('aborted while waiting for another run’s lock: the wait ends at once, naming the holder', async () => {
    const store = memoryMetaStore({ records: [] })
    const other = await store.acquireLock({ holder: 'ci@build-9 pid 7', emit: () => {} })
    const controller = new AbortController()
    const events: Event[] = []
    const pending = rejection(
      runMigrations(options(store, scenario().load, controller.signal, events)),
    )
    await new Promise((r) => setTimeout(r, 30))
    controller.abort(interruption('SIGINT'))
    const err = await pending
    const since = (await store.readLock())?.since
    expect([err.code, err.message]).toStrictEqual([
      'INTERRUPTED',
      `Interrupted (SIGINT) while waiting for the migration lock in memory (held by ci@build-9 pid 7 since ${since}): nothing was changed`,
    ])
    expect(events.map((e) => e.kind === 'lock' && e.status)).toStrictEqual(['waiting'])
    expect((await store.readLock())?.owner).toBe(other.owner)
    expect(await store.readRecords()).toStrictEqual([])
  })
})
