import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { loadRunnable } from '../../../../src/engine/runner/load-migration.js'
import type { MigrationContext } from '../../../../src/engine/runner/migration-context.js'
import { DdbmError } from '../../../../src/errors.js'
import type { LoadedMigration } from '../../../../src/schema/load-migrations.js'
import { tempTree } from '../../../helpers/temp-tree.js'

const ESM = { 'package.json': { name: 'user-project', type: 'module', private: true } }

/** A `.ts` migration `migrations/0001_m.ts` in a temporary project (outside this repository). */
async function tsMigration(
  source: string,
  files: Record<string, unknown> = ESM,
): Promise<{ root: string; m: LoadedMigration }> {
  const root = await tempTree('ddbm-load-', { ...files, 'migrations/0001_m.ts': source })
  const m: LoadedMigration = {
    name: '0001_m',
    number: 1,
    kind: 'ts',
    file: 'migrations/0001_m.ts',
    absolutePath: join(root, 'migrations/0001_m.ts'),
    checksum: 'x',
  }
  return { root, m }
}

const noOps = () => Promise.resolve()

/** code, exit code, message, hint and details of the load error. */
async function loadFailure(m: LoadedMigration): Promise<unknown[]> {
  try {
    await loadRunnable(m, noOps)
  } catch (err) {
    if (!(err instanceof DdbmError)) throw err
    return [err.code, err.exitCode, err.message, err.hint, err.details]
  }
  throw new Error('expected the load to fail')
}

const SDK_HINT =
  "The package @aws-sdk/client-dynamodb is not installed in this project: add it to the dependencies of your project's package.json (`npm install @aws-sdk/client-dynamodb`), or use the helpers of ctx (get, put, update, delete, scan, query, putItems, deleteItems) instead of importing the AWS SDK."

describe('loading a .ts migration', () => {
  test('a package the project does not have: the hint names it and the way out', async () => {
    const { m } = await tsMigration(
      "import { UpdateItemCommand } from '@aws-sdk/client-dynamodb'\nexport async function up() { void UpdateItemCommand }\nexport async function down() {}\n",
    )
    expect(await loadFailure(m)).toStrictEqual([
      'MIGRATION_INVALID',
      2,
      `migrations/0001_m.ts could not be loaded: cannot find package '@aws-sdk/client-dynamodb' imported from ${m.absolutePath}`,
      SDK_HINT,
      { file: 'migrations/0001_m.ts', missingPackage: '@aws-sdk/client-dynamodb' },
    ])
  })

  test('the same in a project without "type": "module" (CommonJS resolution)', async () => {
    const { m } = await tsMigration(
      "import { UpdateItemCommand } from '@aws-sdk/client-dynamodb/dist-cjs/index.js'\nexport async function up() { void UpdateItemCommand }\nexport async function down() {}\n",
      {},
    )
    expect(await loadFailure(m)).toStrictEqual([
      'MIGRATION_INVALID',
      2,
      `migrations/0001_m.ts could not be loaded: cannot find package '@aws-sdk/client-dynamodb' imported from ${m.absolutePath}`,
      SDK_HINT,
      { file: 'migrations/0001_m.ts', missingPackage: '@aws-sdk/client-dynamodb' },
    ])
  })

  test('a missing package imported by a helper file; not the SDK: no ctx advice', async () => {
    const { root, m } = await tsMigration(
      "import { pad } from '../lib/pad.js'\nexport async function up() { void pad }\nexport async function down() {}\n",
      {
        ...ESM,
        'lib/pad.ts': "import leftPad from 'left-pad'\nexport const pad = leftPad\n",
      },
    )
    expect(await loadFailure(m)).toStrictEqual([
      'MIGRATION_INVALID',
      2,
      `migrations/0001_m.ts could not be loaded: cannot find package 'left-pad' imported from ${join(root, 'lib/pad.ts')}`,
      "The package left-pad is not installed in this project: add it to the dependencies of your project's package.json (`npm install left-pad`).",
      { file: 'migrations/0001_m.ts', missingPackage: 'left-pad' },
    ])
  })

  test('a relative import of a file that does not exist', async () => {
    const { root, m } = await tsMigration(
      "import { x } from './nowhere.js'\nexport async function up() { void x }\nexport async function down() {}\n",
    )
    const missing = join(root, 'migrations/nowhere.js')
    expect(await loadFailure(m)).toStrictEqual([
      'MIGRATION_INVALID',
      2,
      `migrations/0001_m.ts could not be loaded: cannot find module '${missing}' imported from ${m.absolutePath}`,
      `${missing} does not exist: fix the import path or add the file.`,
      { file: 'migrations/0001_m.ts', missingModule: missing },
    ])
  })

  test('a syntax error keeps the TypeScript hint', async () => {
    const { m } = await tsMigration('export async function up( {\n')
    const [code, exit, message, hint, details] = await loadFailure(m)
    expect([code, exit, hint, details]).toStrictEqual([
      'MIGRATION_INVALID',
      2,
      'Fix the TypeScript error above; the file is run with tsx.',
      { file: 'migrations/0001_m.ts' },
    ])
    expect(message).toMatch(/^migrations\/0001_m\.ts could not be loaded: Transform failed/)
  })

  test('a migration that imports only ddbm types loads and runs with the context', async () => {
    const { m } = await tsMigration(
      "import type { MigrationContext } from 'ddbm'\nexport async function up(ctx: MigrationContext) { ctx.log('up ' + ctx.env) }\nexport async function down(ctx: MigrationContext) { ctx.log('down') }\n",
    )
    const lines: string[] = []
    const ctx = { env: 'ci', log: (line: string) => lines.push(line) } as Pick<
      MigrationContext,
      'env' | 'log'
    >
    const runnable = await loadRunnable(m, noOps)
    await runnable.up(ctx as MigrationContext)
    await runnable.down(ctx as MigrationContext)
    expect(lines).toStrictEqual(['up ci', 'down'])
  })
})
