import { z } from 'zod'
import { ERRORS, SIGNAL_EXIT, type ErrorCode } from '../errors.js'
import { count, IssueDoc, VerifyResultDoc } from './common.js'
import { PullResultDoc } from './db.js'

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

/** `{ "ok": false, "command", "error" }`: what any command prints with --json when it fails. */
export const FailureDocument = z.strictObject({
  ok: z.literal(false),
  command: z
    .string()
    .describe('The command words, e.g. "migrate up" (may be empty or partial on a usage error)'),
  error: ErrorDoc,
})
