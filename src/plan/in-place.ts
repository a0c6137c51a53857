import type { OperationOf, PerKind } from '../schema/operation.js'
import type {
  OnDemandThroughput,
  PointInTimeRecoverySpecification,
  ProvisionedThroughput,
  TableSchema,
  TimeToLiveSpecification,
} from '../schema/table-schema.js'
import { liveTtl, unsupportedPart, type LiveTable } from './live-table.js'
import {
  compareDeletionProtection,
  compareGsi,
  compareKeys,
  comparePitr,
  compareSse,
  compareStream,
  compareTableClass,
  tagsToRemove,
  tagsToSet,
} from './part-compare.js'
import { billingMode, NO_LIMIT, onDemandText, provisionedText } from './table-text.js'

/**
 * "Is this already in place on the live table?": the pure decisions the executor takes before it sends
 * anything, built on the comparisons of plan/part-compare.ts that verify reports as checks. A step the
 * executor skips is a check verify calls ok, and the other way round (test/unit/plan/in-place.test.ts
 * proves it for every operation kind).
 */

/** What a TTL step must do: nothing, one UpdateTimeToLive, or fail (a change DynamoDB refuses). */
export type TtlDecision =
  | { action: 'skip'; detail: string }
  | { action: 'update'; attributeName: string; enabled: boolean }
  | { action: 'refuse'; message: string }

/**
 * Decides a TTL step from the live TTL. ENABLING and DISABLING count as in progress (skip when they head
 * the wanted way: verify calls them pending). Changing the attribute of an enabled TTL, or enabling while
 * DISABLING, is refused with the reason: DynamoDB allows one TTL change per table per hour.
 */
export function ttlDecision(wanted: TimeToLiveSpecification, live: LiveTable): TtlDecision {
  const { status, attribute } = liveTtl(live)
  if (!wanted.Enabled) {
    if (status === 'DISABLED' || status === 'DISABLING') {
      return { action: 'skip', detail: `TTL is ${status}` }
    }
    const name = attribute ?? wanted.AttributeName
    if (name === undefined) return { action: 'refuse', message: 'TTL is enabled on no attribute' }
    return { action: 'update', attributeName: name, enabled: false }
  }
  if (wanted.AttributeName === undefined) {
    return { action: 'refuse', message: 'enabling TTL needs an AttributeName' }
  }
  if (status === 'ENABLED' || status === 'ENABLING') {
    if (attribute === wanted.AttributeName) {
      return { action: 'skip', detail: `TTL is ${status} on ${attribute}` }
    }
    return {
      action: 'refuse',
      message: `TTL is ${status} on attribute ${attribute ?? '?'}, not ${wanted.AttributeName}: disable it, then enable it on the new attribute at least 1 h later (DynamoDB allows one TTL change per table per hour)`,
    }
  }
  if (status === 'DISABLING') {
    return {
      action: 'refuse',
      message: `TTL is still DISABLING; it can be enabled again once that finishes (up to 1 h)`,
    }
  }
  return { action: 'update', attributeName: wanted.AttributeName, enabled: true }
}

/** The throughput changes an updateBilling step sends (the UpdateTable fields, without TableName). */
export type BillingChanges = {
  BillingMode: 'PROVISIONED' | 'PAY_PER_REQUEST'
  ProvisionedThroughput?: ProvisionedThroughput
  OnDemandThroughput?: OnDemandThroughput
  GlobalSecondaryIndexUpdates?: {
    Update: {
      IndexName: string
      ProvisionedThroughput?: ProvisionedThroughput
      OnDemandThroughput?: OnDemandThroughput
    }
  }[]
}

/**
 * The UpdateTable fields that bring billing to the wanted state, or undefined when it is in place. Values
 * are compared by their texts (an on-demand maximum left out is "no limit", as DescribeTable's -1). Only
 * throughput that differs is sent (AWS refuses an unchanged value), except on a switch to PROVISIONED,
 * which needs every value; a maximum the live table has and the wanted state lacks is sent as -1.
 */
