import { z } from 'zod'
import { count, VerifyResultDoc } from './common.js'

/** One seeded table (api/seed.ts SeedTableResult). */
export const SeedTableDoc = z.strictObject({
  table: z.string(),
  physical: z.string(),
  files: z.array(z.string()),
  count: count,
  written: count,
  failed: count,
  retries: count,
  throttles: count,
  cleared: count.optional().describe('Items deleted by --clear'),
  seconds: z.number(),
  summary: z
    .strictObject({ attribute: z.string(), counts: z.record(z.string(), count) })
    .optional(),
  sample: z
    .array(z.record(z.string(), z.unknown()))
    .optional()
    .describe('Dry run only: the first items'),
  ranges: z
    .array(z.strictObject({ file: z.string(), from: count, to: count, of: count }))
    .optional()
    .describe('Sharded run only: per seed file, the items of this shard, [from, to) of `of`'),
})

/** `seed` (api/seed.ts SeedResult). */
export const SeedResultDoc = z.strictObject({
  env: z.string(),
  seed: z.number(),
  dryRun: z.boolean(),
  shard: z
    .strictObject({ index: z.number(), count: z.number() })
    .optional()
    .describe('Sharded run only (--shard I/N): this runner is `index` (from 1) of `count`'),
  verifyOnly: z
    .boolean()
    .optional()
    .describe('--verify-only: nothing written, the tables checked against the whole seed'),
  tables: z.array(SeedTableDoc),
  verify: VerifyResultDoc.optional().describe(
    'The post-seed verification; absent on a dry run and on a sharded run',
  ),
  verifySkipped: z
    .string()
    .optional()
    .describe('Why the post-seed verification did not run (a sharded run), and what runs it'),
})
