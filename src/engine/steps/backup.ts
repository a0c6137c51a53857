import {
  CreateBackupCommand,
  DescribeBackupCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { backoffDelay } from '../../dynamo/wait.js'
import type { BackupRecord } from '../../plan/history.js'
import { DdbmError, messageOf } from '../../errors.js'
import { report, type Outcome, type PartResult, type StepContext } from './step-context.js'
import { unsupportedReason } from '../live/read-parts.js'

/** What a backup is taken before: a table's deletion, or one of its GSIs'. */
export type BackupTarget = { op: 'deleteTable' } | { op: 'deleteGsi'; index: string }

/** Backups before deletions: taken when given; `taken` hears of each one before the deletion goes on. */
export type BackupPolicy = { taken?: (backup: BackupRecord) => void | Promise<void> }

/**
 * Name of the backup taken before deleting `table` (or its GSI `index`) at `now` (ms):
 * `Orders-prod-before-delete-20261121T233600Z`, `Orders-prod-before-delete-gsi-byStatus-20261121T233600Z`.
 */
export function backupName(table: string, now: number, index?: string): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  const what = index === undefined ? '' : `gsi-${index}-`
  return `${table}-before-delete-${what}${stamp}`.slice(0, 255)
}

/**
 * Takes an on-demand backup of the step's table and waits until it is AVAILABLE (DynamoDB refuses to delete
 * a table while a backup of it is in progress), emits its ARN as an info log and tells `policy.taken`. An
 * endpoint without backups (DynamoDB Local) gives an `unsupported` part and no backup, and the deletion goes
 * on: the user confirmed it. ContinuousBackupsUnavailable and a backup already running are retried with
 * backoff.
 */
export async function backupBeforeDelete(
  ctx: StepContext,
  target: BackupTarget,
  policy: BackupPolicy,
): Promise<{ part: PartResult; backup?: BackupRecord }> {
  const index = target.op === 'deleteGsi' ? target.index : undefined
  const name = backupName(ctx.table, ctx.now(), index)
  report(ctx, 'sent', `CreateBackup ${name}`)
  const start = ctx.now()
  for (let attempt = 0; ; attempt++) {
    let arn: string | undefined
    try {
      const out = await ctx.client.send(
        new CreateBackupCommand({ TableName: ctx.table, BackupName: name }),
      )
      arn = out.BackupDetails?.BackupArn
      if (arn !== undefined && out.BackupDetails?.BackupStatus !== 'AVAILABLE') {
        await waitAvailable(ctx, ctx.client, arn)
      }
    } catch (err) {
      const reason = unsupportedReason(err)
      if (reason !== undefined) {
        ctx.emit({ kind: 'log', level: 'warn', message: `no backup of ${ctx.table}: ${reason}` })
        return { part: { part: 'backup', status: 'unsupported', detail: `backup: ${reason}` } }
      }
      const busy =
        err instanceof Error &&
        [
          'ContinuousBackupsUnavailableException',
          'BackupInUseException',
          'LimitExceededException',
        ].includes(err.name)
      if (!busy || ctx.now() - start >= ctx.waitTimeoutMs) {
        throw new DdbmError(
          'MIGRATION_FAILED',
          `could not back ${ctx.table} up before deleting ${index === undefined ? 'it' : `its GSI ${index}`}: ${messageOf(err)}`,
          { table: ctx.table },
          {
            cause: err,
            hint: 'Nothing was deleted. Fix the cause, or take a backup yourself, then re-run.',
          },
        )
      }
      await ctx.sleep(backoffDelay(attempt, { baseMs: 1_000, capMs: 30_000 }, ctx.random))
      continue
    }
    if (arn === undefined) {
      throw new DdbmError(
        'MIGRATION_FAILED',
        `CreateBackup of ${ctx.table} answered no backup ARN`,
        { table: ctx.table },
        { hint: 'Nothing was deleted. Take a backup yourself, then re-run.' },
      )
    }
    const backup: BackupRecord = {
      table: ctx.table,
      arn,
      op: target.op,
      ...(index === undefined ? {} : { index }),
    }
    ctx.emit({ kind: 'log', level: 'info', message: `backup of ${ctx.table} AVAILABLE: ${arn}` })
    await policy.taken?.(backup)
    return { part: { part: 'backup', status: 'done', detail: `backup ${arn}` }, backup }
  }
}

async function waitAvailable(ctx: StepContext, client: DynamoDBClient, arn: string): Promise<void> {
  const start = ctx.now()
  for (let attempt = 0; ; attempt++) {
    const out = await client.send(new DescribeBackupCommand({ BackupArn: arn }))
    const status = out.BackupDescription?.BackupDetails?.BackupStatus
    if (status === 'AVAILABLE') return
    if (status === 'DELETED' || ctx.now() - start >= ctx.waitTimeoutMs) {
      throw new DdbmError(
        'MIGRATION_FAILED',
        `backup ${arn} of ${ctx.table} ended ${status ?? 'unknown'}`,
      )
    }
    report(ctx, 'waiting', `backup ${status ?? 'CREATING'}`)
    await ctx.sleep(backoffDelay(attempt, { baseMs: 500, capMs: 10_000 }, ctx.random))
  }
}

/**
 * The outcome of a deletion (`part`: table or gsi) that a backup attempt preceded: `done` (the deletion
 * is), with the backup part first and the backup itself; a backup the endpoint could not take is listed
 * in `unsupported`, never passed off as taken.
 */
export function withBackup(
  saved: { part: PartResult; backup?: BackupRecord },
  part: string,
): Outcome {
  const taken = saved.part.status !== 'unsupported'
  return {
    status: 'done',
    detail:
      taken && saved.part.detail !== undefined ? `deleted after ${saved.part.detail}` : 'deleted',
    parts: [saved.part, { part, status: 'done', detail: 'deleted' }],
    ...(taken ? {} : { unsupported: [saved.part.part] }),
    ...(saved.backup === undefined ? {} : { backup: saved.backup }),
  }
}
