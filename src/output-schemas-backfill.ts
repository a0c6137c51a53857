import { z } from 'zod'

/**
 * The backfill parts of the `--json` documents (output-schemas.ts includes them): a backfill's result in
 * `migrate up` and `migrate worker`, its progress in `migrate status`.
 */

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
