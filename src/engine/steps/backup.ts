import {
  CreateBackupCommand,
  DescribeBackupCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { backoffDelay } from '../../dynamo/wait.js'
import { DdbmError, messageOf } from '../../errors.js'
import { report, type PartResult, type StepContext } from './step-context.js'
import { unsupportedReason } from '../live/read-parts.js'

/** Name of the backup taken before deleting `table` at `now` (ms): `Orders-prod-before-delete-20261121T233600Z`. */
export function backupName(table: string, now: number): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  return `${table}-before-delete-${stamp}`.slice(0, 255)
}

/**
 * Takes an on-demand backup of the step's table and waits until it is AVAILABLE (DynamoDB refuses to delete
 * a table while a backup of it is in progress). An endpoint without backups (DynamoDB Local) gives an
 * `unsupported` part, and the deletion goes on: the user confirmed it. ContinuousBackupsUnavailable and
 * a backup already running are retried with backoff.
 */
export async function backupBeforeDelete(ctx: StepContext): Promise<PartResult> {
  const name = backupName(ctx.table, ctx.now())
  report(ctx, 'sent', `CreateBackup ${name}`)
  const start = ctx.now()
  for (let attempt = 0; ; attempt++) {
    try {
      const out = await ctx.client.send(
        new CreateBackupCommand({ TableName: ctx.table, BackupName: name }),
      )
      const arn = out.BackupDetails?.BackupArn
      if (arn !== undefined && out.BackupDetails?.BackupStatus !== 'AVAILABLE') {
        await waitAvailable(ctx, ctx.client, arn)
      }
      return { part: 'backup', status: 'done', detail: `backup ${name}` }
    } catch (err) {
      const reason = unsupportedReason(err)
      if (reason !== undefined) {
        ctx.emit({ kind: 'log', level: 'warn', message: `no backup of ${ctx.table}: ${reason}` })
        return { part: 'backup', status: 'unsupported', detail: `backup: ${reason}` }
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
          `could not back ${ctx.table} up before deleting it: ${messageOf(err)}`,
          { table: ctx.table },
          {
            cause: err,
            hint: 'Nothing was deleted. Fix the cause, or take a backup yourself, then re-run.',
          },
        )
      }
      await ctx.sleep(backoffDelay(attempt, { baseMs: 1_000, capMs: 30_000 }, ctx.random))
    }
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
