import type { Item } from './spec.js'

/**
 * What a backfill would cost, from DescribeTable's (approximate, refreshed about every six hours) item
 * count and size and what the transform did to a sample (`migrate up --dry-run`). Capacity follows the
 * documented rules: an eventually consistent Scan reads half a unit per 4 KB of items read, a write costs
 * one unit per KB of the item, at least 1 (docs/dynamodb-rules.md;
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/provisioned-capacity-mode.html).
 */
export type BackfillEstimate = {
  /** Items in the table (or index) as DescribeTable reports them; null when it does not. */
  items: number | null
  /** Bytes of the table (or index); null when not reported. */
  tableBytes: number | null
  /** Read units of one full eventually consistent scan. */
  readUnits: number | null
  /** Items that would be written: `items` times the sample's share of writes among the items scanned. */
  writes: number | null
  /** Units of those writes (each at least 1). */
  writeUnits: number | null
  /** The backfill's rate in units per second; null: unlimited. */
  rate: { readPerSec: number | null; writePerSec: number | null }
  /** Time at that rate, the slower of reading and writing; null when unlimited or unknown. */
  seconds: number | null
}

/** What the sample of a dry run found. */
export type SampleCounts = {
  /** Items the sample's scan read (before the filter). */
  scanned: number
  /** Of those, items that passed the filter and went through the transform. */
  matched: number
  /** Of those, items the transform would write (put, update or delete). */
  writes: number
  /** Mean size in bytes (itemSize) of the items as they would be written; 0 without writes. */
  writeBytes: number
}

const KB = 1024

/**
 * The estimate of a backfill over a table of `items` items and `tableBytes` bytes, from `sample`, at
 * `rate` (units per second, Infinity or null for unlimited). A sample that scanned nothing estimates no
 * writes. Pure: numbers in, numbers out.
 */
export function estimateBackfill(input: {
  items: number | undefined
  tableBytes: number | undefined
  sample: SampleCounts
  rate: { readPerSec: number | null; writePerSec: number | null }
}): BackfillEstimate {
  const { sample } = input
  const items = input.items ?? null
  const tableBytes = input.tableBytes ?? null
  const readUnits = tableBytes === null ? null : Math.ceil(tableBytes / (4 * KB)) / 2
  const share = sample.scanned === 0 ? 0 : sample.writes / sample.scanned
  const writes = items === null ? null : Math.round(items * share)
  const unitsPerWrite = Math.max(1, Math.ceil(sample.writeBytes / KB))
  const writeUnits = writes === null ? null : writes * unitsPerWrite
  const rate = {
    readPerSec: finite(input.rate.readPerSec),
    writePerSec: finite(input.rate.writePerSec),
  }
  return {
    items,
    tableBytes,
    readUnits,
    writes,
    writeUnits,
    rate,
    seconds: secondsAt(rate, readUnits, writeUnits),
  }
}

/** The time reading and writing take at `rate`; null when neither is limited or the units are unknown. */
function secondsAt(
  rate: { readPerSec: number | null; writePerSec: number | null },
  readUnits: number | null,
  writeUnits: number | null,
): number | null {
  if (rate.readPerSec === null && rate.writePerSec === null) return null
  if (readUnits === null || writeUnits === null) return null
  const read = rate.readPerSec === null ? 0 : readUnits / rate.readPerSec
  const write = rate.writePerSec === null ? 0 : writeUnits / rate.writePerSec
  return Math.max(read, write)
}

function finite(n: number | null): number | null {
  return n !== null && Number.isFinite(n) && n > 0 ? n : null
}

/**
 * The size of `item` as DynamoDB counts it, approximately: attribute names plus values, strings and
 * binaries by their bytes, numbers about 1 byte per two digits plus 1, booleans and null 1, lists and maps
 * 3 bytes plus 1 per element plus their elements, sets the sum of their members
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html).
 */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce(
    (n, [name, value]) => (value === undefined ? n : n + bytes(name) + valueSize(value)),
    0,
  )
}

function valueSize(value: unknown): number {
  if (typeof value === 'string') return bytes(value)
  if (typeof value === 'number' || typeof value === 'bigint') {
    const digits = String(value)
      .replace(/[-.]|e.*$/gi, '')
      .replace(/^0+/, '').length
    return Math.ceil(Math.max(1, digits) / 2) + 1
  }
  if (typeof value === 'boolean' || value === null) return 1
  if (value instanceof Uint8Array) return value.length
  if (value instanceof Set)
    return [...(value as Set<unknown>)].reduce<number>((n, v) => n + valueSize(v), 0)
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + 1 + valueSize(v), 3)
  if (typeof value === 'object') return 3 + itemSize(value as Item) + Object.keys(value).length
  return 0
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}
