import { UpdateTableCommand, type UpdateTableCommandInput } from '@aws-sdk/client-dynamodb'
import { billingChanges } from '../../plan/in-place.js'
import {
  compareDeletionProtection,
  compareSse,
  compareStream,
  compareTableClass,
} from '../../plan/part-compare.js'
import { unsupportedPart } from '../../plan/live-table.js'
import type { OperationOf } from '../../schema/operation.js'
import { isNothingToUpdate } from '../live/read-parts.js'
import { convergeTags, removeTags } from './property-steps.js'
import { mutate, requireLive, settle, type Outcome, type StepContext } from './step-context.js'

/**
 * Converging steps for the settings UpdateTable changes on a whole table: billing, stream, encryption,
 * deletion protection, table class (and the tag operations). Each reads the live table first, skips what
 * plan/in-place.ts calls in place, sends one UpdateTable per kind of change, and waits until the table and
 * its GSIs are ACTIVE.
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

/** updateBilling: the mode and the throughput of the table and its GSIs (see billingChanges). */
export async function updateBilling(
  ctx: StepContext,
  op: OperationOf<'updateBilling'>,
): Promise<Outcome> {
  const changes = billingChanges(op, (await requireLive(ctx)).definition)
  if (changes === undefined) return { status: 'skipped', detail: `billing is ${op.billingMode}` }
  await update(ctx, changes)
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
  const wanted = op.stream?.StreamViewType
  const now = compareStream(
    op.stream ? { StreamSpecification: op.stream } : {},
    (await requireLive(ctx)).definition,
  )
  if (now.same) return { status: 'skipped', detail: wanted ? `stream is ${wanted}` : 'no stream' }
  if (now.actual !== 'DISABLED') {
    await update(ctx, { StreamSpecification: { StreamEnabled: false } })
  }
  if (wanted !== undefined) {
    await update(ctx, { StreamSpecification: { StreamEnabled: true, StreamViewType: wanted } })
  }
  return { status: 'done' }
}

/**
 * updateSse: SSE alone in its UpdateTable (DynamoDB refuses it combined with anything else).
 * `unsupported` when the endpoint does not report encryption (DynamoDB Local), answers "Nothing to update"
 * although its description differs, or accepts the change without reporting it afterwards.
 */
export async function updateSse(ctx: StepContext, op: OperationOf<'updateSse'>): Promise<Outcome> {
  const live = await requireLive(ctx)
  const unsupported = unsupportedPart(live, 'sse')
  if (unsupported !== undefined) return { status: 'unsupported', detail: unsupported }
  if (compareSse(op.sse, live.definition).same) return { status: 'skipped' }
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
  if (!compareSse(op.sse, (await requireLive(ctx)).definition).same) {
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
  if (compareDeletionProtection(op.enabled, (await requireLive(ctx)).definition).same) {
    return { status: 'skipped', detail: `protection is ${op.enabled ? 'on' : 'off'}` }
  }
  await update(ctx, { DeletionProtectionEnabled: op.enabled })
  return { status: 'done' }
}

/**
 * updateTableClass: a table without TableClassSummary is STANDARD on AWS. `unsupported` when the endpoint
 * does not report the class (DynamoDB Local, moto), like updateSse.
 */
export async function updateTableClass(
  ctx: StepContext,
  op: OperationOf<'updateTableClass'>,
): Promise<Outcome> {
  const wanted = { TableClass: op.tableClass }
  const live = await requireLive(ctx)
  const unsupported = unsupportedPart(live, 'tableClass')
  if (unsupported !== undefined) return { status: 'unsupported', detail: unsupported }
  if (compareTableClass(wanted, live.definition).same) {
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
  if (!compareTableClass(wanted, (await requireLive(ctx)).definition).same) {
    return {
      status: 'unsupported',
      detail: 'the endpoint accepted the change but DescribeTable does not report it',
    }
  }
  return { status: 'done' }
}

/** tag: TagResource with the tags that are missing or differ (see convergeTags). */
export async function tag(ctx: StepContext, op: OperationOf<'tag'>): Promise<Outcome> {
  return convergeTags(ctx, await requireLive(ctx), op.tags)
}

/** untag: UntagResource with the keys present (see removeTags). */
export async function untag(ctx: StepContext, op: OperationOf<'untag'>): Promise<Outcome> {
  return removeTags(ctx, await requireLive(ctx), op.keys)
}
