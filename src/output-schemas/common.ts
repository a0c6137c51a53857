import { z } from 'zod'
import { Operation } from '../schema/operation.js'

/** Pieces shared by several `--json` documents. */

export const count = z.int().min(0)

/**
 * The migration operation (schema/operation.ts) under an id, so each generated file holds it once in
 * `$defs` (a copy: the migration file's own JSON Schema is unchanged).
 */
export const OperationDoc = Operation.meta({ id: 'Operation' })

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
