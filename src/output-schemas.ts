import { z } from 'zod'
import { ERRORS, SIGNAL_EXIT, type ErrorCode } from './errors.js'
import { Operation } from './schema/operation.js'
import {
  BackfillResultDoc,
  BackfillStatusDoc,
  DryRunBackfillDoc,
  WorkerResultDoc,
} from './output-schemas-backfill.js'

/**
 * The documents `--json` prints, as zod schemas: one success document per command and the one failure
 * document every command prints. Strict objects throughout (an unknown key is an error), except where a
 * value is the user's data (seed samples, verify's expected/actual) or an error's free-form details.
 * They generate schema/output/*.schema.json (see outputSchemaFiles) and docs/json-output.md describes them;
 * test/unit/output-schemas.test.ts holds each result schema equal to the api type it describes.
 */

const count = z.int().min(0)

/**
 * The migration operation (schema/operation.ts) under an id, so each generated file holds it once in
 * `$defs` (a copy: the migration file's own JSON Schema is unchanged).
 */
const OperationDoc = Operation.meta({ id: 'Operation' })

/** A problem in a user's file (issues.ts Issue). */
export const IssueDoc = z.strictObject({
  file: z.string().describe('Relative to the project root, forward slashes: schemas/Orders.json'),
  path: z
    .string()
    .describe(
      'JSON path inside the file (GlobalSecondaryIndexes[1].KeySchema); empty for the file as a whole',
    ),
  message: z.string(),
  hint: z.string().optional(),
})

/** One verification check (plan/compare.ts Check). */
export const CheckDoc = z.strictObject({
  table: z.string().describe('Logical table name'),
  check: z
    .string()
    .describe(
      'exists, keys, gsi:<name>, gsi:<name>:extra, lsi:<name>, billing, ttl, pitr, sse, stream, deletionProtection, tableClass, tags, data:<...>',
    ),
  status: z.enum(['ok', 'drift', 'unsupported', 'pending']),
  expected: z.unknown().optional().describe('Display value (JSON-safe) of what schemas/ asks for'),
  actual: z.unknown().optional().describe('Display value (JSON-safe) of what the live table has'),
  detail: z.string().optional(),
})

/** `ddbm verify` (api/verify.ts VerifyResult); also nested in migrate up, seed and db reset. */
export const VerifyResultDoc = z
  .strictObject({
    env: z.string(),
    tables: z.array(
      z.strictObject({ table: z.string(), physical: z.string(), checks: z.array(CheckDoc) }),
    ),
    summary: z.strictObject({ ok: count, drift: count, unsupported: count, pending: count }),
  })
  .meta({ id: 'VerifyResult' })

/** A backup taken before a deletion (plan/history.ts BackupRecord). */
export const BackupDoc = z
  .strictObject({
    table: z.string().describe('Physical table name'),
    arn: z.string().describe('The backup ARN, for RestoreTableFromBackup'),
    op: z.enum(['deleteTable', 'deleteGsi']).describe('The deletion it was taken before'),
    index: z.string().optional().describe('The GSI deleted, for deleteGsi'),
  })
  .meta({ id: 'Backup' })

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

/** `init` (api/init.ts InitResult). */
export const InitResultDoc = z.strictObject({
  root: z.string().describe('Absolute path of the project root (the folder of the config file)'),
  created: z.array(z.string()).describe('Files written, relative to the root'),
  gitignore: z.strictObject({
    file: z.literal('.gitignore'),
    status: z.enum(['created', 'updated', 'unchanged']),
    added: z.array(z.string()).describe('Lines added (empty when unchanged)'),
  }),
  packageJson: z.strictObject({
    found: z.boolean(),
    suggestions: z
      .strictObject({
        install: z
          .string()
          .nullable()
          .describe('The install command; null when ddbm is already a dependency'),
        scripts: z.record(z.string(), z.string()).describe('Scripts package.json lacks'),
      })
      .nullable()
      .describe('Null without a package.json (run ddbm with npx)'),
  }),
  next: z.array(z.string()).describe('The commands to run next'),
})

