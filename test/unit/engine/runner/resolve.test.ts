import { describe, expect, test } from 'vitest'
import { memoryMetaStore } from '../../../../src/engine/meta/memory-meta-store.js'
import type { MetaStore, MigrationRecord } from '../../../../src/engine/meta/meta-store.js'
import { resolveMigration, type ResolveOptions } from '../../../../src/engine/runner/resolve.js'
import type { Event } from '../../../../src/events.js'

const NOW = Date.parse('2026-05-01T12:00:00.000Z')
const AT = new Date(NOW).toISOString()

const FILES = [
  { name: '0001_tables', checksum: 'sum-0001' },
  { name: '0002_add_x', checksum: 'sum-0002' },
]

const failed: MigrationRecord = {
  name: '0002_add_x',
  checksum: 'sum-0002-before-the-fix',
  status: 'failed',
  startedAt: '2026-04-01T08:00:00.000Z',
  finishedAt: '2026-04-01T08:00:03.000Z',
  durationMs: 3000,
  appliedBy: 'ci@build-417',
  ddbmVersion: '0.1.0',
  runId: 'run-0',
  error: 'step 2/3 (...) failed: boom',
}

function resolve(store: MetaStore, name: string, as: ResolveOptions['as'], events: Event[] = []) {
  return resolveMigration({
    store,
    migrations: FILES,
    name,
    as,
    lock: { holder: 'tester@host pid 1' },
    emit: (e) => events.push(e),
    appliedBy: 'tester@host',
    ddbmVersion: '9.9.9',
    now: () => NOW,
  })
}

describe('resolveMigration', () => {
  test('--applied turns a failed record into an applied one with the file checksum, under the lock', async () => {
    const store = memoryMetaStore({ records: [failed] })
    const events: Event[] = []
    expect(await resolve(store, '0002_add_x', 'applied', events)).toStrictEqual({
      name: '0002_add_x',
      status: 'applied',
    })
    expect(await store.readRecords()).toStrictEqual([
      {
        name: '0002_add_x',
        checksum: 'sum-0002',
        status: 'applied',
        startedAt: '2026-04-01T08:00:00.000Z',
        finishedAt: AT,
        appliedBy: 'tester@host (resolve --applied)',
        ddbmVersion: '9.9.9',
        runId: expect.any(String),
      },
    ])
    expect(events.map((e) => (e.kind === 'lock' ? e.status : e.kind))).toStrictEqual([
      'acquired',
      'released',
    ])
    expect(await store.readLock()).toBeUndefined()

    // Already applied with this checksum: nothing is written again.
    const before = await store.readRecords()
    await resolve(store, '0002_add_x', 'applied')
    expect(await store.readRecords()).toStrictEqual(before)
  })

  test('--applied on a migration never run records it, creating the meta table if needed', async () => {
    const store = memoryMetaStore()
    await resolve(store, '0001_tables', 'applied')
    expect(await store.readRecords()).toStrictEqual([
      {
        name: '0001_tables',
        checksum: 'sum-0001',
        status: 'applied',
        startedAt: AT,
        finishedAt: AT,
        appliedBy: 'tester@host (resolve --applied)',
        ddbmVersion: '9.9.9',
        runId: expect.any(String),
      },
    ])
  })

  test('--rolled-back removes the record, so the next up runs it again', async () => {
    const store = memoryMetaStore({ records: [failed] })
    expect(await resolve(store, '0002_add_x', 'rolled-back')).toStrictEqual({
      name: '0002_add_x',
      status: 'rolled-back',
    })
    expect(await store.readRecords()).toStrictEqual([])
  })

  test('refuses (USAGE) to roll back what has no record, or to apply what has no file', async () => {
    const store = memoryMetaStore({ records: [] })
    await expect(resolve(store, '0001_tables', 'rolled-back')).rejects.toMatchObject({
      code: 'USAGE',
      message: '0001_tables has no record: there is nothing to roll back',
    })
    await expect(resolve(store, '0009_gone', 'applied')).rejects.toMatchObject({
      code: 'USAGE',
      message: 'No migration file named 0009_gone',
    })
    expect(await store.readRecords()).toStrictEqual([])
    expect(await store.readLock()).toBeUndefined()
  })
})
