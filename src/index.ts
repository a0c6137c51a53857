/** The typed library API of ddbm: everything the CLI does, for test suites and scripts. */
export * from './api/index.js'
export { DdbmError, ERRORS, isDdbmError, type ErrorCode } from './errors.js'
export type { Event, Emit } from './events.js'
export type { Issue } from './schema/issues.js'
export type { MigrationContext } from './engine/runner/migration-context.js'
export type { BackfillSpec, BackfillAction, RateSpec } from './backfill/spec.js'
export type { BackfillResult } from './engine/backfill/run-backfill.js'
export type {
  ExpressionOptions,
  GetOptions,
  Item,
  QueryOptions,
  ScanOptions,
  UpdateOptions,
  UpdateResult,
  WriteOptions,
} from './engine/runner/item-ops.js'
export type {
  AcquireLockOptions,
  EnvironmentRecord,
  LockInfo,
  MetaLease,
  MetaStore,
  MigrationRecord,
} from './engine/meta/meta-store.js'
export { memoryMetaStore, type MemoryMetaStoreOptions } from './engine/meta/memory-meta-store.js'
export { dynamoMetaStore, type DynamoMetaStoreOptions } from './engine/meta/dynamo-meta-store.js'
export type { BackupRecord, StatusRow, MigrationState } from './plan/history.js'
// `Item` (above) is also the item type of seeds: both are Record<string, unknown>.
export {
  defineSeed,
  SEED_REFERENCE_DATE,
  type LoadedSeed,
  type SeedContext,
  type SeedCount,
  type SeedDefinition,
} from './seed/define-seed.js'
export { TableSchema } from './schema/table-schema.js'
export { Operation, MigrationFile } from './schema/operation.js'
export { ConfigFile } from './config/config-file.js'
export { physicalName, logicalName } from './config/table-names.js'
export { VERSION } from './version.js'
