import { z } from 'zod'
import { WorkerResultDoc } from './backfill.js'
import { VerifyResultDoc } from './common.js'
import { PullResultDoc, ResetResultDoc } from './db.js'
import { FailureDocument } from './errors.js'
import {
  InitResultDoc,
  LocalStatusDoc,
  LocalStopDoc,
  RunningLocal,
  StudioResultDoc,
} from './local.js'
import {
  CreateResultDoc,
  GenerateResultDoc,
  MigrateResultDoc,
  MigrateStatusDoc,
  ResolveResultDoc,
  UnlockResultDoc,
  ValidateResultDoc,
} from './migrate.js'
import { SeedResultDoc } from './seed.js'

export * from './backfill.js'
export * from './common.js'
export * from './db.js'
export * from './errors.js'
export * from './local.js'
export * from './migrate.js'
export * from './seed.js'

/**
 * The documents `--json` prints, as zod schemas: one success document per command and the one failure
 * document every command prints. Strict objects throughout (an unknown key is an error), except where a
 * value is the user's data (seed samples, verify's expected/actual) or an error's free-form details.
 * They generate schema/output/*.schema.json (see outputSchemaFiles) and docs/json-output.md describes them;
 * test/unit/output-schemas.test.ts holds each result schema equal to the api type it describes.
 */

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
