import { describe, expect, test } from 'vitest'
import { acquireLock, readLock } from '../../../../src/engine/meta/lock.js'
import { DdbmError } from '../../../../src/errors.js'
import type { Event, LockEvent } from '../../../../src/events.js'
import { interruption } from '../../../../src/interrupt.js'
import { engineClient, engines } from '../../../helpers/engines.js'
import { metaTables } from '../../../helpers/meta-tables.js'

const engine = engines()[0]!

/** A monotonic clock that only moves when the waiter sleeps. */
function fakeClock() {
  let t = 0
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms
    },
  }
}

const lockEvents = (events: Event[]): LockEvent[] =>
  events.flatMap((e) => (e.kind === 'lock' ? [e] : []))

describe(`${engine.name}: a waiter's countdown`, () => {
  const client = engineClient(engine)
  const { metaTable } = metaTables(client, 'countdown_test')
  const HOLDER = 'ci@build-7 pid 42'

  async function stuckHolder(table: string, leaseMs: number): Promise<string> {
    const events: Event[] = []
    const lease = await acquireLock({
      client,
      table,
      holder: HOLDER,
      leaseMs,
      emit: (e) => events.push(e),
    })
    lease.stopHeartbeat()
    return lockEvents(events)[0]?.since ?? ''
  }

  test('a holder that stopped renewing: waiting, a countdown from half a lease every quarter lease, then the takeover', async () => {
    const table = await metaTable()
    const since = await stuckHolder(table, 20_000)
    const events: Event[] = []
    const lease = await acquireLock({
      client,
      table,
      holder: 'me@vm pid 1',
      emit: (e) => events.push(e),
      ...fakeClock(),
    })
    await lease.release()
    const lock = lockEvents(events)
    expect(lock.map((e) => e.status)).toStrictEqual([
      'waiting',
      'countdown',
      'countdown',
      'taken-over',
      'released',
    ])
    expect(lock[0]).toStrictEqual({
      kind: 'lock',
      status: 'waiting',
      holder: HOLDER,
      since,
      takeoverInMs: 20_000,
    })
    const [first, second] = lock.slice(1, 3) as [LockEvent, LockEvent]
    for (const [e, from] of [
      [first, 10_000],
      [second, 15_000],
    ] as const) {
      expect([e.holder, e.since]).toStrictEqual([HOLDER, since])
      expect(e.unrenewedMs).toBeGreaterThanOrEqual(from)
      // A poll is at most 1.25 s (1 s with jitter): the countdown is shown within one poll of its time.
      expect(e.unrenewedMs).toBeLessThan(from + 1_250)
      expect((e.unrenewedMs ?? 0) + (e.takeoverInMs ?? 0)).toBe(20_000)
    }
  })

  test('interrupted while counting down: nothing taken, the holder keeps the lock', async () => {
    const table = await metaTable()
    await stuckHolder(table, 20_000)
    const controller = new AbortController()
    const events: Event[] = []
    const err = await acquireLock({
      client,
      table,
      holder: 'me@vm pid 1',
      emit: (e) => {
        events.push(e)
        if (e.kind === 'lock' && e.status === 'countdown') controller.abort(interruption('SIGINT'))
      },
      signal: controller.signal,
      ...fakeClock(),
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DdbmError)
    const since = lockEvents(events)[0]?.since
    expect([(err as DdbmError).code, (err as DdbmError).message]).toStrictEqual([
      'INTERRUPTED',
      `Interrupted (SIGINT) while waiting for the migration lock in ${table} (held by ${HOLDER} since ${since}): nothing was changed`,
    ])
    expect(lockEvents(events).map((e) => e.status)).toStrictEqual(['waiting', 'countdown'])
    expect((await readLock(client, table))?.holder).toBe(HOLDER)
  })

  test('a holder that renews: `alive`, then waiting on until the timeout', async () => {
    const table = await metaTable()
    // A live holder: heartbeat every 500 ms of real time.
    const holder = await acquireLock({
      client,
      table,
      holder: HOLDER,
      leaseMs: 2_000,
      emit: () => {},
    })
    try {
      const events: Event[] = []
      const err = await acquireLock({
        client,
        table,
        holder: 'me@vm pid 1',
        waitTimeoutMs: 2_500,
        emit: (e) => events.push(e),
      }).catch((e: unknown) => e)
      expect((err as DdbmError).code).toBe('LOCK_HELD')
      const statuses = lockEvents(events).map((e) => e.status)
      expect(statuses.slice(0, 2)).toStrictEqual(['waiting', 'alive'])
      const alive = lockEvents(events)[1]
      expect(alive?.giveUpInMs).toBeGreaterThan(0)
      expect(alive?.giveUpInMs).toBeLessThanOrEqual(2_500)
      expect(statuses).not.toContain('taken-over')
    } finally {
      await holder.release()
    }
  })
})
