import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { ZERO_COUNTS } from '../../backfill/segments.js'
import { jsonSafe } from '../../backfill/preview.js'
import { DdbmError, isDdbmError, messageOf } from '../../errors.js'
import type { Emit } from '../../events.js'
import type { LoadedMigration } from '../../schema/load-migrations.js'
import { loadRunnable } from '../runner/load-migration.js'
import { migrationContext, type MigrationContext } from '../runner/migration-context.js'
import type { Item } from '../runner/item-ops.js'
import { sampleBackfill, type DryRunBackfill } from './dry-run-sample.js'
import { refuseWrites } from './read-only-client.js'
import type { BackfillResult } from './run-backfill.js'

export type { DryRunBackfill } from './dry-run-sample.js'

/** What a dry run of `.ts` migrations needs. */
export type DryRunDeps = {
  /** The session's client: it refuses every mutating command while the dry run runs. */
  client: DynamoDBClient
  env: string
  tableName: (logical: string) => string
  emit: Emit
  signal?: AbortSignal
  /** Items each backfill samples. Default 100. */
  sampleSize?: number
}

/**
 * A `.ts` migration a dry run could not preview: its `up` read a table that does not exist yet, while a
 * pending migration before it creates tables (the table exists when the migrations run for real).
 */
export type NotPreviewed = {
  migration: string
  /** Why, for humans. */
  reason: string
  /** Physical names of the tables the pending migrations before it create. */
  createdBefore: string[]
}

/**
 * `migrate up --dry-run` of the `.ts` migrations among `migrations` (the pending ones, in order): runs
 * each one's `up` with a dry-run context (dryRunContext) while `deps.client` refuses every mutating
 * command, so a migration that sends SDK commands itself cannot change anything either. Returns what
 * each `ctx.backfill` would do. A migration whose `up` reads a table that does not exist while a pending
 * migration before it creates tables is reported in `notPreviewed` (with a warning) and the dry run goes
 * on: that table exists when the migrations run for real. Any other failure (a refused write included)
 * fails the dry run: DdbmError naming the migration.
 */
export async function dryRunUp(
  migrations: readonly LoadedMigration[],
  deps: DryRunDeps,
): Promise<{ backfills: DryRunBackfill[]; notPreviewed: NotPreviewed[] }> {
  const backfills: DryRunBackfill[] = []
  const notPreviewed: NotPreviewed[] = []
  const created: string[] = []
  let current = ''
  const restore = refuseWrites(deps.client, () => current)
  try {
    for (const m of migrations) {
      if (m.kind !== 'ts') {
        for (const op of m.content?.up ?? [])
          if (op.op === 'createTable') created.push(deps.tableName(op.table))
        continue
      }
      current = m.name
      // A `.ts` migration runs no table operations: its runner is never called.
      const runnable = await loadRunnable(m, () => Promise.resolve())
      try {
        await runnable.up(dryRunContext(m, deps, (b) => backfills.push(b)))
      } catch (err) {
        if (!readsMissingTable(err) || created.length === 0) throw failed(m, err)
        const reason = `its up() read a table that does not exist yet; the pending migrations before it create ${created.join(', ')}`
        notPreviewed.push({ migration: m.name, reason, createdBefore: [...created] })
        deps.emit({
          kind: 'log',
          level: 'warn',
          message: `${m.name} (dry run): not previewed: ${reason}`,
        })
      }
    }
  } finally {
    restore()
  }
  return { backfills, notPreviewed }
}

/** Whether `err` (or an error it wraps) is DynamoDB's answer for a table that does not exist. */
function readsMissingTable(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e.name === 'ResourceNotFoundException') return true
  }
  return false
}

/**
 * The context of `m`'s `up` on a dry run: reads go to the table (through the read-only client), the item
 * writes (`put`, `update`, `delete`, `putItems`, `deleteItems`) only log what they would do and report
 * success, and `backfill` samples (dry-run-sample.ts), hands the result to `onBackfill` and resolves with
 * zero counts (nothing was written).
 */
export function dryRunContext(
  m: Pick<LoadedMigration, 'name' | 'file'>,
  deps: DryRunDeps,
  onBackfill: (b: DryRunBackfill) => void,
): MigrationContext {
  const { tableName, emit } = deps
  const would = (text: string) =>
    emit({ kind: 'log', level: 'info', message: `${m.name} (dry run): would ${text}` })
  const ctx = migrationContext({
    client: deps.client,
    env: deps.env,
    tableName,
    emit,
    ...(deps.signal === undefined ? {} : { signal: deps.signal }),
    role: 'coordinator',
    dryRun: true,
    backfill: async (spec) => {
      const found = await sampleBackfill(spec, {
        client: deps.client,
        tableName,
        migration: m.name,
        file: m.file,
        ...(deps.sampleSize === undefined ? {} : { sampleSize: deps.sampleSize }),
      })
      onBackfill(found)
      return nothingWritten(found)
    },
  })
  return {
    ...ctx,
    put: (table, item) => {
      would(`put ${preview(item)} into ${tableName(table)}`)
      return Promise.resolve(true)
    },
    update: (table, key, opts) => {
      const change =
        opts.expression ??
        [
          ...Object.keys(opts.set ?? {}).map((k) => `set ${k}`),
          ...(opts.remove ?? []).map((k) => `remove ${k}`),
        ].join(', ')
      would(`update ${preview(key)} in ${tableName(table)}: ${change}`)
      return Promise.resolve({ updated: true, attributes: undefined })
    },
    delete: (table, key) => {
      would(`delete ${preview(key)} from ${tableName(table)}`)
      return Promise.resolve(true)
    },
    putItems: (table, items) => {
      would(`put ${items.length} item(s) into ${tableName(table)}`)
      return Promise.resolve(items.length)
    },
    deleteItems: (table, keys) => {
      would(`delete ${keys.length} item(s) from ${tableName(table)}`)
      return Promise.resolve(keys.length)
    },
  }
}

/** The result `ctx.backfill` resolves with on a dry run: nothing scanned, nothing written. */
function nothingWritten(b: DryRunBackfill): BackfillResult {
  return {
    migration: b.migration,
    name: b.name,
    table: b.table,
    ...(b.index === undefined ? {} : { index: b.index }),
    segments: b.segments,
    resumedSegments: 0,
    counts: ZERO_COUNTS,
    mine: ZERO_COUNTS,
    seconds: 0,
    itemsPerSec: 0,
    rate: {
      readPerSec: b.estimate?.rate.readPerSec ?? null,
      writePerSec: b.estimate?.rate.writePerSec ?? null,
    },
    achieved: { readUnitsPerSec: 0, writeUnitsPerSec: 0 },
    throttles: 0,
  }
}

function failed(m: Pick<LoadedMigration, 'name'>, err: unknown): DdbmError {
  if (isDdbmError(err)) return err
  return new DdbmError(
    'MIGRATION_FAILED',
    `Dry run of ${m.name} (up) failed: ${messageOf(err)}`,
    { name: m.name, direction: 'up' },
    {
      cause: err,
      hint: 'A dry run runs up(ctx) against the tables as they are now (writes are shown, not made); a table no pending migration creates must exist.',
    },
  )
}

function preview(item: Item): string {
  const text = JSON.stringify(jsonSafe(item))
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}
