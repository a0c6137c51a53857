import { z } from 'zod'
import { BackupDoc, VerifyResultDoc } from './common.js'
import { MigrateResultDoc } from './migrate.js'
import { SeedResultDoc } from './seed.js'

/** The documents of `db pull` and `db reset`. */

/** One pulled table (api/db.ts PulledTable). */
export const PulledTableDoc = z.strictObject({
  table: z.string().describe('Logical table name'),
  physical: z.string().describe('Physical table name'),
  file: z.string().describe('Relative to the project root: schemas/Orders.json'),
  status: z
    .enum(['new', 'changed', 'unchanged'])
    .describe(
      'new: no file yet; changed: the file says something else; unchanged: the file already says what the live table is',
    ),
  written: z.boolean().describe('new files, and changed ones with --force; never on a dry run'),
  diff: z
    .array(z.string())
    .describe(
      'Unified diff lines (@@ headers, then " ", "-", "+" lines) from the file, normalized, to what pull writes; empty when unchanged',
    ),
  unreported: z
    .array(z.enum(['pitr', 'tags', 'sse', 'tableClass']))
    .describe(
      'Parts the endpoint could not report: the existing file’s value is kept, a new file has none',
    ),
  notes: z.array(z.string()).describe('What a reader of the file should know (the KMS key)'),
})

/** `db pull` (api/db.ts PullResult). */
export const PullResultDoc = z
  .strictObject({
    dryRun: z.boolean().describe('--dry-run: nothing was written'),
    written: z.array(z.string()).describe('Files written'),
    unchanged: z
      .array(z.string())
      .describe('Files that already say what the live table is: not rewritten'),
    conflicts: z
      .array(z.string())
      .describe(
        'Files that differ from the live table, left as they are (no --force); empty on a dry run',
      ),
    tables: z.array(PulledTableDoc),
    skipped: z
      .array(z.string())
      .describe(
        'Physical names left out: the meta table, tables not named by the environment’s template',
      ),
  })
  .meta({ id: 'PullResult' })

/** `db reset` (api/reset.ts ResetResult). */
export const ResetResultDoc = z.strictObject({
  env: z.string(),
  deleted: z
    .array(z.string())
    .describe('Physical names of the deleted tables (the meta table included)'),
  migrate: MigrateResultDoc.extend({ direction: z.literal('up') }).describe(
    '`migrate up` from an empty environment (its own verification left out: see `verify`)',
  ),
  seed: SeedResultDoc.omit({ verify: true }).describe(
    'What seeding wrote; its verification is part of `verify`',
  ),
  verify: VerifyResultDoc.describe(
    'The whole environment at the end: verify’s checks of every table plus the seeded data checks',
  ),
  backups: z
    .array(BackupDoc)
    .optional()
    .describe('Backups of the deleted tables (protected environments, confirmed)'),
})
