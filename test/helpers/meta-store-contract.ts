import { expect, test } from 'vitest'
import type {
  EnvironmentRecord,
  MetaLease,
  MetaStore,
  MigrationRecord,
} from '../../src/engine/meta/meta-store.js'
import type { DdbmError } from '../../src/errors.js'
import type { Event } from '../../src/events.js'
import { testUnless } from './engines.js'

/** A record with every field, as the runner writes them. */
export function storedRecord(name: string, extra: Partial<MigrationRecord> = {}): MigrationRecord {
  return {
    name,
    checksum: `sum-${name}`,
    status: 'applied',
    startedAt: '2026-03-02T10:00:00.000Z',
    appliedBy: 'ci@build-417',
    ddbmVersion: '0.1.0',
    runId: 'run-1',
    ...extra,
  }
}

/** An environment identity as the api writes it. */
export function identity(name: string, extra: Partial<EnvironmentRecord> = {}): EnvironmentRecord {
  return {
    name,
    protected: false,
    createdAt: '2026-03-02T10:00:00.000Z',
    createdBy: 'ci@build-417',
    ...extra,
  }
}

const lockEvents = (events: Event[]) =>
  events.flatMap((e) => (e.kind === 'lock' ? [`${e.status}:${e.holder}`] : []))

async function rejection(p: Promise<unknown>): Promise<DdbmError> {
  return p.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e as DdbmError,
  )
}

/**
 * The behaviour every MetaStore must have, as vitest tests in the calling describe block. `fresh()` gives
 * a store whose meta table does not exist yet (and that the caller cleans up). `waitMs` is a lock wait
 * long enough for the implementation to poll a few times.
 */
