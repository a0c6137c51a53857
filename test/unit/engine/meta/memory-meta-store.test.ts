import { describe, expect, test } from 'vitest'
import { memoryMetaStore } from '../../../../src/engine/meta/memory-meta-store.js'
import type { Event } from '../../../../src/events.js'
import { metaStoreContract, storedRecord } from '../../../helpers/meta-store-contract.js'

describe('memory meta store: the MetaStore contract', () => {
  metaStoreContract(() => memoryMetaStore(), { waitMs: 60 })
})

describe('memory meta store', () => {
  test('starts from the records given (the table then exists), copied in and out', async () => {
    const seeded = storedRecord('0001_a')
    const store = memoryMetaStore({ table: 'ddbm_migrations-t', records: [seeded] })
    expect(await store.exists()).toBe(true)
    seeded.status = 'failed'
    const read = await store.readRecords()
    expect(read).toStrictEqual([storedRecord('0001_a')])
    read[0]!.status = 'failed'
    expect(await store.readRecords()).toStrictEqual([storedRecord('0001_a')])
  })

  test('records and the lock need the table: AWS_FAILED before ensure', async () => {
    const store = memoryMetaStore({ table: 'm' })
    await expect(store.readRecords()).rejects.toMatchObject({
      code: 'AWS_FAILED',
      message: 'Could not read the migration records in m: the meta table does not exist',
    })
    await expect(store.acquireLock({ holder: 'A', emit: () => {} })).rejects.toMatchObject({
      code: 'AWS_FAILED',
    })
    expect(await store.exists()).toBe(false)
  })

  test('forceUnlock makes the holder lose its lease at once: warning, lost event, LOCK_LOST', async () => {
    const store = memoryMetaStore({ records: [] })
    const events: Event[] = []
    const lease = await store.acquireLock({ holder: 'A', emit: (e) => events.push(e) })
    lease.assertHeld()
    await store.forceUnlock()
    expect(lease.lost).toBe(true)
    expect(() => lease.assertHeld()).toThrow(
      expect.objectContaining({
        code: 'LOCK_LOST',
        message: 'This run (A) lost the migration lock in memory; another run may hold it now',
      }),
    )
    expect(events).toStrictEqual([
      { kind: 'lock', status: 'acquired', holder: 'A', since: expect.any(String) },
      {
        kind: 'log',
        level: 'warn',
        message: 'Lost the migration lock in memory: the lock was removed (migrate unlock)',
      },
      { kind: 'lock', status: 'lost', holder: 'A' },
    ])
  })
})
