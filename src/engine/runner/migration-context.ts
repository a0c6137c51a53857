import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import type { BackfillSpec } from '../../backfill/spec.js'
import { DdbmError } from '../../errors.js'
import type { Emit } from '../../events.js'
import type { BackfillResult } from '../backfill/run-backfill.js'
import { itemOps, type ItemOps } from './item-ops.js'

/**
 * What a `.ts` migration's `up(ctx)` / `down(ctx)` receives: everything a data change (a backfill) needs,
 * so a migration imports nothing but `type { MigrationContext } from 'ddbm'` and works in projects that do
 * not list the AWS SDK as a dependency. The item operations (`get`, `put`, `update`, `delete`, `scan`,
 * `query`, `putItems`, `deleteItems`) take LOGICAL table names and plain JS items; see their docs.
 *
 * A migration must converge: a failed run is run again from the start. Write each change so that applying
 * it twice gives the same result, e.g. `update` with a `condition` saying the change is still to be made
 * and `ifConditionFails: 'skip'`.
 */
export type MigrationContext = ItemOps & {
  /** The environment's DynamoDB client, for calls the helpers do not cover (import the SDK yourself then). */
  client: DynamoDBClient
  /** The environment's name (`local`, `dev`, ...). */
  env: string
  /** The physical name of a logical table in this environment. */
  tableName(logical: string): string
  /** Writes an info line to the run's output (stderr of the CLI). */
  log(message: string): void
  /** `marshall` of `@aws-sdk/util-dynamodb`: plain JS → DynamoDB attribute values. */
  marshall: typeof marshall
  /** `unmarshall` of `@aws-sdk/util-dynamodb`: DynamoDB attribute values → plain JS. */
  unmarshall: typeof unmarshall
  /**
   * Aborted when the run is interrupted (Ctrl-C, SIGTERM). The runner lets a running migration finish;
   * a long one may stop early at a point of its choosing, e.g. `ctx.signal.throwIfAborted()` between
   * batches, and is then recorded `interrupted` and run again from the start by the next `migrate up`.
   */
  signal: AbortSignal
  /**
   * Runs a backfill (docs/backfills.md): a parallel scan of a table or GSI whose items go through
   * `transform`, paced by `rate`, checkpointed per segment in the meta table so that a run that dies
   * resumes where it stopped, and joinable by `ddbm migrate worker` processes. Resolves once every segment
   * is done, with the counts.
   */
  backfill(spec: BackfillSpec): Promise<BackfillResult>
  /**
   * Who runs `up`: `coordinator` (the `migrate up` run, which records the migration) or `worker` (a `ddbm
   * migrate worker` that joined its backfills; `up` runs in full there too, so skip other side effects
   * with `if (ctx.role === 'worker')`).
   */
  role: 'coordinator' | 'worker'
  /**
   * True on `migrate up --dry-run`: the item writes only log what they would do, `ctx.client` refuses
   * every mutating command, and `ctx.backfill` samples and estimates (docs/backfills.md).
   */
  dryRun: boolean
}

/** Builds the context for one run of `.ts` migrations. */
export function migrationContext(deps: {
  client: DynamoDBClient
  env: string
  tableName: (logical: string) => string
  emit: Emit
  /** The run's signal; default one that never aborts. */
  signal?: AbortSignal
  /** Runs ctx.backfill for this migration; default: refused (no meta table to checkpoint in). */
  backfill?: (spec: BackfillSpec) => Promise<BackfillResult>
  role?: 'coordinator' | 'worker'
  dryRun?: boolean
}): MigrationContext {
  const { client, tableName, emit } = deps
  return {
    ...itemOps(client, tableName),
    client,
    env: deps.env,
    tableName,
    log: (message) => emit({ kind: 'log', level: 'info', message }),
    marshall,
    unmarshall,
    signal: deps.signal ?? new AbortController().signal,
    backfill:
      deps.backfill ??
      (() =>
        Promise.reject(
          new DdbmError(
            'USAGE',
            'ctx.backfill needs the DynamoDB meta table for its checkpoints',
            undefined,
            {
              hint: 'Run the migration with `ddbm migrate up` (or migrateUp() without an injected metaStore).',
            },
          ),
        )),
    role: deps.role ?? 'coordinator',
    dryRun: deps.dryRun ?? false,
  }
}
