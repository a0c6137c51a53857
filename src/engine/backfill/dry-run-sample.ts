import {
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { estimateBackfill, itemSize, type BackfillEstimate } from '../../backfill/estimate.js'
import { afterOf, exampleOf, type BackfillExample } from '../../backfill/preview.js'
import { resolveSpec, writeOf, type BackfillSpec, type ResolvedSpec } from '../../backfill/spec.js'
import { describeTable } from '../../dynamo/wait.js'
import { DdbmError, messageOf } from '../../errors.js'
import { rateFor } from './capacity-read.js'

/** Items a dry run samples by default (items that pass the filter). */
export const DRY_RUN_SAMPLE = 100
/** Examples of a change a dry run shows. */
export const DRY_RUN_EXAMPLES = 3
/** Segments a dry run reads the first pages of, at most, and pages per segment. */
const SAMPLE_SEGMENTS = 4
const SAMPLE_PAGES = 3
/** Segments read at most when the first ones hold too few items (most are empty on a small table). */
const MAX_SAMPLE_SEGMENTS = 64

/** What `migrate up --dry-run` found for one `ctx.backfill` (nothing was written). */
export type DryRunBackfill = {
  migration: string
  name: string
  /** Physical table (and GSI) it would scan. */
  table: string
  index?: string
  segments: number
  /** The table does not exist yet (a pending migration creates it): nothing was sampled. */
  missing: boolean
  /** The sample: items scanned, those that passed the filter, and what the transform made of them. */
  sample: { scanned: number; matched: number; writes: number; skips: number }
  /** The first few sampled items the transform would change, before and after. */
  examples: BackfillExample[]
  /** Items, capacity and time of the whole backfill; absent when the table is missing. */
  estimate?: BackfillEstimate
}

/**
 * The dry run of one backfill: reads a sample of `sampleSize` items that pass the filter from the first
 * pages of the first few segments (Scan only), runs the transform on each, and estimates the whole run
 * from DescribeTable's item count and size (estimate.ts) at the spec's rate (a fraction of the table's
 * capacity is read like the run reads it). Writes nothing. A transform that throws fails it as it would
 * fail the run (MIGRATION_FAILED naming the item).
 */
export async function sampleBackfill(
  input: BackfillSpec,
  deps: {
    client: DynamoDBClient
    tableName: (logical: string) => string
    migration: string
    file: string
    sampleSize?: number
  },
): Promise<DryRunBackfill> {
  const spec = resolveSpec(input, deps.file)
  const { client } = deps
  const table = deps.tableName(spec.table)
  const head = {
    migration: deps.migration,
    name: spec.name,
    table,
    ...(spec.index === undefined ? {} : { index: spec.index }),
    segments: spec.segments,
  }
  const description = await describeTable(client, table)
  const sample = { scanned: 0, matched: 0, writes: 0, skips: 0 }
  if (description === undefined) return { ...head, missing: true, sample, examples: [] }
  const gsi = indexOf(description, spec, deps.file)
  const keyNames = (description.KeySchema ?? []).map((k) => k.AttributeName ?? '')
  const examples: BackfillExample[] = []
  let writeBytes = 0
  for await (const page of samplePages(client, table, spec, deps.sampleSize ?? DRY_RUN_SAMPLE)) {
    sample.scanned += page.scanned
    for (const raw of page.items) {
      const item = unmarshall(raw)
      sample.matched++
      let write
      try {
        write = writeOf(await spec.transform(item), item, keyNames)
      } catch (err) {
        const key = JSON.stringify(Object.fromEntries(keyNames.map((k) => [k, raw[k]])))
        throw new DdbmError(
          'MIGRATION_FAILED',
          `Backfill ${spec.name} (dry run): the transform failed for ${key}: ${messageOf(err)}`,
          { name: deps.migration, direction: 'up', table },
          { cause: err },
        )
      }
      if (write === undefined) {
        sample.skips++
        continue
      }
      sample.writes++
      writeBytes += itemSize(afterOf(write, item) ?? item)
      if (examples.length < DRY_RUN_EXAMPLES) examples.push(exampleOf(write, item))
    }
  }
  const rate = await rateFor(client, table, spec.rate, spec.index)
  const estimate = estimateBackfill({
    items: gsi === undefined ? description.ItemCount : gsi.ItemCount,
    tableBytes: gsi === undefined ? description.TableSizeBytes : gsi.IndexSizeBytes,
    sample: {
      scanned: sample.scanned,
      matched: sample.matched,
      writes: sample.writes,
      writeBytes: sample.writes === 0 ? 0 : writeBytes / sample.writes,
    },
    rate: {
      readPerSec: Number.isFinite(rate.readPerSec) ? rate.readPerSec : null,
      writePerSec: Number.isFinite(rate.writePerSec) ? rate.writePerSec : null,
    },
  })
  return { ...head, missing: false, sample, examples, estimate }
}

/**
 * Pages of the sample: up to SAMPLE_PAGES pages of each of the first SAMPLE_SEGMENTS segments (then the
 * next ones while the sample is short), until `size` items passed the filter. Whole pages are kept, so
 * the share of writes among the items scanned stays exact.
 */
async function* samplePages(
  client: DynamoDBClient,
  table: string,
  spec: ResolvedSpec,
  size: number,
): AsyncGenerator<{ scanned: number; items: Record<string, AttributeValue>[] }> {
  const values =
    spec.values === undefined ? {} : marshall(spec.values, { removeUndefinedValues: true })
  const per = Math.max(1, Math.ceil(size / Math.min(spec.segments, SAMPLE_SEGMENTS)))
  let taken = 0
  const segments = Math.min(spec.segments, MAX_SAMPLE_SEGMENTS)
  for (let segment = 0; segment < segments && taken < size; segment++) {
    let startKey: Record<string, AttributeValue> | undefined
    let got = 0
    for (let page = 0; page < SAMPLE_PAGES && got < per && taken < size; page++) {
      const out = await client.send(
        new ScanCommand({
          TableName: table,
          ...(spec.index === undefined ? {} : { IndexName: spec.index }),
          Segment: segment,
          TotalSegments: spec.segments,
          Limit: Math.min(spec.pageSize, Math.max(per - got, 1), size - taken),
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          ...(spec.filter === undefined ? {} : { FilterExpression: spec.filter }),
          ...(spec.names === undefined ? {} : { ExpressionAttributeNames: spec.names }),
          ...(Object.keys(values).length === 0 ? {} : { ExpressionAttributeValues: values }),
        }),
      )
      const items = out.Items ?? []
      got += items.length
      taken += items.length
      yield { scanned: out.ScannedCount ?? items.length, items }
      startKey = out.LastEvaluatedKey
      if (startKey === undefined) break
    }
    // Segments are many on a small table, and most of them empty: stop after a few once some were read.
    if (segment + 1 >= SAMPLE_SEGMENTS * 4 && taken > 0) break
  }
}

function indexOf(
  table: TableDescription,
  spec: ResolvedSpec,
  file: string,
): NonNullable<TableDescription['GlobalSecondaryIndexes']>[number] | undefined {
  if (spec.index === undefined) return undefined
  const gsi = (table.GlobalSecondaryIndexes ?? []).find((g) => g.IndexName === spec.index)
  if (gsi !== undefined) return gsi
  throw new DdbmError(
    'MIGRATION_INVALID',
    `${file}: ctx.backfill index ${spec.index} is not a GSI of ${table.TableName ?? spec.table}`,
    { file, field: 'index' },
    { hint: 'Name a GSI of the table, or leave `index` out to scan the table.' },
  )
}
