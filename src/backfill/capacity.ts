import { DdbmError } from '../errors.js'
import type { Rate } from './pacer.js'
import type { RateSpec } from './spec.js'

export type { RateSpec }

/** Where a capacity figure comes from. */
export type CapacitySource =
  'provisioned' | 'autoscaling' | 'on-demand-max' | 'on-demand-default' | 'unknown'

/** Units per second a backfill's fraction applies to: reads (from the table or the scanned index) and writes (to the table). */
export type Capacity = {
  read: number
  write: number
  /** The more specific of the two kinds' sources (autoscaling over provisioned, a maximum over the default). */
  source: CapacitySource
  /** The source of each kind (they differ when only one kind has an autoscaling target or a maximum). */
  sources: { read: CapacitySource; write: CapacitySource }
  /** One line saying where each figure comes from, for reports. */
  detail: string
}

/**
 * The throughput of an on-demand table or index without a maximum: the account's default per-table quota
 * of 40,000 read and 40,000 write request units per second, the figure the AWS Glue and EMR DynamoDB
 * connectors also assume (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html).
 */
export const ON_DEMAND_DEFAULT = 40_000

type Throughput = { ReadCapacityUnits?: number; WriteCapacityUnits?: number }
type OnDemandMax = { MaxReadRequestUnits?: number; MaxWriteRequestUnits?: number }
type IndexDescription = {
  IndexName?: string
  ProvisionedThroughput?: Throughput
  OnDemandThroughput?: OnDemandMax
}

/** The part of DescribeTable's `Table` that capacity depends on (an SDK TableDescription fits). */
export type CapacityTable = {
  TableName?: string
  BillingModeSummary?: { BillingMode?: string }
  ProvisionedThroughput?: Throughput
  OnDemandThroughput?: OnDemandMax
  GlobalSecondaryIndexes?: IndexDescription[]
  LocalSecondaryIndexes?: { IndexName?: string }[]
}

/** Autoscaling maxima of the read side (the table, or the scanned GSI) and of the table's writes. */
export type AutoscalingMax = { readMax?: number; writeMax?: number }

type Side = { units: number; source: CapacitySource; text: string }

const UNKNOWN: Side = { units: 0, source: 'unknown', text: 'unknown' }

/** A positive count, or undefined (AWS reports 0 provisioned units on on-demand tables, -1 for "no maximum"). */
function positive(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n : undefined
}

function provisionedSide(
  kind: 'read' | 'write',
  owner: string,
  provisioned: number | undefined,
  autoscalingMax: number | undefined,
): Side {
  const unit = kind === 'read' ? 'RCU' : 'WCU'
  const max = positive(autoscalingMax)
  if (max !== undefined) {
    const was = provisioned === undefined ? '' : `, provisioned now ${provisioned}`
    return {
      units: max,
      source: 'autoscaling',
      text: `${max} ${unit} autoscaling maximum of ${owner}${was}`,
    }
  }
  const units = positive(provisioned)
  if (units === undefined) return UNKNOWN
  return { units, source: 'provisioned', text: `${units} ${unit} provisioned on ${owner}` }
}

function onDemandSide(kind: 'read' | 'write', owner: string, max: number | undefined): Side {
  const unit = kind === 'read' ? 'RRU' : 'WRU'
  const units = positive(max)
  if (units !== undefined) {
    return {
      units,
      source: 'on-demand-max',
      text: `${units} ${unit} on-demand maximum of ${owner}`,
    }
  }
  return {
    units: ON_DEMAND_DEFAULT,
    source: 'on-demand-default',
    text: `${ON_DEMAND_DEFAULT} ${unit} on-demand default table quota for ${owner} (no maximum set)`,
  }
}

const SPECIFIC: CapacitySource[] = [
  'autoscaling',
  'on-demand-max',
  'provisioned',
  'on-demand-default',
  'unknown',
]

/**
 * The capacity a fraction applies to, from a DescribeTable `Table`: reads from the scanned GSI when
 * `index` names one (a local secondary index shares the table's capacity), writes to the table.
 * - PROVISIONED (or no BillingModeSummary with provisioned units, as AWS reports tables that were always
 *   provisioned): the autoscaling maximum when one is known, else the provisioned units.
 * - PAY_PER_REQUEST: the OnDemandThroughput maximum (an index without one of its own takes the table's,
 *   the smaller figure), else {@link ON_DEMAND_DEFAULT}.
 * - Otherwise `unknown`, with 0 units.
 * An `index` the table does not have is a USAGE error listing the indexes it has.
 */
