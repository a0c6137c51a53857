import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import { describe, expect, inject, onTestFinished, test } from 'vitest'
import {
  FailureDocument,
  SUCCESS_DOCUMENTS,
  type DocumentedCommand,
} from '../../src/output-schemas/index.js'
import { CUSTOMERS } from '../fixtures/tables.js'
import { ddbm } from '../helpers/cli.js'
import { dropTables } from '../helpers/engines.js'
import { APPLIED_BY } from '../helpers/migration-documents.js'
import { migrationProject, tempTree } from '../helpers/temp-tree.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ajv = new Ajv2020({ allErrors: true })
const compiled = new Map<string, ValidateFunction>()

/** The published JSON Schema of a document (schema/output/<name>.schema.json), compiled once. */
function published(name: string): ValidateFunction {
  let validate = compiled.get(name)
  if (validate === undefined) {
    const file = join(ROOT, 'schema', 'output', `${name}.schema.json`)
    validate = ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object)
    compiled.set(name, validate)
  }
  return validate
}

/**
 * Holds a printed document to its shape twice: the published JSON Schema file (ajv, draft 2020-12) and the
 * strict zod schema it is generated from. Both refuse unknown keys anywhere.
 */
function expectShape(kind: DocumentedCommand | 'error', doc: unknown, what: string): void {
  const validate = published(kind === 'error' ? 'error' : kind.replace(' ', '-'))
  expect(validate(doc), `${what}: ${JSON.stringify(validate.errors, null, 2)}`).toBe(true)
  const zod = kind === 'error' ? FailureDocument : SUCCESS_DOCUMENTS[kind]
  const parsed = zod.safeParse(doc)
  expect(parsed.success, `${what}: ${parsed.error?.message}`).toBe(true)
}

describe('--json documents match their published schemas (schema/output/, docs/json-output.md)', () => {
  test('every command on one temporary project, in success and in failure', async () => {
    const endpoint = inject('dynamodbLocalEndpoint')
    const { cwd, suffix } = await migrationProject()
    onTestFinished(() => dropTables(endpoint, suffix))
    await mkdir(join(cwd, 'seeds'), { recursive: true })
    await writeFile(
      join(cwd, 'seeds', 'customers.json'),
      JSON.stringify({
        version: 1,
        table: 'Customers',
        items: [
          { id: 'c1', name: 'Ada' },
          { id: 'c2', name: 'Grace' },
        ],
      }),
    )
    const at = ['--endpoint', endpoint]
    const env = { DDBM_APPLIED_BY: APPLIED_BY }
    const seen = new Set<string>()
    const run = async (args: string[], code: number, kind: DocumentedCommand | 'error') => {
      const out = await ddbm([...args, '--json'], { cwd, env })
      const what = args.join(' ')
      expect(out.code, `${what}: ${out.stderr}`).toBe(code)
      const doc = JSON.parse(out.stdout) as unknown
      expectShape(kind, doc, what)
      seen.add(kind)
      return doc
    }

    await run(['validate'], 0, 'validate')
    await run(['migrate', 'status', ...at], 0, 'migrate status')
    await run(['migrate', 'up', '--dry-run', ...at], 0, 'migrate up')
    await run(['migrate', 'up', ...at], 0, 'migrate up')
    await run(['migrate', 'status', ...at], 0, 'migrate status')
    await run(['migrate', 'worker', ...at], 0, 'migrate worker') // everything applied: nothing to join
    await run(['verify', ...at], 0, 'verify')
    await run(['seed', '--dry-run', ...at], 0, 'seed')
    await run(['seed', ...at], 0, 'seed')
    await run(['seed', '--clear', ...at], 0, 'seed')
    await run(['db', 'pull', '--table', 'Orders', ...at], 0, 'db pull')
    await run(['migrate', 'generate', 'nothing'], 0, 'migrate generate')
    await run(['migrate', 'create', 'later'], 0, 'migrate create')
    await run(['migrate', 'unlock', '--yes', ...at], 0, 'migrate unlock')
    await run(['migrate', 'resolve', '0003_marker', '--applied', ...at], 0, 'migrate resolve')
    await run(['migrate', 'down', '--dry-run', ...at], 0, 'migrate down')
    await run(['migrate', 'down', ...at], 0, 'migrate down')

    // Failures: a usage error and an unknown environment (exit 2), drift (exit 3) with the whole result.
    await run(['verify', '--table', 'Nope', ...at], 2, 'error')
    const unknownEnv = await run(['migrate', 'status', '--env', 'nope', ...at], 2, 'error')
    expect(unknownEnv).toMatchObject({ error: { code: 'ENV_UNKNOWN', details: { env: 'nope' } } })
    await writeFile(join(cwd, 'schemas', 'Customers.json'), JSON.stringify(CUSTOMERS))
    const drift = await run(['verify', ...at], 3, 'error')
    expect(drift).toMatchObject({ error: { code: 'VERIFY_DRIFT', exitCode: 3 } })
    const generated = await run(['migrate', 'generate', 'billing'], 0, 'migrate generate')
    expect(generated).toMatchObject({ result: { name: '0005_billing' } })

    // The embedded engine of the project: started, running, stopped.
    await run(['local', 'status'], 0, 'local status')
    await run(['local', 'start', '--storage', 'memory'], 0, 'local start')
    onTestFinished(async () => void (await ddbm(['local', 'stop'], { cwd })))
    await run(['local', 'status'], 0, 'local status')
    await run(['local', 'stop'], 0, 'local stop')

    await run(['db', 'reset', ...at], 0, 'db reset')

    // init in an empty folder, then again: refused with the files it found (exit 2).
    const fresh = await tempTree('ddbm-init-', {})
    const runIn = async (args: string[], code: number, kind: DocumentedCommand | 'error') => {
      const out = await ddbm([...args, '--json'], { cwd: fresh, env })
      expect(out.code, `${args.join(' ')}: ${out.stderr}`).toBe(code)
      const doc = JSON.parse(out.stdout) as unknown
      expectShape(kind, doc, args.join(' '))
      seen.add(kind)
      return doc
    }
    await runIn(['init'], 0, 'init')
    const again = await runIn(['init'], 2, 'error')
    expect(again).toMatchObject({ error: { code: 'INIT_EXISTS', exitCode: 2 } })

    // `studio` runs until Ctrl-C: its document is checked by test/e2e/studio.test.ts.
    const documented = Object.keys(SUCCESS_DOCUMENTS).filter((c) => c !== 'studio')
    expect([...seen].sort()).toStrictEqual([...documented, 'error'].sort())
  }, 240_000)

  test('the published schemas are strict: an unknown key in a real document is refused', async () => {
    const endpoint = inject('dynamodbLocalEndpoint')
    const { cwd, suffix } = await migrationProject()
    onTestFinished(() => dropTables(endpoint, suffix))
    const out = await ddbm(['migrate', 'status', '--json', '--endpoint', endpoint], { cwd })
    const doc = JSON.parse(out.stdout) as { result: { rows: Record<string, unknown>[] } }
    const validate = published('migrate-status')
    expect(validate(doc)).toBe(true)
    const row = doc.result.rows[0] ?? {}
    expect(validate({ ...doc, result: { ...doc.result, rows: [{ ...row, surprise: [] }] } })).toBe(
      false,
    )
    expect(validate({ ...doc, extra: true })).toBe(false)
    expect(published('error')({ ok: false, command: 'x', error: { code: 'NOPE' } })).toBe(false)
  }, 60_000)
})
