import { describe, expect, expectTypeOf, test } from 'vitest'
import type { z } from 'zod'
import type {
  createMigration,
  GenerateResult,
  InitResult,
  LocalStatus,
  localStop,
  migrateResolve,
  MigrateResult,
  MigrateStatus,
  migrateUnlock,
  PullResult,
  ResetResult,
  SeedResult,
  StudioStarted,
  ValidateResult,
  VerifyResult,
  WorkerResult,
} from '../../src/api/index.js'
import { ERRORS } from '../../src/errors.js'
import {
  type CreateResultDoc,
  FailureDocument,
  type GenerateResultDoc,
  type InitResultDoc,
  type LocalStatusDoc,
  type LocalStopDoc,
  type MigrateResultDoc,
  type MigrateStatusDoc,
  type PullResultDoc,
  type ResetResultDoc,
  type ResolveResultDoc,
  type SeedResultDoc,
  type StudioResultDoc,
  SUCCESS_DOCUMENTS,
  type UnlockResultDoc,
  type ValidateResultDoc,
  type VerifyResultDoc,
} from '../../src/output-schemas/index.js'
import type { WorkerResultDoc } from '../../src/output-schemas/index.js'

type Result<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>

// Checked by `tsc` (npm run typecheck): a field added to, removed from or retyped in an api result
// fails to compile here until the document schema (and docs/json-output.md) follow.
expectTypeOf<z.output<typeof InitResultDoc>>().toEqualTypeOf<InitResult>()
expectTypeOf<z.output<typeof ValidateResultDoc>>().toEqualTypeOf<ValidateResult>()
expectTypeOf<Omit<z.output<typeof MigrateResultDoc>, 'backups'>>().toEqualTypeOf<
  Omit<MigrateResult, 'backups'>
>()
// `backups` entries are an intersection (BackupRecord & { migration }): compared flattened.
expectTypeOf<
  Flat<NonNullable<z.output<typeof MigrateResultDoc>['backups']>[number]>
>().toEqualTypeOf<Flat<NonNullable<MigrateResult['backups']>[number]>>()
expectTypeOf<z.output<typeof MigrateStatusDoc>>().toEqualTypeOf<MigrateStatus>()
expectTypeOf<z.output<typeof CreateResultDoc>>().toEqualTypeOf<Result<typeof createMigration>>()
expectTypeOf<z.output<typeof GenerateResultDoc>>().toEqualTypeOf<GenerateResult>()
expectTypeOf<z.output<typeof ResolveResultDoc>>().toEqualTypeOf<Result<typeof migrateResolve>>()
expectTypeOf<z.output<typeof UnlockResultDoc>>().toEqualTypeOf<Result<typeof migrateUnlock>>()
expectTypeOf<z.output<typeof VerifyResultDoc>>().toEqualTypeOf<VerifyResult>()
expectTypeOf<z.output<typeof SeedResultDoc>>().toEqualTypeOf<SeedResult>()
expectTypeOf<z.output<typeof StudioResultDoc>>().toEqualTypeOf<StudioStarted>()
expectTypeOf<z.output<typeof PullResultDoc>>().toEqualTypeOf<PullResult>()
expectTypeOf<z.output<typeof WorkerResultDoc>>().toEqualTypeOf<WorkerResult>()
// Unions and intersections compared part by part (toEqualTypeOf cannot compare them whole).
type Running<T> = Flat<Extract<T, { running: true }>>
type Flat<T> = { [K in keyof T]: T[K] }
type Stopped<T> = Extract<T, { running: false }>
expectTypeOf<Running<z.output<typeof LocalStatusDoc>>>().toEqualTypeOf<Running<LocalStatus>>()
expectTypeOf<Stopped<z.output<typeof LocalStatusDoc>>>().toEqualTypeOf<Stopped<LocalStatus>>()
expectTypeOf<z.output<typeof LocalStopDoc>>().toEqualTypeOf<Result<typeof localStop>>()
type ResetDoc = z.output<typeof ResetResultDoc>
expectTypeOf<Omit<ResetDoc, 'migrate'>>().toEqualTypeOf<Omit<ResetResult, 'migrate'>>()
expectTypeOf<Omit<ResetDoc['migrate'], 'direction' | 'backups'>>().toEqualTypeOf<
  Omit<MigrateResult, 'direction' | 'backups'>
>()

describe('--json document schemas', () => {
  test('every catalogued error code has its variant, with the exit code of the catalogue', () => {
    for (const [code, { exit }] of Object.entries(ERRORS)) {
      const doc = {
        ok: false,
        command: 'x',
        error: { code, exitCode: exit, message: 'm', hint: 'h' },
      }
      expect(FailureDocument.safeParse(doc).success, code).toBe(true)
      const wrongExit = { ...doc, error: { ...doc.error, exitCode: exit === 1 ? 2 : 1 } }
      expect(FailureDocument.safeParse(wrongExit).success, code).toBe(false)
    }
  })

  test('documents are strict: an unknown key anywhere is refused', () => {
    const ok = {
      ok: true,
      command: 'migrate create',
      result: { name: '0001_a', file: 'migrations/0001_a.json' },
    }
    const schema = SUCCESS_DOCUMENTS['migrate create']
    expect(schema.parse(ok)).toStrictEqual(ok)
    expect(schema.safeParse({ ...ok, extra: 1 }).success).toBe(false)
    expect(schema.safeParse({ ...ok, result: { ...ok.result, extra: 1 } }).success).toBe(false)
    expect(schema.safeParse({ ...ok, command: 'migrate generate' }).success).toBe(false)
  })
})
