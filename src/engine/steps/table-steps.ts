import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb'
import { isResourceInUse, isResourceNotFound } from '../../dynamo/aws-errors.js'
import { waitForTableGone } from '../../dynamo/wait.js'
import { DdbmError } from '../../errors.js'
import { compareKeys } from '../../plan/part-compare.js'
import { unsupportedPart, type LiveTable } from '../../plan/live-table.js'
import type { OperationOf } from '../../schema/operation.js'
import type { TableSchema } from '../../schema/table-schema.js'
import { backupBeforeDelete, withBackup, type BackupPolicy } from './backup.js'
import {
  combine,
  mutate,
  part,
  readLive,
  requireLive,
  settle,
  waitOptions,
  type Outcome,
  type PartResult,
  type StepContext,
} from './step-context.js'
import { createTableInput } from './create-table-input.js'
import { unsupportedReason } from '../live/read-parts.js'
import { convergePitr, convergeTags, convergeTtl } from './property-steps.js'

/**
 * createTable: CreateTable (unless a table with the same keys exists: converge; different keys: drift,
 * fail), wait until it and its GSIs are ACTIVE, then TTL, PITR and tags as converging parts. A refusal of
 * the Tags parameter for lack of tagging support retries CreateTable without them and reports the tags
 * part unsupported. SSE and table class requested but not reported by DescribeTable are `unsupported`
 * parts (DynamoDB Local accepts both and reports neither; moto does not report the class).
 */
export async function createTable(
  ctx: StepContext,
  op: OperationOf<'createTable'>,
): Promise<Outcome> {
  const d = op.definition
  let live = await readLive(ctx)
  if (live?.tableStatus === 'DELETING') {
    await waitForTableGone(ctx.client, ctx.table, waitOptions(ctx, true))
    live = undefined
  }
  let created = false
  let tagsRefused: string | undefined
  if (live === undefined) {
    const outcome = await sendCreate(ctx, d)
    created = outcome.created
    tagsRefused = outcome.tagsRefused
  }
  await settle(ctx)
  live = await requireLive(ctx)
  const keys = compareKeys(d, live.definition)
  if (!keys.same) {
    throw new DdbmError(
      'MIGRATION_FAILED',
      `table ${ctx.table} already exists with key ${keys.actual}, not ${keys.expected}: that is drift, not a re-run (delete or rename the table, or fix the migration)`,
    )
  }

  const parts: PartResult[] = [
    created
      ? { part: 'table', status: 'done', detail: 'created' }
      : { part: 'table', status: 'skipped', detail: 'exists with the same keys' },
  ]
  parts.push(...unreported(d, live))
  if (d.TimeToLiveSpecification) {
    parts.push(part('ttl', await convergeTtl(ctx, d.TimeToLiveSpecification, live)))
  }
  if (d.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled) {
    parts.push(part('pitr', await convergePitr(ctx, d.PointInTimeRecoverySpecification, live)))
  }
  if (d.Tags?.length) {
    parts.push(
      tagsRefused !== undefined
        ? { part: 'tags', status: 'unsupported', detail: `tags: ${tagsRefused}` }
        : part('tags', await convergeTags(ctx, live, d.Tags, created)),
    )
  }
  return combine(parts)
}

/**
 * Sends CreateTable. ResourceInUse means someone else created it meanwhile (the caller compares keys);
 * a refusal of Tags for lack of tagging support is retried without them.
 */
async function sendCreate(
  ctx: StepContext,
  d: TableSchema,
): Promise<{ created: boolean; tagsRefused?: string }> {
  const create = (withTags: boolean) =>
    mutate(
      ctx,
      'CreateTable',
      () => ctx.client.send(new CreateTableCommand(createTableInput(ctx.table, d, withTags))),
      false,
    )
  try {
    await create(true)
    return { created: true }
  } catch (err) {
    if (isResourceInUse(err)) return { created: false }
    const reason = d.Tags?.length ? unsupportedReason(err) : undefined
    if (reason === undefined) throw err
    try {
      await create(false)
    } catch (again) {
      if (isResourceInUse(again)) return { created: false, tagsRefused: reason }
      throw again
    }
    return { created: true, tagsRefused: reason }
  }
}

/** Parts for SSE and a table class other than STANDARD asked for where the endpoint reports neither. */
function unreported(d: TableSchema, live: LiveTable): PartResult[] {
  const parts: PartResult[] = []
  const sse = unsupportedPart(live, 'sse')
  if (d.SSESpecification?.SSEEnabled && sse !== undefined) {
    parts.push({ part: 'sse', status: 'unsupported', detail: sse })
  }
  const tableClass = unsupportedPart(live, 'tableClass')
  if (d.TableClass === 'STANDARD_INFREQUENT_ACCESS' && tableClass !== undefined) {
    parts.push({ part: 'tableClass', status: 'unsupported', detail: tableClass })
  }
  return parts
}

/**
 * deleteTable: skipped when the table does not exist (or is already being deleted, which is waited
 * out); otherwise, with `backup`, an on-demand backup first (backup.ts), then DeleteTable and wait until
 * it is gone. A protected table makes DynamoDB refuse with a ValidationException naming the protection,
 * which fails the step.
 */
export async function deleteTable(ctx: StepContext, backup?: BackupPolicy): Promise<Outcome> {
  const live = await readLive(ctx)
  if (live === undefined) return { status: 'skipped', detail: 'already gone' }
  const deleting = live.tableStatus === 'DELETING'
  const saved =
    backup !== undefined && !deleting
      ? await backupBeforeDelete(ctx, { op: 'deleteTable' }, backup)
      : undefined
  if (!deleting) {
    try {
      await mutate(ctx, 'DeleteTable', () =>
        ctx.client.send(new DeleteTableCommand({ TableName: ctx.table })),
      )
    } catch (err) {
      if (!isResourceNotFound(err)) throw err
      return { status: 'skipped', detail: 'already gone' }
    }
  }
  await waitForTableGone(ctx.client, ctx.table, waitOptions(ctx, true))
  if (deleting) return { status: 'skipped', detail: 'already being deleted; now gone' }
  return saved === undefined ? { status: 'done', detail: 'deleted' } : withBackup(saved, 'table')
}
