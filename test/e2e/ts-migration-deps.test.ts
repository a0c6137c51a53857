import { randomUUID } from 'node:crypto'
import { cp, mkdir, symlink } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BatchWriteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { describe, expect, onTestFinished, test } from 'vitest'
import { ddbm } from '../helpers/cli.js'
import { engineClient, engines, type Engine, describeOn } from '../helpers/engines.js'
import { dropTables } from '../helpers/engines.js'
import { tempTree } from '../helpers/temp-tree.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * A user project in a temporary folder outside this repository, laid out like a strict install (pnpm):
 * its node_modules holds only `ddbm` (a symlink to this repository), so the AWS SDK resolves from ddbm but
 * not from the project's own files. Environment `t` puts every table under a unique suffix.
 */
async function userProject(
  engine: Engine,
  files: Record<string, unknown>,
): Promise<{ cwd: string; suffix: string }> {
  const suffix = randomUUID().slice(0, 8)
  onTestFinished(() => dropTables(engine.endpoint, suffix))
  const cwd = await tempTree('ddbm-user-', {
    'package.json': {
      name: 'user-project',
      private: true,
      type: 'module',
      dependencies: { ddbm: '0.1.0' },
    },
    'ddbm.config.json': {
      version: 1,
      defaultEnv: 't',
      environments: { t: { tableNameTemplate: `{table}-${suffix}` } },
    },
    ...files,
  })
  await mkdir(join(cwd, 'node_modules'))
  await symlink(ROOT, join(cwd, 'node_modules', 'ddbm'), 'dir')
  const fromProject = createRequire(join(cwd, 'package.json'))
  const fromDdbm = createRequire(join(cwd, 'node_modules', 'ddbm', 'package.json'))
  expect(() => fromProject.resolve('@aws-sdk/client-dynamodb')).toThrow(/Cannot find module/)
  expect(fromDdbm.resolve('@aws-sdk/client-dynamodb')).toContain('client-dynamodb')
  return { cwd, suffix }
}

type Candidate = { PK: string; SK: string; status: string; score: number; activeFlag?: string }

const CANDIDATES: Candidate[] = [
  { PK: 'CUST#1', SK: 'PROG#1', status: 'PENDING', score: 10 },
  { PK: 'CUST#1', SK: 'PROG#2', status: 'DELIVERED', score: 20 },
  { PK: 'CUST#2', SK: 'PROG#1', status: 'PENDING', score: 30 },
  { PK: 'CUST#3', SK: 'PROG#1', status: 'EXPIRED', score: 40 },
  { PK: 'CUST#4', SK: 'PROG#9', status: 'PENDING', score: 50 },
]

async function candidates(engine: Engine, table: string): Promise<Candidate[]> {
  const client = engineClient(engine)
  try {
    const out = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true }))
    return (out.Items ?? [])
      .map((i) => unmarshall(i) as Candidate)
      .sort((a, b) => `${a.PK} ${a.SK}`.localeCompare(`${b.PK} ${b.SK}`))
  } finally {
    client.destroy()
  }
}

for (const engine of engines()) {
  describeOn(
    engine,
    `${engine.name}: a .ts migration in a project whose node_modules holds only ddbm`,
    () => {
      test('the example backfill (migrations/0003) runs with the built CLI; down removes the flags', async () => {
        const { cwd, suffix } = await userProject(engine, {})
        await cp(join(ROOT, 'schemas'), join(cwd, 'schemas'), { recursive: true })
        await cp(join(ROOT, 'migrations'), join(cwd, 'migrations'), { recursive: true })
        const at = ['--endpoint', engine.endpoint]
        const table = `Candidates-${suffix}`

        const tables = await ddbm(
          ['migrate', 'up', '--to', '0002_add_active_candidates_index', ...at],
          {
            cwd,
          },
        )
        expect(tables.code, tables.stderr).toBe(0)
        const client = engineClient(engine)
        try {
          await client.send(
            new BatchWriteItemCommand({
              RequestItems: {
                [table]: CANDIDATES.map((c) => ({ PutRequest: { Item: marshall(c) } })),
              },
            }),
          )
        } finally {
          client.destroy()
        }

        const up = await ddbm(['migrate', 'up', '--no-verify', ...at], { cwd })
        expect([up.code, up.stderr]).toStrictEqual([
          0,
          expect.stringContaining('activeFlag set on 3 pending candidate(s)'),
        ])
        expect(await candidates(engine, table)).toStrictEqual(
          CANDIDATES.map((c) => (c.status === 'PENDING' ? { ...c, activeFlag: 'Y' } : c)),
        )

        const down = await ddbm(['migrate', 'down', ...at], { cwd })
        expect(down.code).toBe(0)
        expect(await candidates(engine, table)).toStrictEqual(CANDIDATES)
      })
    },
  )
}

describe('a .ts migration importing the AWS SDK itself', () => {
  const engine = engines()[0] as Engine

  test('fails with exit 2 and a hint naming the package and the ctx helpers', async () => {
    const { cwd } = await userProject(engine, {
      'migrations/0001_raw_sdk.ts': `import { UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import type { MigrationContext } from 'ddbm'

export async function up(ctx: MigrationContext): Promise<void> {
  await ctx.client.send(new UpdateItemCommand({ TableName: ctx.tableName('Candidates'), Key: {} }))
}

export async function down(): Promise<void> {}
`,
    })
    const at = ['--endpoint', engine.endpoint]
    const file = join(cwd, 'migrations', '0001_raw_sdk.ts')
    const hint =
      "The package @aws-sdk/client-dynamodb is not installed in this project: add it to the dependencies of your project's package.json (`npm install @aws-sdk/client-dynamodb`), or use the helpers of ctx (get, put, update, delete, scan, query, putItems, deleteItems) instead of importing the AWS SDK."

    const text = await ddbm(['migrate', 'up', ...at], { cwd })
    expect(text.code).toBe(2)
    expect(text.stderr).toContain(
      `migrations/0001_raw_sdk.ts could not be loaded: cannot find package '@aws-sdk/client-dynamodb' imported from ${file}\n`,
    )
    expect(text.stderr).toContain(`hint: ${hint}\n`)
    expect(text.stderr).not.toContain('Fix the TypeScript error')

    const json = await ddbm(['migrate', 'up', '--json', ...at], { cwd })
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout)).toStrictEqual({
      ok: false,
      command: 'migrate up',
      error: {
        code: 'MIGRATION_INVALID',
        exitCode: 2,
        message: `Migration 0001_raw_sdk failed: migrations/0001_raw_sdk.ts could not be loaded: cannot find package '@aws-sdk/client-dynamodb' imported from ${file}`,
        hint,
        details: {
          file: 'migrations/0001_raw_sdk.ts',
          missingPackage: '@aws-sdk/client-dynamodb',
          name: '0001_raw_sdk',
          direction: 'up',
        },
      },
    })
  })
})
