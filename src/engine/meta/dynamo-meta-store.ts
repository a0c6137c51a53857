import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { readEnvironment, recordEnvironment } from './environment-record.js'
import { acquireLock, forceUnlock, readLock } from './lock.js'
import { ensureMetaTable, metaTableExists, type EnsureMetaTableOptions } from './meta-table.js'
import type { MetaStore } from './meta-store.js'
import { deleteRecord, putRecord, readRecords } from './records.js'

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
    ensure: () => ensureMetaTable(client, table, opts.ensure),
    exists: () => metaTableExists(client, table),
    readRecords: () => readRecords(client, table),
    putRecord: (record, lease) => putRecord(client, table, record, lease),
    deleteRecord: (name, lease) => deleteRecord(client, table, name, lease),
    readEnvironment: () => readEnvironment(client, table),
    recordEnvironment: (record) => recordEnvironment(client, table, record),
    acquireLock: (lock) =>
      acquireLock({
        client,
        table,
        ...lock,
        ...(opts.sleep === undefined ? {} : { sleep: opts.sleep }),
      }),
    readLock: () => readLock(client, table),
    forceUnlock: () => forceUnlock(client, table),
  }
}
