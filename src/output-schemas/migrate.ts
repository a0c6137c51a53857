import { z } from 'zod'
import { BackfillResultDoc, BackfillStatusDoc, DryRunBackfillDoc } from './backfill.js'
import { BackupDoc, IssueDoc, OperationDoc, VerifyResultDoc } from './common.js'

/** The documents of the migrate commands and of validate. */

/** One migration's state (plan/history.ts StatusRow). */
export const StatusRowDoc = z.strictObject({
  name: z.string(),
  file: z
    .string()
    .optional()
    .describe('Absent for a recorded migration whose file is gone (missing)'),
  state: z.enum(['applied', 'pending', 'failed', 'interrupted', 'running', 'changed', 'missing']),
  appliedAt: z.string().optional().describe('ISO time the run finished (or started)'),
  appliedBy: z.string().optional(),
  durationMs: z.number().optional(),
  error: z
    .string()
    .optional()
    .describe('Why a failed run failed, or where an interrupted one stopped'),
  backups: z
    .array(BackupDoc)
    .optional()
    .describe('Backups its run took before deletions (protected environments)'),
})

/** One planned step of a migration run (api/migrate.ts PlannedStep). */
export const PlannedStepDoc = z.strictObject({
  op: z
    .union([OperationDoc, z.strictObject({ op: z.literal('typescript'), file: z.string() })])
    .describe(
      'The operation as in the migration file (logical table names), or the TypeScript migration run',
    ),
  table: z.string().describe('Physical table name ("" for a TypeScript migration)'),
  text: z.string().describe('One line of human text'),
})

/** `migrate up` / `migrate down` (api/migrate.ts MigrateResult); `direction` narrowed per command. */
export const MigrateResultDoc = z.strictObject({
  env: z.string(),
  metaTable: z.string(),
  direction: z.enum(['up', 'down']),
  dryRun: z.boolean(),
  migrations: z
    .array(z.strictObject({ name: z.string(), steps: z.array(PlannedStepDoc) }))
    .describe('The migrations run (or, on a dry run, that would run), in order'),
  status: z.array(StatusRowDoc).describe('Every migration’s state after the run'),
  verify: VerifyResultDoc.optional().describe(
    'After up only; absent on a dry run, with --no-verify, or while migrations stay pending',
  ),
  backups: z
    .array(BackupDoc.extend({ migration: z.string() }))
    .optional()
    .describe('Backups taken before deletions, with the migration that took each'),
  backfills: z
    .array(BackfillResultDoc)
    .optional()
    .describe('What each backfill of the TypeScript migrations run did'),
  dryRunBackfills: z
    .array(DryRunBackfillDoc)
    .optional()
    .describe('up --dry-run: what each backfill of the pending TypeScript migrations would do'),
  notPreviewed: z
    .array(
      z.strictObject({
        migration: z.string(),
        reason: z.string(),
        createdBefore: z
          .array(z.string())
          .describe('Physical names of the tables the pending migrations before it create'),
      }),
    )
    .optional()
    .describe(
      'up --dry-run: the pending TypeScript migrations whose up() read a table that does not exist yet while a pending migration before them creates tables',
    ),
})

/** `migrate status` (api/migrate-admin.ts MigrateStatus). */
export const MigrateStatusDoc = z.strictObject({
  env: z.string(),
  metaTable: z.string(),
  rows: z.array(StatusRowDoc),
  problems: z
    .array(
      z.strictObject({
        code: z.string().describe('MIGRATION_CHANGED, MIGRATION_MISSING or MIGRATION_ORDER'),
        name: z.string(),
        message: z.string(),
      }),
    )
    .describe('What `migrate up` would refuse to go past'),
  lock: z.strictObject({ holder: z.string(), since: z.string() }).optional(),
  environment: z
    .strictObject({
      name: z.string(),
      protected: z.boolean(),
      createdAt: z.string(),
      createdBy: z.string(),
    })
    .optional()
    .describe(
      "The environment's identity recorded in the meta table (absent before the first mutating command)",
    ),
  backfills: z
    .array(BackfillStatusDoc)
    .optional()
    .describe('Backfills not done (running, or left by a run that stopped), from the meta table'),
})

/** `validate` (api/validate.ts ValidateResult). */
export const ValidateResultDoc = z.strictObject({
  configFile: z.string().describe('Absolute path of ddbm.config.json'),
  env: z.string(),
  tables: z.array(z.strictObject({ name: z.string(), file: z.string(), physicalName: z.string() })),
  migrations: z.array(z.string()),
  seeds: z.array(z.string()).describe('Seed files in the order they run'),
  issues: z.array(IssueDoc).describe('Always empty: problems fail the command'),
})

/** `migrate generate` (api/generate.ts GenerateResult); `file` and `name` absent when nothing changed. */
export const GenerateResultDoc = z.strictObject({
  file: z.string().optional(),
  name: z.string().optional(),
  up: z.array(OperationDoc),
  down: z.array(OperationDoc),
  plan: z.array(z.string()).describe('One line per up operation'),
  notes: z.array(z.string()),
  pending: z
    .array(z.string())
    .optional()
    .describe(
      'Only when nothing changed: the migrations the environment has not applied, where that could be read without starting an engine or calling AWS (a running embedded engine, a loopback endpoint)',
    ),
})

/** `migrate create`. */
export const CreateResultDoc = z.strictObject({ name: z.string(), file: z.string() })

/** `migrate resolve`. */
export const ResolveResultDoc = z.strictObject({
  name: z.string(),
  status: z.enum(['applied', 'rolled-back']),
})

/** `migrate unlock`: `holder` and `since` of the removed lock. */
export const UnlockResultDoc = z.strictObject({
  removed: z.boolean(),
  holder: z.string().optional(),
  since: z.string().optional(),
})
