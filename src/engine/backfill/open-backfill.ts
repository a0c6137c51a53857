import type { DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb'
import type { Rate } from '../../backfill/pacer.js'
import type { SegmentState } from '../../backfill/segments.js'
import type { ResolvedSpec } from '../../backfill/spec.js'
import { describeTable } from '../../dynamo/wait.js'
import { DdbmError } from '../../errors.js'
import { interruptibleSleep } from '../../interrupt.js'
import type { BackfillHeader, BackfillRef } from './backfill-store.js'
import type { BackfillRunContext } from './run-context.js'

/** Opening a backfill: its table checked, its state in the meta table started (coordinator) or joined (worker). */

/** The table (and index) a backfill scans, described; MIGRATION_FAILED / MIGRATION_INVALID when missing. */
export async function describeOrFail(
  client: DynamoDBClient,
  physical: string,
  spec: ResolvedSpec,
  file: string,
): Promise<TableDescription> {
  const table = await describeTable(client, physical)
  if (table === undefined) {
    throw new DdbmError(
      'MIGRATION_FAILED',
      `${file}: ctx.backfill: table ${physical} does not exist`,
      { table: physical },
      {
        hint: 'A backfill runs on a table an earlier migration created: check the order of the migrations and `table`.',
      },
    )
  }
  if (
    spec.index !== undefined &&
    !(table.GlobalSecondaryIndexes ?? []).some((g) => g.IndexName === spec.index)
  ) {
    const known = (table.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName ?? '')
    throw new DdbmError(
      'MIGRATION_INVALID',
      `${file}: ctx.backfill index ${spec.index} is not a GSI of ${physical}`,
      { file, field: 'index', known },
      {
        hint:
          known.length === 0
            ? 'The table has no GSI: scan the table (leave `index` out).'
            : `Use one of: ${known.join(', ')}.`,
      },
    )
  }
  return table
}

/** The coordinator starts the backfill's state in the meta table, or adopts an earlier run's. */
export async function start(
  ctx: BackfillRunContext,
  spec: ResolvedSpec,
  ref: BackfillRef,
  physical: string,
  table: TableDescription,
  rate: Rate,
  coordinator: string,
): Promise<{ header: BackfillHeader; segments: SegmentState[]; previous?: BackfillHeader }> {
  if (ctx.lease === undefined)
    throw new DdbmError('INTERNAL', 'A coordinator needs the migration lock')
  const itemCount =
    spec.index === undefined
      ? table.ItemCount
      : table.GlobalSecondaryIndexes?.find((g) => g.IndexName === spec.index)?.ItemCount
  return ctx.store.start({
    ...ref,
    table: physical,
    ...(spec.index === undefined ? {} : { index: spec.index }),
    segments: spec.segments,
    direction: ctx.direction,
    status: 'running',
    lockOwner: ctx.lease.owner,
    coordinator,
    startedBy: ctx.holder,
    startedAt: new Date().toISOString(),
    ...(itemCount === undefined ? {} : { itemCount }),
    ...(Number.isFinite(rate.readPerSec) ? { readPerSec: rate.readPerSec } : {}),
    ...(Number.isFinite(rate.writePerSec) ? { writePerSec: rate.writePerSec } : {}),
  })
}

/** A worker waits for the coordinator to have started the backfill `ref`. */
export async function join(
  ctx: BackfillRunContext,
  ref: BackfillRef,
): Promise<{ header: BackfillHeader; segments: SegmentState[] }> {
  const sleep = interruptibleSleep(
    undefined,
    ctx.signal,
    `while waiting to join backfill ${ref.name} of ${ref.migration}`,
  )
  const now = ctx.now ?? (() => performance.now())
  const until = now() + (ctx.joinTimeoutMs ?? 600_000)
  for (;;) {
    const found = await ctx.store.read(ref)
    if (found !== undefined && found.segments.length === found.header.segments) return found
    if (now() >= until) {
      throw new DdbmError(
        'MIGRATION_FAILED',
        `Backfill ${ref.name} of ${ref.migration} was not started by \`migrate up\` in time`,
        { name: ref.migration },
        {
          hint: 'Start `ddbm migrate up` (it coordinates the backfill), then the workers.',
        },
      )
    }
    await sleep(500)
  }
}
