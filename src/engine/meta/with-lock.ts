import type { AcquireLockOptions, MetaLease, MetaStore, MigrationRecord } from './meta-store.js'

/**
 * Creates the meta table if needed (race-safe), takes the lock (waiting up to `lock.waitTimeoutMs`), runs
 * `fn` with the lease and the records read *after* getting the lock (a run that waited sees what the winner
 * did), and releases the lock in `finally`, whatever `fn` did.
 */
export async function withLock<T>(
  store: MetaStore,
  lock: AcquireLockOptions,
  fn: (lease: MetaLease, records: MigrationRecord[]) => Promise<T>,
): Promise<T> {
  await store.ensure()
  const lease = await store.acquireLock(lock)
  try {
    return await fn(lease, await store.readRecords())
  } finally {
    await lease.release()
  }
}
