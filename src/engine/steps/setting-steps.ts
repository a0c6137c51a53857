import { UpdateTableCommand, type UpdateTableCommandInput } from '@aws-sdk/client-dynamodb'
import type { OperationOf } from '../../schema/operation.js'
import { mutate, requireTable, settle, type Outcome, type StepContext } from './step-context.js'
import { billingUpdate, liveStream, sseMatches } from './converge.js'
import { isNothingToUpdate } from '../live/read-parts.js'
import { convergeTags, removeTags } from './property-steps.js'
import { tableArn } from './table-steps.js'

/**
 * Converging steps for the settings UpdateTable changes on a whole table: billing, stream, encryption,
 * deletion protection, table class (and the tag operations). Each describes first, skips what matches,
 * sends one UpdateTable per kind of change, and waits until the table and its GSIs are ACTIVE.
 */

/** One UpdateTable, then wait until the table and every GSI are ACTIVE. */
async function update(
  ctx: StepContext,
  input: Omit<UpdateTableCommandInput, 'TableName'>,
): Promise<void> {
  await mutate(ctx, 'UpdateTable', () =>
    ctx.client.send(new UpdateTableCommand({ TableName: ctx.table, ...input })),
  )
  await settle(ctx)
}

/** updateBilling: the mode and the throughput of the table and its GSIs (see billingUpdate). */
export async function updateBilling(
  ctx: StepContext,
  op: OperationOf<'updateBilling'>,
): Promise<Outcome> {
  const input = billingUpdate(op, await requireTable(ctx))
  if (input === undefined) return { status: 'skipped', detail: `billing is ${op.billingMode}` }
  await update(ctx, input)
  return { status: 'done' }
}

/**
 * updateStream: enable with a view type, or disable (`stream: null`). A different view type on an
 * enabled stream takes two calls (disable, then enable): DynamoDB refuses to enable a second stream.
 */
export async function updateStream(
  ctx: StepContext,
  op: OperationOf<'updateStream'>,
): Promise<Outcome> {
  const current = liveStream(await requireTable(ctx))
  const wanted = op.stream?.StreamViewType
  if (current === wanted) {
    return { status: 'skipped', detail: wanted ? `stream is ${wanted}` : 'no stream' }
  }
  if (current !== undefined) await update(ctx, { StreamSpecification: { StreamEnabled: false } })
  if (wanted !== undefined) {
    await update(ctx, { StreamSpecification: { StreamEnabled: true, StreamViewType: wanted } })
  }
  return { status: 'done' }
}

/**
 * updateSse: SSE alone in its UpdateTable (DynamoDB refuses it combined with anything else).
 * `unsupported` when the endpoint answers "Nothing to update" although its description differs
 * (DynamoDB Local), or accepts the change without reporting it afterwards (moto).
 */
export async function updateSse(ctx: StepContext, op: OperationOf<'updateSse'>): Promise<Outcome> {
  const live = await requireTable(ctx)
  if (sseMatches(op.sse, live.SSEDescription)) return { status: 'skipped' }
  const { SSEEnabled, SSEType, KMSMasterKeyId } = op.sse
  const SSESpecification = {
    Enabled: SSEEnabled,
    ...(SSEType ? { SSEType } : {}),
    ...(KMSMasterKeyId ? { KMSMasterKeyId } : {}),
  }
  try {
    await update(ctx, { SSESpecification })
  } catch (err) {
    if (!isNothingToUpdate(err)) throw err
    return {
      status: 'unsupported',
      detail: 'the endpoint answers "Nothing to update" and reports no encryption settings',
    }
  }
  if (!sseMatches(op.sse, (await requireTable(ctx)).SSEDescription)) {
    return {
      status: 'unsupported',
      detail: 'the endpoint accepted the change but DescribeTable does not report it',
    }
  }
  return { status: 'done' }
}

/** updateDeletionProtection: DeletionProtectionEnabled (absent in a description means false). */
export async function updateDeletionProtection(
  ctx: StepContext,
  op: OperationOf<'updateDeletionProtection'>,
): Promise<Outcome> {
  const live = await requireTable(ctx)
  if ((live.DeletionProtectionEnabled ?? false) === op.enabled) {
    return { status: 'skipped', detail: `protection is ${op.enabled ? 'on' : 'off'}` }
  }
  await update(ctx, { DeletionProtectionEnabled: op.enabled })
  return { status: 'done' }
}

/**
 * updateTableClass: a table without TableClassSummary is STANDARD. `unsupported` like updateSse when the
 * endpoint does not store or report the class (DynamoDB Local, moto).
 */
export async function updateTableClass(
  ctx: StepContext,
  op: OperationOf<'updateTableClass'>,
): Promise<Outcome> {
  const current = (live: { TableClassSummary?: { TableClass?: string } }) =>
    live.TableClassSummary?.TableClass ?? 'STANDARD'
  if (current(await requireTable(ctx)) === op.tableClass) {
    return { status: 'skipped', detail: `class is ${op.tableClass}` }
  }
  try {
    await update(ctx, { TableClass: op.tableClass })
  } catch (err) {
    if (!isNothingToUpdate(err)) throw err
    return {
      status: 'unsupported',
      detail: 'the endpoint answers "Nothing to update" and reports no table class',
    }
  }
  if (current(await requireTable(ctx)) !== op.tableClass) {
    return {
      status: 'unsupported',
      detail: 'the endpoint accepted the change but DescribeTable does not report it',
    }
  }
  return { status: 'done' }
}

/** tag: TagResource with the tags that are missing or differ (see convergeTags). */
export async function tag(ctx: StepContext, op: OperationOf<'tag'>): Promise<Outcome> {
  return convergeTags(ctx, tableArn(await requireTable(ctx)), op.tags)
}

/** untag: UntagResource with the keys present (see removeTags). */
export async function untag(ctx: StepContext, op: OperationOf<'untag'>): Promise<Outcome> {
  return removeTags(ctx, tableArn(await requireTable(ctx)), op.keys)
}