export function billingChanges(
  op: OperationOf<'updateBilling'>,
  live: TableSchema,
): BillingChanges | undefined {
  const switching = billingMode(live) !== op.billingMode
  const provisioned = op.billingMode === 'PROVISIONED'
  const out: BillingChanges = { BillingMode: op.billingMode }
  const pt = (want: ProvisionedThroughput | undefined, have: ProvisionedThroughput | undefined) =>
    want !== undefined && (switching || provisionedText(want) !== provisionedText(have))
      ? want
      : undefined
  const od = (want: OnDemandThroughput | undefined, have: OnDemandThroughput | undefined) =>
    onDemandText(want) === onDemandText(have) ? undefined : onDemandToSend(want, have)
  if (provisioned) {
    const send = pt(op.provisionedThroughput, live.ProvisionedThroughput)
    if (send) out.ProvisionedThroughput = send
  } else {
    const send = od(op.onDemandThroughput, live.OnDemandThroughput)
    if (send) out.OnDemandThroughput = send
  }
  const updates: NonNullable<BillingChanges['GlobalSecondaryIndexUpdates']> = []
  for (const index of op.indexes ?? []) {
    const gsi = live.GlobalSecondaryIndexes?.find((g) => g.IndexName === index.IndexName)
    if (provisioned) {
      const send = pt(index.ProvisionedThroughput, gsi?.ProvisionedThroughput)
      if (send)
        updates.push({ Update: { IndexName: index.IndexName, ProvisionedThroughput: send } })
    } else {
      const send = od(index.OnDemandThroughput, gsi?.OnDemandThroughput)
      if (send) updates.push({ Update: { IndexName: index.IndexName, OnDemandThroughput: send } })
    }
  }
  if (updates.length) out.GlobalSecondaryIndexUpdates = updates
  if (!switching && Object.keys(out).length === 1) return undefined
  return out
}

/** The wanted maximums, with -1 for each one the live side limits and the wanted side leaves out. */
function onDemandToSend(
  want: OnDemandThroughput | undefined,
  have: OnDemandThroughput | undefined,
): OnDemandThroughput {
  const field = (k: keyof OnDemandThroughput) =>
    want?.[k] !== undefined
      ? { [k]: want[k] }
      : (have?.[k] ?? NO_LIMIT) !== NO_LIMIT
        ? { [k]: NO_LIMIT }
        : {}
  return { ...field('MaxReadRequestUnits'), ...field('MaxWriteRequestUnits') }
}

/** Whether PITR is in place; `undefined` when the endpoint cannot say (then nothing is in place). */
function pitrInPlace(
  wanted: PointInTimeRecoverySpecification,
  live: LiveTable,
): boolean | undefined {
  if (unsupportedPart(live, 'pitr') !== undefined) return undefined
  return comparePitr(wanted, live.definition).same
}

/**
 * Per operation kind: is its effect already in place on `live` (undefined: the table does not exist)?
 * What the endpoint cannot report is never in place. `createTable` covers what its step converges on an
 * existing table (same keys, TTL, PITR, tags); TTL on its way (ENABLING/DISABLING the wanted way) counts.
 */
export const IN_PLACE: PerKind<[live: LiveTable | undefined], boolean> = {
  createTable: (op, live) => {
    if (live === undefined || !compareKeys(op.definition, live.definition).same) return false
    const d = op.definition
    const ttl = d.TimeToLiveSpecification
    const pitr = d.PointInTimeRecoverySpecification
    return (
      (ttl === undefined || ttlDecision(ttl, live).action === 'skip') &&
      (!pitr?.PointInTimeRecoveryEnabled || pitrInPlace(pitr, live) === true) &&
      (!d.Tags?.length ||
        (unsupportedPart(live, 'tags') === undefined &&
          tagsToSet(d.Tags, live.definition.Tags ?? []).length === 0))
    )
  },
  deleteTable: (_op, live) => live === undefined,
  createGsi: (op, live) =>
    live !== undefined &&
    compareGsi(
      op.index,
      op.attributeDefinitions,
      live.definition,
      billingMode(live.definition) === 'PROVISIONED',
    ).same &&
    live.indexes[op.index.IndexName]?.status === 'ACTIVE',
  deleteGsi: (op, live) =>
    live === undefined ||
    !(live.definition.GlobalSecondaryIndexes ?? []).some((g) => g.IndexName === op.indexName),
  updateTtl: (op, live) => live !== undefined && ttlDecision(op.ttl, live).action === 'skip',
  updatePitr: (op, live) => live !== undefined && pitrInPlace(op.pitr, live) === true,
  updateBilling: (op, live) =>
    live !== undefined && billingChanges(op, live.definition) === undefined,
  updateStream: (op, live) =>
    live !== undefined &&
    compareStream(op.stream ? { StreamSpecification: op.stream } : {}, live.definition).same,
  updateSse: (op, live) =>
    live !== undefined &&
    unsupportedPart(live, 'sse') === undefined &&
    compareSse(op.sse, live.definition).same,
  updateDeletionProtection: (op, live) =>
    live !== undefined && compareDeletionProtection(op.enabled, live.definition).same,
  updateTableClass: (op, live) =>
    live !== undefined &&
    unsupportedPart(live, 'tableClass') === undefined &&
    compareTableClass({ TableClass: op.tableClass }, live.definition).same,
  tag: (op, live) =>
    live !== undefined &&
    unsupportedPart(live, 'tags') === undefined &&
    tagsToSet(op.tags, live.definition.Tags ?? []).length === 0,
  untag: (op, live) =>
    live !== undefined &&
    unsupportedPart(live, 'tags') === undefined &&
    tagsToRemove(op.keys, live.definition.Tags ?? []).length === 0,
}