const RunningLocal = z.strictObject({
  running: z.literal(true),
  pid: z.int(),
  port: z.int(),
  endpoint: z.string(),
  storage: z.enum(['disk', 'memory']),
  dataDir: z.string().optional().describe('Absolute; storage disk only'),
  startedAt: z.string(),
  owner: z
    .enum(['user', 'command', 'idle'])
    .describe(
      'user: `ddbm local start`; command: a command that stops it when done; idle: left running by a command, stopped once unused for idleTimeoutMs',
    ),
  idleTimeoutMs: z.int().optional().describe('Owner idle only: stopped after this long unused'),
})

/** `local status` (api/local.ts LocalStatus). */
export const LocalStatusDoc = z.discriminatedUnion('running', [
  z.strictObject({ running: z.literal(false) }),
  RunningLocal,
])

/** `local stop`. */
export const LocalStopDoc = z.strictObject({
  stopped: z.boolean(),
  pid: z.int().optional(),
  port: z.int().optional(),
})

const Problems = <T extends z.ZodRawShape>(shape: T) =>
  z.looseObject({
    problems: z.array(z.looseObject({ ...shape, message: z.string(), hint: z.string() })),
  })

/** The documented `details` of the codes that carry a fixed shape; other codes carry free-form details. */
const DETAILS: Partial<Record<ErrorCode, z.ZodType>> = {
  CONFIG_INVALID: z.looseObject({
    issues: z.array(IssueDoc).optional(),
    env: z.string().optional(),
  }),
  ENV_UNKNOWN: z.looseObject({ env: z.string(), known: z.array(z.string()) }),
  SCHEMA_INVALID: z.looseObject({ issues: z.array(IssueDoc) }),
  MIGRATION_INVALID: z.looseObject({
    issues: z.array(IssueDoc).optional(),
    file: z.string().optional(),
  }),
  SEED_INVALID: z.looseObject({ issues: z.array(IssueDoc) }),
  CHANGE_UNSUPPORTED: Problems({ table: z.string() }),
  MIGRATION_CHANGED: Problems({ name: z.string() }),
  MIGRATION_ORDER: Problems({ name: z.string() }),
  PROTECTED_ENV: z.looseObject({ env: z.string() }),
  LOCK_HELD: z.looseObject({ holder: z.string(), since: z.string(), waitedMs: z.number() }),
  SEED_REFUSED: z.looseObject({
    env: z.string(),
    reason: z.enum(['protected', 'not-allowed']),
    seeds: z.array(z.string()).optional(),
  }),
  SEED_FAILED: z.looseObject({
    table: z.string(),
    written: count,
    failed: count,
    firstErrors: z.array(z.strictObject({ key: z.unknown().optional(), error: z.string() })),
  }),
  PULL_CONFLICT: z.looseObject({
    result: PullResultDoc,
    pending: z
      .array(z.string())
      .optional()
      .describe('The migrations the environment has not applied (they may make the difference)'),
  }),
  INTERRUPTED: z.looseObject({
    signal: z
      .enum(['SIGINT', 'SIGTERM'])
      .optional()
      .describe('The signal that stopped the run; absent when a library caller aborted it'),
  }),
  VERIFY_DRIFT: z.looseObject({
    result: VerifyResultDoc,
    applied: z.array(z.string()).optional().describe('After migrate up: the migrations it applied'),
    reason: z
      .enum(['migrations-pending', 'schemas-ahead', 'changed-outside'])
      .optional()
      .describe(
        'Why, as far as migrations/ tell (verify, migrate up): pending migrations make the drifted changes; schemas/ differs from what migrations/ build; or the tables were changed outside ddbm',
      ),
    pending: z
      .array(z.string())
      .optional()
      .describe('With `reason`: the migrations not applied (pending, failed or interrupted)'),
  }),
}

const FreeDetails = z.record(z.string(), z.unknown())

function errorVariant<C extends ErrorCode>(code: C) {
  return z.strictObject({
    code: z.literal(code),
    // An interruption exits as shells report the signal: 130 for SIGINT, 143 for SIGTERM.
    exitCode:
      code === 'INTERRUPTED'
        ? z.union([z.literal(SIGNAL_EXIT.SIGINT), z.literal(SIGNAL_EXIT.SIGTERM)])
        : z.literal(ERRORS[code].exit),
    message: z.string(),
    hint: z.string(),
    details: (DETAILS[code] ?? FreeDetails).optional(),
  })
}

