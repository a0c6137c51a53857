import { randomUUID } from 'node:crypto'
import { DdbmError } from '../../errors.js'
import type { Emit } from '../../events.js'
import { interruptibleSleep, throwIfInterrupted } from '../../interrupt.js'
import {
  lockHeld,
  type EnvironmentRecord,
  type LockInfo,
  type MetaLease,
  type MetaStore,
  type MigrationRecord,
} from './meta-store.js'

const DEFAULT_LEASE_MS = 20_000
const DEFAULT_LOCK_WAIT_MS = 15 * 60_000
const POLL_MS = 10

export type MemoryMetaStoreOptions = {
  /** Name used in messages. Default `memory`. */
  table?: string
  /** Records the store starts with; giving any (even `[]`) means the table exists. */
  records?: readonly MigrationRecord[]
  /** The environment's identity the store starts with (the table then exists). */
  environment?: EnvironmentRecord
  /** Sleep between polls while waiting for the lock. Default setTimeout. */
  sleep?: (ms: number) => Promise<void>
  /** Monotonic clock in ms, for the lock wait. Default performance.now. */
  now?: () => number
}

type Held = { info: LockInfo; lease: MetaLease; markLost: (why: string) => void }

/**
 * A MetaStore held in this process's memory, with the semantics of the DynamoDB one: a table that must be
 * ensured before records or the lock are used (else AWS_FAILED), records sorted by name and copied in and
 * out, a lock held by one lease at a time (others wait, then LOCK_HELD naming the holder), and record
 * writes refused with LOCK_LOST unless the given lease still holds the lock (so not after its release or a
 * forceUnlock). A lease never expires by itself: no heartbeat can stop in one process.
 * For tests of the runner and for scripts; nothing is persisted.
 */
export function memoryMetaStore(opts: MemoryMetaStoreOptions = {}): MetaStore {
  const table = opts.table ?? 'memory'
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const now = opts.now ?? (() => performance.now())
  let exists = opts.records !== undefined || opts.environment !== undefined
  const records = new Map((opts.records ?? []).map((r) => [r.name, structuredClone(r)]))
  let environment = opts.environment === undefined ? undefined : { ...opts.environment }
  let held: Held | undefined

  const requireTable = (action: string): void => {
    if (!exists) {
      throw new DdbmError(
        'AWS_FAILED',
        `Could not ${action} in ${table}: the meta table does not exist`,
        { table },
      )
    }
  }
  const fenced = (name: string, lease: MetaLease): void => {
    requireTable(`write the migration record ${name}`)
    if (held?.info.owner !== lease.owner || lease.lost) {
      throw new DdbmError(
        'LOCK_LOST',
        `Migration record ${name} was not written: this run (${lease.holder}) no longer holds the lock in ${table}`,
        { table, name, holder: lease.holder },
      )
    }
  }

  const take = (holder: string, leaseMs: number, emit: Emit): Held => {
    const since = new Date().toISOString()
    const info: LockInfo = {
      holder,
      since,
      owner: randomUUID(),
      rvn: randomUUID(),
      leaseMs,
      heartbeatAt: since,
    }
    let lost = false
    let released: Promise<void> | undefined
    const lease: MetaLease = {
      owner: info.owner,
      holder,
      leaseMs,
      get lost() {
        return lost
      },
      assertHeld() {
        if (lost) {
          throw new DdbmError(
            'LOCK_LOST',
            `This run (${holder}) lost the migration lock in ${table}; another run may hold it now`,
            { holder, table },
          )
        }
      },
      release() {
        released ??= (async () => {
          if (held?.info.owner === info.owner) held = undefined
          emit({ kind: 'lock', status: 'released', holder })
        })()
        return released
      },
    }
    const markLost = (why: string): void => {
      if (lost) return
      lost = true
      emit({ kind: 'log', level: 'warn', message: `Lost the migration lock in ${table}: ${why}` })
      emit({ kind: 'lock', status: 'lost', holder })
    }
    return { info, lease, markLost }
  }

  return {
    table,
    async ensure() {
      const created = !exists
      exists = true
      return { created }
    },
    async exists() {
      return exists
    },
    async readRecords() {
      requireTable('read the migration records')
      return [...records.values()]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((r) => structuredClone(r))
    },
    async putRecord(record, lease) {
      fenced(record.name, lease)
      records.set(record.name, structuredClone(record))
    },
    async deleteRecord(name, lease) {
      fenced(name, lease)
      records.delete(name)
    },
    async readEnvironment() {
      return exists && environment !== undefined ? { ...environment } : undefined
    },
    async recordEnvironment(record) {
      requireTable('write the environment record')
      if (environment === undefined) environment = { ...record }
      else if (environment.name === record.name && record.protected) environment.protected = true
      return { ...environment }
    },
    async acquireLock({ holder, emit, signal, ...lock }) {
      requireTable('take the migration lock')
      throwIfInterrupted(
        signal,
        `before taking the migration lock in ${table}: nothing was changed`,
      )
      const leaseMs = lock.leaseMs ?? DEFAULT_LEASE_MS
      const waitTimeoutMs = lock.waitTimeoutMs ?? DEFAULT_LOCK_WAIT_MS
      const started = now()
      let announced: string | undefined
      for (;;) {
        if (held === undefined) {
          held = take(holder, leaseMs, emit)
          emit({ kind: 'lock', status: 'acquired', holder, since: held.info.since })
          return held.lease
        }
        const info = held.info
        if (info.owner !== announced) {
          emit({ kind: 'lock', status: 'waiting', holder: info.holder, since: info.since })
          announced = info.owner
        }
        const waited = now() - started
        if (waited >= waitTimeoutMs) {
          throw lockHeld(table, info, waited)
        }
        const what = `while waiting for the migration lock in ${table} (held by ${info.holder} since ${info.since}): nothing was changed`
        await interruptibleSleep(
          sleep,
          signal,
          what,
        )(Math.max(1, Math.min(POLL_MS, waitTimeoutMs - waited)))
      }
    },
    async readLock() {
      requireTable('read the migration lock')
      return held === undefined ? undefined : { ...held.info }
    },
    async forceUnlock() {
      requireTable('delete the migration lock')
      const removed = held
      held = undefined
      removed?.markLost('the lock was removed (migrate unlock)')
      return removed === undefined ? undefined : { ...removed.info }
    },
  }
}
