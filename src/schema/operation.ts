import { z } from 'zod'
import {
  AttributeDefinition,
  BillingMode,
  GlobalSecondaryIndex,
  OnDemandThroughput,
  PointInTimeRecoverySpecification,
  ProvisionedThroughput,
  SSESpecification,
  StreamSpecification,
  TableClass,
  TableSchema,
  Tag,
  TimeToLiveSpecification,
} from './table-schema.js'

/** A logical table name as migrations use it (the physical name comes from the environment's template). */
export const LogicalName = z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/)

/**
 * One step of a migration: the plan is data. Each operation carries everything it
 * needs, so a migration never depends on schemas/. The same union is the migration file format, the
 * `--dry-run` output and the test oracle.
 */
export const Operation = z.discriminatedUnion('op', [
  /** CreateTable with keys, LSIs, GSIs, billing, SSE, stream, class, protection and tags; TTL and PITR follow as their own calls. */
  z.strictObject({ op: z.literal('createTable'), table: LogicalName, definition: TableSchema }),
  /** DeleteTable (its data is gone; a protected environment needs --confirm-env and takes a backup first where supported). */
  z.strictObject({ op: z.literal('deleteTable'), table: LogicalName }),
  /** One GSI per UpdateTable, with the attribute definitions its keys need. */
  z.strictObject({
    op: z.literal('createGsi'),
    table: LogicalName,
    index: GlobalSecondaryIndex,
    attributeDefinitions: z.array(AttributeDefinition),
  }),
  /** The index name's rules (3-255 characters of [a-zA-Z0-9_.-]) are checked with the other rules. */
  z.strictObject({ op: z.literal('deleteGsi'), table: LogicalName, indexName: z.string() }),
  /** UpdateTimeToLive: enable on an attribute, or disable (AttributeName is still required by the API). */
  z.strictObject({ op: z.literal('updateTtl'), table: LogicalName, ttl: TimeToLiveSpecification }),
  /** UpdateContinuousBackups. */
  z.strictObject({
    op: z.literal('updatePitr'),
    table: LogicalName,
    pitr: PointInTimeRecoverySpecification,
  }),
  /** Billing mode switch with the throughput it needs (table and each GSI when PROVISIONED). */
  z.strictObject({
    op: z.literal('updateBilling'),
    table: LogicalName,
    billingMode: BillingMode,
    provisionedThroughput: ProvisionedThroughput.optional(),
    onDemandThroughput: OnDemandThroughput.optional(),
    indexes: z
      .array(
        z.strictObject({
          IndexName: z.string(),
          ProvisionedThroughput: ProvisionedThroughput.optional(),
          OnDemandThroughput: OnDemandThroughput.optional(),
        }),
      )
      .optional(),
  }),
  /** Enable a stream with its view type, or disable it (`stream: null`). */
  z.strictObject({
    op: z.literal('updateStream'),
    table: LogicalName,
    stream: StreamSpecification.nullable(),
  }),
  /** SSE must be the only change of its UpdateTable call. */
  z.strictObject({ op: z.literal('updateSse'), table: LogicalName, sse: SSESpecification }),
  z.strictObject({
    op: z.literal('updateDeletionProtection'),
    table: LogicalName,
    enabled: z.boolean(),
  }),
  z.strictObject({ op: z.literal('updateTableClass'), table: LogicalName, tableClass: TableClass }),
  z.strictObject({ op: z.literal('tag'), table: LogicalName, tags: z.array(Tag).min(1) }),
  z.strictObject({ op: z.literal('untag'), table: LogicalName, keys: z.array(z.string()).min(1) }),
])
export type Operation = z.infer<typeof Operation>
export type OperationKind = Operation['op']
/** The operation of a given kind. */
export type OperationOf<K extends OperationKind> = Extract<Operation, { op: K }>

/** Every operation kind, in the order of the `Operation` union. */
export const OPERATION_KINDS: readonly OperationKind[] = Operation.options.map(
  (o) => o.shape.op.value,
)

/**
 * One handler per operation kind, each taking the operation of its kind (then `Args`) and returning `R`.
 * A map of this type lists every kind, so a new kind in `Operation` fails to compile until each map has
 * its entry.
 */
export type PerKind<Args extends unknown[], R> = {
  readonly [K in OperationKind]: (op: OperationOf<K>, ...args: Args) => R
}

/** Calls the handler of `op`'s kind in `map` with `op` and `args`, and returns what it returns. */
export function dispatch<K extends OperationKind, Args extends unknown[], R>(
  map: PerKind<Args, R>,
  op: OperationOf<K>,
  ...args: Args
): R {
  const handler = map[op.op]
  return handler(op, ...args)
}

/**
 * migrations/NNNN_name.json, format version 1: explicit `up` and `down` lists. `down` undoes `up`; it is
 * empty only when `up` is, or when `irreversible` is true (then `migrate down` refuses to revert it).
 */
export const MigrationFile = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1),
  description: z.string().optional(),
  /** What a reviewer should know (an index rebuilt, a table recreated without its data...). */
  notes: z.array(z.string()).optional(),
  /** True when `up` cannot be undone: `down` stays empty and `migrate down` refuses this migration. */
  irreversible: z.boolean().optional(),
  up: z.array(Operation),
  down: z.array(Operation),
})
export type MigrationFile = z.infer<typeof MigrationFile>

/**
 * Whether an operation destroys data, an index or a safeguard, per kind: deleting a table or a GSI, and
 * turning point-in-time recovery or deletion protection off. A protected environment refuses these unless
 * confirmed by its name (docs/protected-environments.md).
 */
export const DESTRUCTIVE_BY_KIND: PerKind<[], boolean> = {
  createTable: () => false,
  deleteTable: () => true,
  createGsi: () => false,
  deleteGsi: () => true,
  updateTtl: () => false,
  updatePitr: (op) => !op.pitr.PointInTimeRecoveryEnabled,
  updateBilling: () => false,
  updateStream: () => false,
  updateSse: () => false,
  updateDeletionProtection: (op) => !op.enabled,
  updateTableClass: () => false,
  tag: () => false,
  untag: () => false,
}

/** True when `op` is destructive (DESTRUCTIVE_BY_KIND). */
export function isDestructive(op: Operation): boolean {
  return dispatch(DESTRUCTIVE_BY_KIND, op)
}

/** JSON Schema of migration files, for editors. */
export function migrationJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(MigrationFile, { io: 'input' }) as Record<string, unknown>
}