const [firstVariant, ...otherVariants] = (Object.keys(ERRORS) as ErrorCode[]).map(errorVariant)
if (firstVariant === undefined) throw new Error('the ERRORS catalogue is empty')

/** The error of a failure document: one variant per code, with its exit code fixed by the catalogue. */
export const ErrorDoc = z.discriminatedUnion('code', [firstVariant, ...otherVariants])

/** `studio` (api/studio.ts StudioStarted): printed once listening; the command then runs until Ctrl-C. */
export const StudioResultDoc = z.strictObject({
  url: z.string().describe('http://127.0.0.1:<port>/?token=<token>: the page to open'),
  port: z.int().min(1),
  env: z.string(),
  allowWrites: z
    .boolean()
    .describe('Whether item writes are allowed: --allow-writes, or the embedded engine'),
})

/** `{ "ok": false, "command", "error" }`: what any command prints with --json when it fails. */
export const FailureDocument = z.strictObject({
  ok: z.literal(false),
  command: z
    .string()
    .describe('The command words, e.g. "migrate up" (may be empty or partial on a usage error)'),
  error: ErrorDoc,
})

function success<C extends string, R extends z.ZodType>(command: C, result: R) {
  return z.strictObject({ ok: z.literal(true), command: z.literal(command), result })
}

/**
 * The success document of each command, by its command words: `{ "ok": true, "command", "result" }`.
 * Each is published as schema/output/<words joined by "-">.schema.json (`migrate-up.schema.json`).
 */
export const SUCCESS_DOCUMENTS = {
  init: success('init', InitResultDoc),
  validate: success('validate', ValidateResultDoc),
  'migrate up': success('migrate up', MigrateResultDoc.extend({ direction: z.literal('up') })),
  'migrate down': success(
    'migrate down',
    MigrateResultDoc.extend({ direction: z.literal('down') }),
  ),
  'migrate status': success('migrate status', MigrateStatusDoc),
  'migrate create': success('migrate create', CreateResultDoc),
  'migrate generate': success('migrate generate', GenerateResultDoc),
  'migrate resolve': success('migrate resolve', ResolveResultDoc),
  'migrate unlock': success('migrate unlock', UnlockResultDoc),
  'migrate worker': success('migrate worker', WorkerResultDoc),
  verify: success('verify', VerifyResultDoc),
  seed: success('seed', SeedResultDoc),
  'db pull': success('db pull', PullResultDoc),
  'db reset': success('db reset', ResetResultDoc),
  'local start': success('local start', RunningLocal),
  'local stop': success('local stop', LocalStopDoc),
  'local status': success('local status', LocalStatusDoc),
  studio: success('studio', StudioResultDoc),
} as const

/** A command's words that have a success document. */
export type DocumentedCommand = keyof typeof SUCCESS_DOCUMENTS

/**
 * The JSON Schema files of the --json documents, by path (`schema/output/migrate-up.schema.json`, ...,
 * and `schema/output/error.schema.json` for the failure document), as the exact text to commit.
 */
export function outputSchemaFiles(): Record<string, string> {
  const text = (title: string, description: string, schema: z.ZodType) =>
    `${JSON.stringify({ title, description, ...z.toJSONSchema(schema, { io: 'output' }) }, null, 2)}\n`
  const files: Record<string, string> = {}
  for (const [command, schema] of Object.entries(SUCCESS_DOCUMENTS)) {
    files[`schema/output/${command.replace(' ', '-')}.schema.json`] = text(
      `ddbm ${command} --json`,
      `The document \`ddbm ${command} --json\` prints on success (exit 0); a failure prints error.schema.json's. See docs/json-output.md.`,
      schema,
    )
  }
  files['schema/output/error.schema.json'] = text(
    'ddbm --json failure',
    'The document any ddbm command prints with --json when it fails (exit 1-4). See docs/json-output.md.',
    FailureDocument,
  )
  return files
}
