import { UpdateTableCommand } from '@aws-sdk/client-dynamodb'
import { isResourceNotFound } from '../../dynamo/aws-errors.js'
import {
  describeTable,
  findIndex,
  waitForIndexActive,
  waitForIndexGone,
} from '../../dynamo/wait.js'
import { DdbmError } from '../../errors.js'
import type { OperationOf } from '../../schema/operation.js'
import {
  mutate,
  requireTable,
  settle,
  waitOptions,
  type Outcome,
  type StepContext,
} from './step-context.js'
import { indexDrift, mergeAttributeDefinitions } from './converge.js'

/**
 * createGsi: one index per UpdateTable (DynamoDB refuses more), with the attribute definitions it needs.
 * An index that exists with the same keys is skipped (waiting for it if it is still CREATING); with other
 * keys it is drift and fails. Afterwards waits until the index, the table and every other GSI are ACTIVE,
 * emitting `waiting` events with the index status and backfilling.
 */
export async function createGsi(ctx: StepContext, op: OperationOf<'createGsi'>): Promise<Outcome> {
  const name = op.index.IndexName
  let live = await requireTable(ctx)
  let gsi = findIndex(live, name)
  if (gsi?.IndexStatus === 'DELETING') {
    await waitForIndexGone(ctx.client, ctx.table, name, waitOptions(ctx))
    live = await settle(ctx)
    gsi = undefined
  }
  if (gsi !== undefined) {
    const drift = indexDrift(op.index, gsi)
    if (drift !== undefined) throw new DdbmError('MIGRATION_FAILED', drift)
    if (gsi.IndexStatus === 'ACTIVE') return { status: 'skipped', detail: 'index exists' }
    await waitForIndexActive(ctx.client, ctx.table, name, waitOptions(ctx))
    await settle(ctx)
    return { status: 'skipped', detail: `index was ${gsi.IndexStatus}; now ACTIVE` }
  }
  const { IndexName, KeySchema, Projection, ProvisionedThroughput, OnDemandThroughput } = op.index
  await mutate(ctx, 'UpdateTable', async () => {
    // Re-read on every attempt: the definitions may have changed while a refusal was waited out.
    const current = (await describeTable(ctx.client, ctx.table)) ?? live
    return ctx.client.send(
      new UpdateTableCommand({
        TableName: ctx.table,
        AttributeDefinitions: mergeAttributeDefinitions(
          current.AttributeDefinitions ?? [],
          op.attributeDefinitions,
        ),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName,
              KeySchema,
              Projection,
              ...(ProvisionedThroughput ? { ProvisionedThroughput } : {}),
              ...(OnDemandThroughput ? { OnDemandThroughput } : {}),
            },
          },
        ],
      }),
    )
  })
  await waitForIndexActive(ctx.client, ctx.table, name, waitOptions(ctx))
  await settle(ctx)
  return { status: 'done' }
}

/**
 * deleteGsi: skipped when the table or the index does not exist (or the index is already DELETING, which
 * is waited out); otherwise one UpdateTable Delete, then waits until the index is gone and the table
 * settled.
 */
export async function deleteGsi(ctx: StepContext, op: OperationOf<'deleteGsi'>): Promise<Outcome> {
  const name = op.indexName
  const live = await describeTable(ctx.client, ctx.table)
  if (live === undefined) return { status: 'skipped', detail: 'table does not exist' }
  const gsi = findIndex(live, name)
  if (gsi === undefined) return { status: 'skipped', detail: 'index does not exist' }
  if (gsi.IndexStatus !== 'DELETING') {
    try {
      await mutate(ctx, 'UpdateTable', () =>
        ctx.client.send(
          new UpdateTableCommand({
            TableName: ctx.table,
            GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: name } }],
          }),
        ),
      )
    } catch (err) {
      if (!isResourceNotFound(err)) throw err
      return { status: 'skipped', detail: 'index does not exist' }
    }
  }
  await waitForIndexGone(ctx.client, ctx.table, name, waitOptions(ctx))
  await settle(ctx)
  return gsi.IndexStatus === 'DELETING'
    ? { status: 'skipped', detail: 'index was being deleted already' }
    : { status: 'done' }
}