export function metaStoreContract(
  fresh: () => MetaStore,
  opts: {
    waitMs: number
    /** Why the store's engine cannot hold racing writers apart (the race test is then skipped). */
    racesUnsupported?: string
  },
): void {
  const { waitMs } = opts
  const quiet = () => {}

  test('ensure creates the table once (5 at the same time), then is idempotent', async () => {
    const store = fresh()
    expect(await store.exists()).toBe(false)
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => store.ensure()))
    expect(results.filter((r) => r.created).length).toBeLessThanOrEqual(1)
    expect(await store.ensure()).toStrictEqual({ created: false })
    expect(await store.exists()).toBe(true)
    expect(await store.readRecords()).toStrictEqual([])
    expect(await store.readLock()).toBeUndefined()
  })

  test('records round-trip sorted by name; a replaced record drops fields; deleting none is fine', async () => {
    const store = fresh()
    await store.ensure()
    const lease = await store.acquireLock({ holder: 't', emit: quiet })
    try {
      const failed = storedRecord('0002_b', {
        status: 'failed',
        finishedAt: '2026-03-02T10:00:05.000Z',
        durationMs: 5000,
        error: 'boom',
      })
      await store.putRecord(failed, lease)
      await store.putRecord(storedRecord('0001_a', { status: 'running' }), lease)
      expect(await store.readRecords()).toStrictEqual([
        storedRecord('0001_a', { status: 'running' }),
        failed,
      ])
      await store.putRecord(storedRecord('0002_b'), lease)
      await store.deleteRecord('0001_a', lease)
      await store.deleteRecord('0009_missing', lease)
      expect(await store.readRecords()).toStrictEqual([storedRecord('0002_b')])
    } finally {
      await lease.release()
    }
  })

  test('records keep the backups taken before deletions, in order', async () => {
    const store = fresh()
    await store.ensure()
    const lease = await store.acquireLock({ holder: 't', emit: quiet })
    try {
      const record = storedRecord('0003_drop', {
        backups: [
          {
            table: 'Orders-prod',
            arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders-prod/backup/01',
            op: 'deleteGsi',
            index: 'byStatus',
          },
          {
            table: 'Legacy-prod',
            arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Legacy-prod/backup/02',
            op: 'deleteTable',
          },
        ],
      })
      await store.putRecord(record, lease)
      expect(await store.readRecords()).toStrictEqual([record])
    } finally {
      await lease.release()
    }
  })

  test('the environment identity: none before, the first writer wins, protection only rises', async () => {
    const store = fresh()
    expect(await store.readEnvironment()).toBeUndefined()
    await store.ensure()
    expect(await store.readEnvironment()).toBeUndefined()
    expect(await store.recordEnvironment(identity('prod'))).toStrictEqual(identity('prod'))
    expect(await store.readEnvironment()).toStrictEqual(identity('prod'))
    // Another name never replaces it; the answer is what is stored.
    expect(
      await store.recordEnvironment(identity('dev', { protected: true, createdBy: 'me@laptop' })),
    ).toStrictEqual(identity('prod'))
    // The same name raises protection, keeping when and by whom it was first recorded...
    const raised = identity('prod', { protected: true })
    expect(
      await store.recordEnvironment(identity('prod', { protected: true, createdBy: 'later' })),
    ).toStrictEqual(raised)
    // ...and nothing lowers it.
    expect(await store.recordEnvironment(identity('prod'))).toStrictEqual(raised)
    expect(await store.readEnvironment()).toStrictEqual(raised)
    // The identity is neither a migration record nor the lock.
    expect(await store.readRecords()).toStrictEqual([])
    expect(await store.readLock()).toBeUndefined()
  })

  testUnless(
    opts.racesUnsupported,
    'the environment identity: of 5 racing writers one wins, and all get its record',
    async () => {
      const store = fresh()
      await store.ensure()
      const names = ['a', 'b', 'c', 'd', 'e']
      const answers = await Promise.all(names.map((n) => store.recordEnvironment(identity(n))))
      const winner = await store.readEnvironment()
      expect(names).toContain(winner?.name)
      expect(answers).toStrictEqual(names.map(() => winner))
    },
  )

  test('one holder at a time: another waits, then gives up with LOCK_HELD naming the holder', async () => {
    const store = fresh()
    await store.ensure()
    const a = await store.acquireLock({ holder: 'ci@runner-7 pid 42', emit: quiet })
    try {
      const events: Event[] = []
      const t0 = performance.now()
      const err = await rejection(
        store.acquireLock({ holder: 'B', waitTimeoutMs: waitMs, emit: (e) => events.push(e) }),
      )
      expect(performance.now() - t0).toBeGreaterThanOrEqual(waitMs - 50)
      expect([err.code, err.exitCode]).toStrictEqual(['LOCK_HELD', 4])
      const info = await store.readLock()
      expect(err.message).toContain(`held by ci@runner-7 pid 42 since ${info?.since}`)
      expect(err.details).toMatchObject({ holder: 'ci@runner-7 pid 42', since: info?.since })
      expect(lockEvents(events)).toStrictEqual(['waiting:ci@runner-7 pid 42'])
      expect(info?.owner).toBe(a.owner)
    } finally {
      await a.release()
    }
  })

  test('a waiter gets the lock once the holder releases it; release is idempotent', async () => {
    const store = fresh()
    await store.ensure()
    const events: Event[] = []
    const emit = (e: Event) => events.push(e)
    const a = await store.acquireLock({ holder: 'A', emit })
    let b: MetaLease | undefined
    const waiting = store
      .acquireLock({ holder: 'B', waitTimeoutMs: 20_000, emit })
      .then((l) => (b = l))
    await new Promise((r) => setTimeout(r, waitMs))
    expect(b).toBeUndefined()
    await a.release()
    await a.release()
    await waiting
    expect((await store.readLock())?.owner).toBe(b?.owner)
    await b?.release()
    expect(await store.readLock()).toBeUndefined()
    expect(lockEvents(events)).toStrictEqual([
      'acquired:A',
      'waiting:A',
      'released:A',
      'acquired:B',
      'released:B',
    ])
  })

  test('fenced writes are refused with LOCK_LOST once the lease is released or force-unlocked', async () => {
    const store = fresh()
    await store.ensure()
    const a = await store.acquireLock({ holder: 'A', emit: quiet })
    await store.putRecord(storedRecord('0001_a'), a)
    await a.release()
    const afterRelease = await rejection(store.putRecord(storedRecord('0002_b'), a))
    expect([afterRelease.code, afterRelease.message]).toStrictEqual([
      'LOCK_LOST',
      `Migration record 0002_b was not written: this run (A) no longer holds the lock in ${store.table}`,
    ])
    expect((await rejection(store.deleteRecord('0001_a', a))).code).toBe('LOCK_LOST')

    const b = await store.acquireLock({ holder: 'B', emit: quiet })
    expect(await store.forceUnlock()).toMatchObject({ holder: 'B', owner: b.owner })
    expect((await rejection(store.putRecord(storedRecord('0003_c'), b))).code).toBe('LOCK_LOST')
    expect(await store.readLock()).toBeUndefined()

    // A lease of another holder does not fence this one's writes either.
    const c = await store.acquireLock({ holder: 'C', emit: quiet })
    const foreign: MetaLease = { ...c, owner: 'someone-else', holder: 'X' }
    expect((await rejection(store.putRecord(storedRecord('0004_d'), foreign))).code).toBe(
      'LOCK_LOST',
    )
    await c.release()
    await b.release()
    expect(await store.readRecords()).toStrictEqual([storedRecord('0001_a')])
  })

  test('forceUnlock returns what it removed, or undefined when nobody holds the lock', async () => {
    const store = fresh()
    await store.ensure()
    expect(await store.forceUnlock()).toBeUndefined()
    const a = await store.acquireLock({ holder: 'A', leaseMs: 60_000, emit: quiet })
    const removed = await store.forceUnlock()
    expect(removed).toMatchObject({ holder: 'A', owner: a.owner, leaseMs: 60_000 })
    expect(removed?.since).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(await store.readLock()).toBeUndefined()
    await a.release() // already gone: fine
    expect(await store.readLock()).toBeUndefined()
  })
}
