import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { expect, test, vi } from 'vitest'
import { acquireLock, forceUnlock, readLock, type Lease } from '../../../../src/engine/meta/lock.js'
import {
  putRecord,
  readRecords,
  type MigrationRecord,
} from '../../../../src/engine/meta/records.js'
import { DdbmError } from '../../../../src/errors.js'
import type { Event } from '../../../../src/events.js'
import { engineClient, engines, describeOn } from '../../../helpers/engines.js'
import { metaTables } from '../../../helpers/meta-tables.js'

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

function record(name: string): MigrationRecord {
  return {
    name,
    checksum: 'c0ffee',
    status: 'applied',
    startedAt: '2026-01-01T00:00:00.000Z',
    appliedBy: 'test@host pid 1',
    ddbmVersion: '0.1.0',
    runId: 'run-1',
  }
}

const lockStatuses = (events: Event[]) =>
  events.flatMap((e) => (e.kind === 'lock' ? [`${e.status}:${e.holder}`] : []))

for (const engine of engines()) {
  describeOn(engine, `${engine.name}: lease lock`, () => {
    const client = engineClient(engine)
    const { metaTable } = metaTables(client, 'lock_test')

    test('acquire, read, release (twice)', async () => {
      const table = await metaTable()
      const events: Event[] = []
      const lease = await acquireLock({
        client,
        table,
        holder: 'a@host pid 1',
        emit: (e) => events.push(e),
      })
      const info = await readLock(client, table)
      expect(info).toMatchObject({ holder: 'a@host pid 1', owner: lease.owner, leaseMs: 20_000 })
      expect(info?.since).toMatch(/^\d{4}-\d\d-\d\dT/)
      expect(lease.fence()).toStrictEqual({
        TableName: table,
        Key: { pk: { S: 'lock' } },
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': { S: lease.owner } },
      })
      lease.assertHeld()
      await lease.release()
      await lease.release()
      expect(await readLock(client, table)).toBeUndefined()
      expect(lockStatuses(events)).toStrictEqual(['acquired:a@host pid 1', 'released:a@host pid 1'])
    })

    test('a second acquirer waits while the first heartbeats, and gets it after release', async () => {
      const table = await metaTable()
      const a = await acquireLock({ client, table, holder: 'A', leaseMs: 1_500, emit: () => {} })
      const events: Event[] = []
      let got: Lease | undefined
      const waiting = acquireLock({
        client,
        table,
        holder: 'B',
        leaseMs: 1_500,
        waitTimeoutMs: 20_000,
        emit: (e) => events.push(e),
      }).then((l) => (got = l))
      const rvnBefore = (await readLock(client, table))?.rvn
      await sleep(4_000) // > 2 leases: only heartbeats keep A's lock
      expect(got).toBeUndefined()
      expect(a.lost).toBe(false)
      expect((await readLock(client, table))?.rvn).not.toBe(rvnBefore)
      await a.release()
      const b = await waiting
      // A renews while B waits: B says so once (alive), then takes the released lock.
      expect(lockStatuses(events)).toStrictEqual(['waiting:A', 'alive:A', 'acquired:B'])
      expect((await readLock(client, table))?.owner).toBe(b.owner)
      await b.release()
    })

    test('a holder that stops heartbeating is taken over; its fenced writes then fail', async () => {
      const table = await metaTable()
      const aEvents: Event[] = []
      const a = await acquireLock({
        client,
        table,
        holder: 'A',
        leaseMs: 600,
        emit: (e) => aEvents.push(e),
      })
      a.stopHeartbeat()
      const events: Event[] = []
      const t0 = performance.now()
      const b = await acquireLock({
        client,
        table,
        holder: 'B',
        leaseMs: 600,
        waitTimeoutMs: 10_000,
        emit: (e) => events.push(e),
      })
      expect(performance.now() - t0).toBeGreaterThanOrEqual(600)
      expect(lockStatuses(events)).toStrictEqual(['waiting:A', 'taken-over:A'])

      const err = await putRecord(client, table, record('0001_stale'), a).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(DdbmError)
      expect((err as DdbmError).code).toBe('LOCK_LOST')
      await putRecord(client, table, record('0002_fresh'), b)
      expect((await readRecords(client, table)).map((r) => r.name)).toStrictEqual(['0002_fresh'])

      // A's release must not delete B's lock.
      await a.release()
      expect((await readLock(client, table))?.owner).toBe(b.owner)
      await b.release()
    })

    test('the old holder learns at its next heartbeat that it lost the lock', async () => {
      const table = await metaTable()
      const events: Event[] = []
      const a = await acquireLock({
        client,
        table,
        holder: 'A',
        leaseMs: 400,
        emit: (e) => events.push(e),
      })
      expect((await forceUnlock(client, table))?.holder).toBe('A')
      const b = await acquireLock({ client, table, holder: 'B', leaseMs: 10_000, emit: () => {} })
      // Its next heartbeat is due within a quarter lease (100 ms); a busy machine may run it later.
      await vi.waitFor(() => expect(a.lost).toBe(true), { timeout: 5_000, interval: 50 })
      expect(() => a.assertHeld()).toThrow(expect.objectContaining({ code: 'LOCK_LOST' }))
      expect(lockStatuses(events)).toStrictEqual(['acquired:A', 'lost:A'])
      await a.release()
      expect((await readLock(client, table))?.owner).toBe(b.owner)
      await b.release()
    })

    test('gives up with LOCK_HELD (exit 4) naming the holder after waitTimeoutMs', async () => {
      const table = await metaTable()
      const a = await acquireLock({
        client,
        table,
        holder: 'ci@runner-7 pid 42',
        // Longer than B's wait: B must give up even if A's heartbeats run late on a busy machine.
        leaseMs: 5_000,
        emit: () => {},
      })
      try {
        const t0 = performance.now()
        const err = await acquireLock({
          client,
          table,
          holder: 'B',
          leaseMs: 600,
          waitTimeoutMs: 1_500,
          emit: () => {},
        }).catch((e: unknown) => e)
        expect(performance.now() - t0).toBeGreaterThanOrEqual(1_400)
        expect(err).toBeInstanceOf(DdbmError)
        const e = err as DdbmError
        expect(e.code).toBe('LOCK_HELD')
        expect(e.exitCode).toBe(4)
        expect(e.message).toContain('held by ci@runner-7 pid 42 since ')
        expect(e.details).toMatchObject({ holder: 'ci@runner-7 pid 42' })
        expect(e.details?.since).toBe((await readLock(client, table))?.since)
      } finally {
        await a.release()
      }
    })

    test('6 concurrent runs each increment a counter only while holding the lock', async () => {
      const table = await metaTable()
      const counterKey = { pk: { S: 'counter' } }
      const spans: { enter: number; exit: number }[] = []
      const run = async (i: number) => {
        const lease = await acquireLock({
          client,
          table,
          holder: `run-${i}`,
          // Long enough that a loaded CI machine's late heartbeat cannot lose it: no run dies here.
          leaseMs: 5_000,
          waitTimeoutMs: 45_000,
          emit: () => {},
        })
        try {
          const enter = performance.now()
          const got = await client.send(
            new GetItemCommand({ TableName: table, Key: counterKey, ConsistentRead: true }),
          )
          const n = Number(got.Item?.n?.N ?? '0')
          await sleep(30)
          await client.send(
            new PutItemCommand({
              TableName: table,
              Item: { ...counterKey, n: { N: String(n + 1) } },
              ConditionExpression: 'attribute_not_exists(pk) OR n = :n',
              ExpressionAttributeValues: { ':n': { N: String(n) } },
            }),
          )
          lease.assertHeld()
          spans.push({ enter, exit: performance.now() })
        } finally {
          await lease.release()
        }
      }
      await Promise.all([0, 1, 2, 3, 4, 5].map(run))
      const final = await client.send(
        new GetItemCommand({ TableName: table, Key: counterKey, ConsistentRead: true }),
      )
      expect(final.Item?.n?.N).toBe('6')
      spans.sort((x, y) => x.enter - y.enter)
      for (let i = 1; i < spans.length; i++) {
        expect(spans[i]!.enter).toBeGreaterThanOrEqual(spans[i - 1]!.exit)
      }
      expect(await readLock(client, table)).toBeUndefined()
    })
  })
}