export function capacityOf(
  table: CapacityTable,
  opts: { index?: string; autoscaling?: AutoscalingMax } = {},
): Capacity {
  const name = table.TableName ?? 'the table'
  const gsi = opts.index === undefined ? undefined : findGsi(table, opts.index)
  const readOwner = gsi === undefined ? `table ${name}` : `index ${opts.index} of ${name}`
  const mode = billingMode(table)
  let read: Side
  let write: Side
  if (mode === 'PROVISIONED') {
    const readUnits = (gsi ?? table).ProvisionedThroughput?.ReadCapacityUnits
    read = provisionedSide('read', readOwner, readUnits, opts.autoscaling?.readMax)
    const writeUnits = table.ProvisionedThroughput?.WriteCapacityUnits
    write = provisionedSide('write', `table ${name}`, writeUnits, opts.autoscaling?.writeMax)
  } else if (mode === 'PAY_PER_REQUEST') {
    const tableMax = positive(table.OnDemandThroughput?.MaxReadRequestUnits)
    const indexMax = positive(gsi?.OnDemandThroughput?.MaxReadRequestUnits)
    const readMax =
      indexMax !== undefined && tableMax !== undefined
        ? Math.min(indexMax, tableMax)
        : (indexMax ?? tableMax)
    read = onDemandSide('read', indexMax === undefined ? `table ${name}` : readOwner, readMax)
    write = onDemandSide('write', `table ${name}`, table.OnDemandThroughput?.MaxWriteRequestUnits)
  } else {
    read = UNKNOWN
    write = UNKNOWN
  }
  const source = SPECIFIC.find((s) => s === read.source || s === write.source) ?? 'unknown'
  return {
    read: read.units,
    write: write.units,
    source,
    sources: { read: read.source, write: write.source },
    detail:
      source === 'unknown'
        ? `the capacity of ${name} is unknown: DescribeTable reports neither a billing mode nor provisioned units`
        : `reads: ${read.text}; writes: ${write.text}`,
  }
}

function billingMode(table: CapacityTable): 'PROVISIONED' | 'PAY_PER_REQUEST' | undefined {
  const mode = table.BillingModeSummary?.BillingMode
  if (mode === 'PROVISIONED' || mode === 'PAY_PER_REQUEST') return mode
  const units = table.ProvisionedThroughput
  const read = positive(units?.ReadCapacityUnits)
  if (read !== undefined || positive(units?.WriteCapacityUnits) !== undefined) {
    return 'PROVISIONED'
  }
  return undefined
}

/** The GSI named `index`; undefined for an LSI (its reads use the table's capacity); USAGE otherwise. */
function findGsi(table: CapacityTable, index: string): IndexDescription | undefined {
  const gsi = table.GlobalSecondaryIndexes?.find((g) => g.IndexName === index)
  if (gsi !== undefined) return gsi
  if (table.LocalSecondaryIndexes?.some((l) => l.IndexName === index)) return undefined
  const known = [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])]
    .map((i) => i.IndexName)
    .filter((n): n is string => n !== undefined)
  throw new DdbmError(
    'USAGE',
    `Table ${table.TableName ?? ''} has no index named ${index}`,
    { name: 'index', table: table.TableName, known },
    { hint: `Name one of its indexes (${known.join(', ') || 'it has none'}), or scan the table.` },
  )
}

const RATE_HINT =
  'Give `rate` as { readPerSec, writePerSec } (capacity units per second, each > 0; one left out is unlimited) or as { fraction } in (0, 1] of the table capacity.'

function usage(name: string, message: string, hint = RATE_HINT): DdbmError<'USAGE'> {
  return new DdbmError('USAGE', message, { name }, { hint })
}

/** Rounded to a thousandth of a unit, so that 0.3 × 100 reads 30. */
function round(n: number): number {
  return Math.round(n * 1000) / 1000
}

/**
 * The rate a spec asks for on a table of `capacity`: no spec is unlimited (Infinity both ways); absolute
 * values are used as given (a kind left out is unlimited); a fraction multiplies both kinds of capacity.
 * Invalid specs (unknown fields, a fraction mixed with absolute values, values out of range, a fraction of
 * an unknown capacity) are USAGE errors naming the field.
 */
export function resolveRate(spec: RateSpec | undefined, capacity: Capacity): Rate {
  if (spec === undefined) return { readPerSec: Infinity, writePerSec: Infinity }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw usage('rate', `rate must be an object, got ${JSON.stringify(spec)}`)
  }
  const fields = Object.keys(spec)
  const unknown = fields.find((f) => !['fraction', 'readPerSec', 'writePerSec'].includes(f))
  if (unknown !== undefined) throw usage(`rate.${unknown}`, `rate.${unknown} is not a rate field`)
  if ('fraction' in spec) {
    const mixed = fields.find((f) => f !== 'fraction')
    if (mixed !== undefined) {
      throw usage(`rate.${mixed}`, `rate.${mixed} cannot be given with rate.fraction`)
    }
    const { fraction } = spec
    if (typeof fraction !== 'number' || !(fraction > 0 && fraction <= 1)) {
      throw usage(
        'rate.fraction',
        `rate.fraction must be a number in (0, 1], got ${String(fraction)}`,
      )
    }
    if (capacity.source === 'unknown' || !(capacity.read > 0 && capacity.write > 0)) {
      throw usage(
        'rate.fraction',
        `rate.fraction needs the table's capacity: ${capacity.detail}`,
        'Give an absolute rate instead: { readPerSec, writePerSec } in capacity units per second.',
      )
    }
    return {
      readPerSec: round(capacity.read * fraction),
      writePerSec: round(capacity.write * fraction),
    }
  }
  return { readPerSec: absolute(spec, 'readPerSec'), writePerSec: absolute(spec, 'writePerSec') }
}

function absolute(
  spec: { readPerSec?: number; writePerSec?: number },
  field: 'readPerSec' | 'writePerSec',
): number {
  const value = spec[field]
  if (value === undefined) return Infinity
  if (typeof value !== 'number' || !(value > 0)) {
    throw usage(`rate.${field}`, `rate.${field} must be a number > 0, got ${String(value)}`)
  }
  return value
}
