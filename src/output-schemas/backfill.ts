import { z } from 'zod'

/**
 * The backfill parts of the `--json` documents (index.ts includes them): a backfill's result in
 * `migrate up` and `migrate worker`, its progress in `migrate status`.
 */

/** Counts and capacity units (which may be fractional). */
const count = z.number().min(0)

/** Counts of a backfill (backfill/segments.ts Counts); units are capacity units consumed. */
export const BackfillCountsDoc = z.strictObject({
  scanned: count.describe('Items read by the scan, before the filter'),
  matched: count.describe('Items that passed the filter and reached the transform'),
  written: count,
  skipped: count.describe('The transform said skip, or the write’s condition was false'),
  failed: count,
  readUnits: count,
  writeUnits: count,
})

/** One backfill run by this process (engine/backfill/run-backfill.ts BackfillResult). */
export const BackfillResultDoc = z
  .strictObject({
    migration: z.string(),
    name: z.string(),
    table: z.string().describe('Physical table scanned and written'),
    index: z.string().optional().describe('The GSI scanned instead of the table'),
    segments: z.int().min(1),
    resumedSegments: z.int().min(0).describe('Segments resumed from an earlier run’s checkpoint'),
    counts: BackfillCountsDoc.describe('The whole backfill, every process included'),
    mine: BackfillCountsDoc.describe('What this process did'),
    seconds: count,
    itemsPerSec: count,
    rate: z.strictObject({
      readPerSec: count.nullable().describe('null: unlimited'),
      writePerSec: count.nullable().describe('null: unlimited'),
    }),
    achieved: z.strictObject({ readUnitsPerSec: count, writeUnitsPerSec: count }),
    throttles: z.int().min(0),
    check: z
      .strictObject({
        sampled: z.int().min(0),
        converged: z.int().min(0),
        unknown: z.int().min(0).describe('Raw UpdateExpressions, which cannot be evaluated'),
        notConverged: z.int().min(0).describe('Items the transform would still change'),
        examples: z.array(z.record(z.string(), z.unknown())).describe('Keys of the first few'),
      })
      .optional()
      .describe('Items read back afterwards (coordinator only)'),
  })
  .meta({ id: 'BackfillResult' })

/** `migrate worker` (api/worker.ts WorkerResult). */
export const WorkerResultDoc = z.strictObject({
  env: z.string(),
  metaTable: z.string(),
  slot: z
    .strictObject({ index: z.int().min(0), count: z.int().min(1).optional() })
    .optional()
    .describe('This worker’s index (and the number of workers) as given or read from the runner'),
  backfills: z.array(BackfillResultDoc).describe('The backfills this worker joined, in order'),
})

const item = z.record(z.string(), z.unknown())

/** A dry run's estimate of a whole backfill (backfill/estimate.ts BackfillEstimate). */
export const BackfillEstimateDoc = z.strictObject({
  items: count.nullable().describe('Items in the table (or index), from DescribeTable'),
  tableBytes: count.nullable().describe('Its size in bytes, from DescribeTable'),
  readUnits: count.nullable().describe('Read units of one eventually consistent scan of it'),
  writes: count
    .nullable()
    .describe('Items that would be written: items × the sample’s share of writes'),
  writeUnits: count.nullable().describe('Units of those writes (each at least 1)'),
  rate: z.strictObject({
    readPerSec: count.nullable().describe('null: unlimited'),
    writePerSec: count.nullable().describe('null: unlimited'),
  }),
  seconds: count.nullable().describe('Time at that rate; null when unlimited or unknown'),
})

/** What `migrate up --dry-run` found for one backfill (engine/backfill/dry-run-sample.ts). */
export const DryRunBackfillDoc = z
  .strictObject({
    migration: z.string(),
    name: z.string(),
    table: z.string().describe('Physical table it would scan and write'),
    index: z.string().optional().describe('The GSI it would scan instead of the table'),
    segments: z.int().min(1),
    missing: z
      .boolean()
      .describe('The table does not exist yet (a pending migration creates it): nothing sampled'),
    sample: z.strictObject({
      scanned: z.int().min(0).describe('Items the sample’s scan read, before the filter'),
      matched: z
        .int()
        .min(0)
        .describe('Items that passed the filter and went through the transform'),
      writes: z.int().min(0).describe('Of those, items the transform would write'),
      skips: z.int().min(0),
    }),
    examples: z
      .array(
        z.strictObject({
          action: z.enum(['put', 'update', 'delete']),
          key: item,
          before: item.describe('The item as read (Sets as arrays, bytes as base64)'),
          after: item
            .nullable()
            .optional()
            .describe(
              'As the write would leave it; null for a delete; absent for a raw expression',
            ),
          expression: z.string().optional().describe('A raw UpdateExpression'),
          condition: z.string().optional().describe('The write’s ConditionExpression'),
        }),
      )
      .describe('The first sampled items the transform would change'),
    estimate: BackfillEstimateDoc.optional().describe('Absent when the table is missing'),
  })
  .meta({ id: 'DryRunBackfill' })

/** A backfill not done, in `migrate status` (backfill/status.ts BackfillStatus). */
export const BackfillStatusDoc = z
  .strictObject({
    migration: z.string(),
    name: z.string(),
    table: z.string().describe('Physical table scanned'),
    index: z.string().optional().describe('The GSI scanned instead of the table'),
    direction: z.enum(['up', 'down']).describe('The migration function that runs it'),
    startedBy: z.string().describe('Who started (or last resumed) it: user@host pid N'),
    startedAt: z.string().describe('ISO time, their clock'),
    segmentsDone: z.int().min(0),
    segments: z.int().min(1),
    counts: BackfillCountsDoc.describe('The whole backfill so far'),
    itemCount: count.optional().describe('The table’s approximate item count when it started'),
    lastCheckpointAt: z
      .string()
      .optional()
      .describe('ISO time of the latest checkpoint (the writers’ clocks); absent before the first'),
    holders: z
      .array(z.strictObject({ holder: z.string(), segments: z.array(z.int().min(0)) }))
      .describe('Open segments with a lease, by holder'),
    unheld: z.array(z.int().min(0)).describe('Open segments nobody holds'),
  })
  .meta({ id: 'BackfillStatus' })
