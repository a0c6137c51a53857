import {
  TagResourceCommand,
  UntagResourceCommand,
  UpdateContinuousBackupsCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb'
import { backoffDelay } from '../../dynamo/wait.js'
import { DdbmError, messageOf } from '../../errors.js'
import type {
  PointInTimeRecoverySpecification,
  Tag,
  TimeToLiveSpecification,
} from '../../schema/table-schema.js'
import { ttlDecision } from '../../plan/in-place.js'
import { comparePitr, tagsToRemove, tagsToSet } from '../../plan/part-compare.js'
import { unsupportedPart, type LiveTable } from '../../plan/live-table.js'
import { unsupportedReason } from '../live/read-parts.js'
import { mutate, report, type Outcome, type StepContext } from './step-context.js'

/**
 * Converging steps for the table properties set by calls of their own: TTL, PITR and tags. Each reads the
 * live state first and sends nothing when it already matches. They serve both their own operations and
 * the sub-steps of createTable.
 */

/** How long UpdateContinuousBackups is retried on ContinuousBackupsUnavailableException (new tables). */
export const PITR_UNAVAILABLE_BUDGET_MS = 5 * 60_000

/** UpdateTimeToLive unless the live TTL already is in the wanted state (ENABLING/DISABLING count). */
export async function convergeTtl(
  ctx: StepContext,
  ttl: TimeToLiveSpecification,
  live: LiveTable,
): Promise<Outcome> {
  const decision = ttlDecision(ttl, live)
  if (decision.action === 'skip') return { status: 'skipped', detail: decision.detail }
  if (decision.action === 'refuse') throw new DdbmError('MIGRATION_FAILED', decision.message)
  const spec = { AttributeName: decision.attributeName, Enabled: decision.enabled }
  await mutate(ctx, 'UpdateTimeToLive', () =>
    ctx.client.send(
      new UpdateTimeToLiveCommand({ TableName: ctx.table, TimeToLiveSpecification: spec }),
    ),
  )
  return {
    status: 'done',
    detail: `TTL ${decision.enabled ? 'enabled' : 'disabled'} on ${decision.attributeName}`,
  }
}

/**
 * UpdateContinuousBackups unless PITR already matches; `unsupported` where the endpoint lacks the calls
 * (DynamoDB Local). ContinuousBackupsUnavailableException ("Backups are being enabled", tables only
 * seconds old) is retried with backoff for {@link PITR_UNAVAILABLE_BUDGET_MS}.
 */
export async function convergePitr(
  ctx: StepContext,
  pitr: PointInTimeRecoverySpecification,
  live: LiveTable,
): Promise<Outcome> {
  const unsupported = unsupportedPart(live, 'pitr')
  if (unsupported !== undefined) return { status: 'unsupported', detail: unsupported }
  const now = comparePitr(pitr, live.definition)
  if (now.same) return { status: 'skipped', detail: `PITR is ${now.actual}` }
  const enabled = pitr.PointInTimeRecoveryEnabled ?? false
  const spec = {
    PointInTimeRecoveryEnabled: enabled,
    ...(enabled && pitr.RecoveryPeriodInDays !== undefined
      ? { RecoveryPeriodInDays: pitr.RecoveryPeriodInDays }
      : {}),
  }
  const start = ctx.now()
  const budget = Math.min(PITR_UNAVAILABLE_BUDGET_MS, ctx.waitTimeoutMs)
  for (let attempt = 0; ; attempt++) {
    try {
      await mutate(ctx, 'UpdateContinuousBackups', () =>
        ctx.client.send(
          new UpdateContinuousBackupsCommand({
            TableName: ctx.table,
            PointInTimeRecoverySpecification: spec,
          }),
        ),
      )
      return { status: 'done', detail: `PITR ${enabled ? 'enabled' : 'disabled'}` }
    } catch (err) {
      const reason = unsupportedReason(err)
      if (reason !== undefined) return { status: 'unsupported', detail: `PITR: ${reason}` }
      const unavailable =
        err instanceof Error && err.name === 'ContinuousBackupsUnavailableException'
      if (!unavailable || ctx.now() - start >= budget) throw err
      report(ctx, 'waiting', `backups not available yet (${messageOf(err)}); retrying`)
      await ctx.sleep(backoffDelay(attempt + 3, undefined, ctx.random))
    }
  }
}

/**
 * TagResource with the wanted tags that are missing or differ; `unsupported` where the endpoint lacks
 * tagging. `created` marks a table created by this step with its tags, so matching tags count as done.
 * ListTagsOfResource is eventually consistent on AWS: a tag not listed yet is simply sent again, which is
 * harmless.
 */
export async function convergeTags(
  ctx: StepContext,
  live: LiveTable,
  tags: readonly Tag[],
  created = false,
): Promise<Outcome> {
  const unsupported = unsupportedPart(live, 'tags')
  if (unsupported !== undefined) return { status: 'unsupported', detail: unsupported }
  const arn = tableArn(live, ctx.table)
  const missing = tagsToSet(tags, live.definition.Tags ?? [])
  if (missing.length === 0) {
    return created
      ? { status: 'done', detail: `tagged at creation (${keysOf(tags)})` }
      : { status: 'skipped', detail: `tags present (${keysOf(tags)})` }
  }
  try {
    await mutate(ctx, 'TagResource', () =>
      ctx.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: missing })),
    )
  } catch (err) {
    const reason = unsupportedReason(err)
    if (reason === undefined) throw err
    return { status: 'unsupported', detail: `tags: ${reason}` }
  }
  return { status: 'done', detail: `tagged ${keysOf(missing)}` }
}

/** UntagResource with those of `keys` the resource carries; `unsupported` where tagging is lacking. */
export async function removeTags(
  ctx: StepContext,
  live: LiveTable,
  keys: readonly string[],
): Promise<Outcome> {
  const unsupported = unsupportedPart(live, 'tags')
  if (unsupported !== undefined) return { status: 'unsupported', detail: unsupported }
  const arn = tableArn(live, ctx.table)
  const present = tagsToRemove(keys, live.definition.Tags ?? [])
  if (present.length === 0) return { status: 'skipped', detail: `no tag ${keys.join(', ')}` }
  try {
    await mutate(ctx, 'UntagResource', () =>
      ctx.client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: present })),
    )
  } catch (err) {
    const reason = unsupportedReason(err)
    if (reason === undefined) throw err
    return { status: 'unsupported', detail: `tags: ${reason}` }
  }
  return { status: 'done', detail: `untagged ${present.join(', ')}` }
}

function keysOf(tags: readonly Tag[]): string {
  return tags.map((t) => t.Key).join(', ')
}

/** The table's ARN, for the tagging calls. */
function tableArn(live: LiveTable, table: string): string {
  if (live.arn === undefined) {
    throw new DdbmError('AWS_FAILED', `DescribeTable gave no TableArn for ${table}`)
  }
  return live.arn
}
