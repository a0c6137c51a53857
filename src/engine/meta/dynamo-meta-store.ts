import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { EnsureMetaTableOptions } from './meta-table.js'
import type { MetaStore } from './meta-store.js'

// The modules behind the store hold the AWS SDK's commands: each is loaded on its first use, so that
// creating a store (and importing ddbm) costs nothing until the store is used.
const environmentRecord = () => import('./environment-record.js')
const lock = () => import('./lock.js')
const metaTable = () => import('./meta-table.js')
const records = () => import('./records.js')
const backfills = () => import('../backfill/dynamo-backfill-store.js')

export type DynamoMetaStoreOptions = {
  client: DynamoDBClient
  /** Physical name of the meta table. */
  table: string
  /** How `ensure()` waits for the table to be ACTIVE (tests pass an instant sleep). */
  ensure?: EnsureMetaTableOptions
  /** Sleep between polls while waiting for the lock. Default setTimeout. */
  sleep?: (ms: number) => Promise<void>
}

/**
 * The meta store in the DynamoDB table `table` (layout in meta-table.ts): records and the environment's
 * identity (environment-record.ts) are items, the lock is a
 * lease item renewed by a heartbeat (lock.ts, lease.ts), and every record write is a transaction conditioned
 * on the lease still owning the lock item. A waiter takes a lock over only after seeing it unrenewed for a
 * whole lease on its own monotonic clock.
 */
export function dynamoMetaStore(opts: DynamoMetaStoreOptions): MetaStore {
  const { client, table } = opts
  return {
    table,
    ensure: async () => (await metaTable()).ensureMetaTable(client, table, opts.ensure),
    exists: async () => (await metaTable()).metaTableExists(client, table),
    readRecords: async () => (await records()).readRecords(client, table),
    putRecord: async (record, lease) => (await records()).putRecord(client, table, record, lease),
    deleteRecord: async (name, lease) => (await records()).deleteRecord(client, table, name, lease),
    readEnvironment: async () => (await environmentRecord()).readEnvironment(client, table),
    recordEnvironment: async (record) =>
      (await environmentRecord()).recordEnvironment(client, table, record),
    acquireLock: async (options) =>
      (await lock()).acquireLock({
        client,
        table,
        ...options,
        ...(opts.sleep === undefined ? {} : { sleep: opts.sleep }),
      }),
    readLock: async () => (await lock()).readLock(client, table),
    forceUnlock: async () => (await lock()).forceUnlock(client, table),
    backfills: async () => (await backfills()).dynamoBackfillStore(client, table),
  }
}
