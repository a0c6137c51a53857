import { UpdateTableCommand } from '@aws-sdk/client-dynamodb'
import { isResourceNotFound } from '../../dynamo/aws-errors.js'
import { waitForIndexActive, waitForIndexGone } from '../../dynamo/wait.js'
import { DdbmError } from '../../errors.js'
import { compareGsi } from '../../plan/part-compare.js'
import type { LiveTable } from '../../plan/live-table.js'
import { billingMode } from '../../plan/table-text.js'
import type { OperationOf } from '../../schema/operation.js'
import type { AttributeDefinition } from '../../schema/table-schema.js'
import { backupBeforeDelete, withBackup, type BackupPolicy } from './backup.js'
import {
  mutate,
  readLive,
  requireLive,
  settle,
  waitOptions,
  type Outcome,
  type StepContext,
} from './step-context.js'

/**
 * createGsi: one index per UpdateTable (DynamoDB refuses more), with the attribute definitions it needs.
 * An index that exists with the same keys is skipped (waiting for it if it is still CREATING); with other
 * keys it is drift and fails. Afterwards waits until the index, the table and every other GSI are ACTIVE,
 * emitting `waiting` events with the index status and backfilling.
 */
export async function createGsi(ctx: StepContext, op: OperationOf<'createGsi'>): Promise<Outcome> {
  const name = op.index.IndexName
  let live = await requireLive(ctx)
  if (live.indexes[name]?.status === 'DELETING') {
    await waitForIndexGone(ctx.client, ctx.table, name, waitOptions(ctx))
    await settle(ctx)
    live = await requireLive(ctx)
  }
  const status = live.indexes[name]?.status
  if (status !== undefined) {
    const now = compareIndex(op, live)
    if (!now.same) {
      throw new DdbmError(
        'MIGRATION_FAILED',
        `index ${name} already exists as (${now.actual}), not (${now.expected}): delete it first or give the new index another name`,
      )
    }
    if (status === 'ACTIVE') return { status: 'skipped', detail: 'already in place' }
    await waitForIndexActive(ctx.client, ctx.table, name, waitOptions(ctx))
    await settle(ctx)
    return { status: 'skipped', detail: `already in place (was ${status}, now ACTIVE)` }
  }
  const { IndexName, KeySchema, Projection, ProvisionedThroughput, OnDemandThroughput } = op.index
  await mutate(ctx, 'UpdateTable', async () => {
    // Re-read on every attempt: the definitions may have changed while a refusal was waited out.
    const current = (await readLive(ctx)) ?? live
    return ctx.client.send(
      new UpdateTableCommand({
        TableName: ctx.table,
        AttributeDefinitions: mergeAttributeDefinitions(
          current.definition.AttributeDefinitions,
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
  return { status: 'done', detail: `created ${name}` }
}

/**
 * deleteGsi: skipped when the table or the index does not exist (or the index is already DELETING, which
 * is waited out); otherwise, with `backup`, an on-demand backup of the table first (backup.ts), then one
 * UpdateTable Delete, then waits until the index is gone and the table and its other GSIs are ACTIVE.
 */
export async function deleteGsi(
  ctx: StepContext,
  op: OperationOf<'deleteGsi'>,
  backup?: BackupPolicy,
): Promise<Outcome> {
  const name = op.indexName
  const live = await readLive(ctx)
  if (live === undefined) return { status: 'skipped', detail: 'already gone (no such table)' }
  const status = live.indexes[name]?.status
  if (status === undefined) return { status: 'skipped', detail: 'already gone' }
  let saved: Awaited<ReturnType<typeof backupBeforeDelete>> | undefined
  if (status !== 'DELETING') {
    if (backup !== undefined) {
      await settle(ctx)
      saved = await backupBeforeDelete(ctx, { op: 'deleteGsi', index: name }, backup)
    }
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
      return { status: 'skipped', detail: 'already gone' }
    }
  }
  await waitForIndexGone(ctx.client, ctx.table, name, waitOptions(ctx))
  await settle(ctx)
  if (status === 'DELETING') return { status: 'skipped', detail: 'already being deleted; now gone' }
  return saved === undefined ? { status: 'done', detail: 'deleted' } : withBackup(saved, 'gsi')
}

/** The wanted index against the live one, throughput under the live table's billing mode. */
function compareIndex(op: OperationOf<'createGsi'>, live: LiveTable) {
  const provisioned = billingMode(live.definition) === 'PROVISIONED'
  return compareGsi(op.index, op.attributeDefinitions, live.definition, provisioned)
}

/**
 * The live attribute definitions plus the ones a new index needs (UpdateTable wants every attribute that
 * a key of the table or of an index uses; sending the full set also keeps moto's description whole).
 * Throws on an attribute already defined with another type.
 */
export function mergeAttributeDefinitions(
  live: readonly AttributeDefinition[],
  wanted: readonly AttributeDefinition[],
): AttributeDefinition[] {
  const merged = new Map(live.map((d) => [d.AttributeName, d.AttributeType]))
  for (const d of wanted) {
    const type = merged.get(d.AttributeName)
    if (type !== undefined && type !== d.AttributeType) {
      throw new DdbmError(
        'MIGRATION_FAILED',
        `attribute ${d.AttributeName} is already a key attribute of type ${type}, the index wants ${d.AttributeType}`,
      )
    }
    merged.set(d.AttributeName, d.AttributeType)
  }
  return [...merged].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }))
}
