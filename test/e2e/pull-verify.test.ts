import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CreateTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, inject, test } from 'vitest'
import type { TableSchema } from '../../src/schema/table-schema.js'
import { ddbm } from '../helpers/cli.js'
import { assertLoopback, engineClient } from '../helpers/engines.js'
import { suffixedProject } from '../helpers/temp-tree.js'

/** A table with TTL, PITR and tags: DynamoDB Local implements TTL only. */
const TASKS: TableSchema = {
  TableName: 'Tasks',
  AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
  TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  Tags: [{ Key: 'team', Value: 'core' }],
}

const OWNER_INDEX = {
  IndexName: 'OwnerIndex',
  KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' as const }],
  Projection: { ProjectionType: 'KEYS_ONLY' as const },
}

const WITH_INDEX: TableSchema = {
  ...TASKS,
  AttributeDefinitions: [
    ...TASKS.AttributeDefinitions,
    { AttributeName: 'owner', AttributeType: 'S' },
  ],
  GlobalSecondaryIndexes: [OWNER_INDEX],
}

/** A project whose 0001 creates TASKS and whose schema already has OWNER_INDEX, like a user mid-change. */
async function project() {
  const endpoint = assertLoopback(inject('dynamodbLocalEndpoint'))
  const { cwd, suffix } = await suffixedProject(
    { endpoint },
    {
      'migrations/0001_tasks.json': {
        version: 1,
        up: [{ op: 'createTable', table: 'Tasks', definition: TASKS }],
        down: [{ op: 'deleteTable', table: 'Tasks' }],
      },
      'schemas/Tasks.json': TASKS,
    },
  )
  const run = (...args: string[]) => ddbm([...args, '--endpoint', endpoint], { cwd })
  return { cwd, suffix, endpoint, run, schemaFile: join(cwd, 'schemas', 'Tasks.json') }
}

describe('a migration still pending: db pull, verify and generate say so and point to migrate up', () => {
  test('pull leaves the schema as it is (exit 2, with the diff); verify and generate name the pending migration', async () => {
    const { cwd, suffix, run, schemaFile } = await project()
    expect((await run('migrate', 'up')).code).toBe(0)
    await writeFile(schemaFile, `${JSON.stringify(WITH_INDEX, null, 2)}\n`)
    const generated = await ddbm(['migrate', 'generate', 'owner_index'], { cwd })
    expect([generated.code, generated.stdout.split('\n')[0]]).toStrictEqual([
      0,
      'wrote migrations/0002_owner_index.json',
    ])
    const before = await readFile(schemaFile, 'utf8')

    // pull: the GSI whose migration is pending is not lost; the diff shows what would go.
    const pulled = await run('db', 'pull')
    expect(pulled.code, pulled.stderr).toBe(2)
    expect(await readFile(schemaFile, 'utf8')).toBe(before)
    const lines = pulled.stderr.split('\n')
    expect(lines).toContain(`not written schemas/Tasks.json: it differs from Tasks-${suffix}`)
    expect(lines).toContain('    -      "IndexName": "OwnerIndex",')
    expect(lines).toContain(
      'not reported by this endpoint: PITR, SSE, table class, tags (kept as the file says; left out of a new file): schemas/Tasks.json',
    )
    expect(lines.filter((l) => /^(error|hint):/.test(l))).toStrictEqual([
      `error: 1 schema file differs from the live table of t, not overwritten without --force: schemas/Tasks.json`,
      'hint: Migration 0002_owner_index is not applied in t and may make the difference: apply it with `ddbm migrate up`, then pull again. To replace the files with the live tables anyway, re-run with --force (`--dry-run` shows every change).',
    ])
    const json = JSON.parse((await run('db', 'pull', '--json')).stdout)
    expect(json.error).toMatchObject({
      code: 'PULL_CONFLICT',
      exitCode: 2,
      details: {
        pending: ['0002_owner_index'],
        result: { dryRun: false, written: [], unchanged: [], conflicts: ['schemas/Tasks.json'] },
      },
    })
    expect(json.error.details.result.tables[0]).toMatchObject({
      table: 'Tasks',
      status: 'changed',
      written: false,
      unreported: ['pitr', 'sse', 'tableClass', 'tags'],
    })

    // --dry-run: the same diff, exit 0, nothing written.
    const dry = await run('db', 'pull', '--dry-run')
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout.split('\n')).toContain(
      `would change schemas/Tasks.json (needs --force): it differs from Tasks-${suffix}`,
    )
    expect(await readFile(schemaFile, 'utf8')).toBe(before)

    // verify: the drift is what the pending migration makes, and migrate up is the way.
    const verified = await run('verify')
    expect(verified.code).toBe(3)
    expect(verified.stderr.split('\n').filter((l) => /^(error|hint):/.test(l))).toStrictEqual([
      'error: 1 drift in t: Tasks gsi:OwnerIndex; pending migration 0002_owner_index makes this change',
      'hint: Run `ddbm migrate up` to apply 0002_owner_index, then `ddbm verify` again.',
    ])
    const drift = JSON.parse((await run('verify', '--json')).stdout)
    expect(drift.error.details).toMatchObject({
      reason: 'migrations-pending',
      pending: ['0002_owner_index'],
    })

    // generate: nothing to write, and not a dead end.
    const again = await run('migrate', 'generate', 'again')
    expect([again.code, again.stdout]).toStrictEqual([
      0,
      'no changes: schemas/ matches what migrations/ build; nothing written; 1 migration pending (0002_owner_index): run `ddbm migrate up`\n',
    ])

    // Applied: pull finds the file as it is, and does not rewrite it.
    expect((await run('migrate', 'up')).code).toBe(0)
    const clean = await run('db', 'pull')
    expect(clean.code, clean.stderr).toBe(0)
    expect(clean.stdout.split('\n')[0]).toBe('unchanged schemas/Tasks.json')
    expect(await readFile(schemaFile, 'utf8')).toBe(before)
  }, 120_000)

  test('verify: schemas/ ahead of migrations/ points to generate; a table changed by hand is not sent round in circles', async () => {
    const { cwd, suffix, endpoint, run, schemaFile } = await project()
    expect((await run('migrate', 'up')).code).toBe(0)
    await writeFile(schemaFile, `${JSON.stringify(WITH_INDEX, null, 2)}\n`)
    const ahead = await run('verify')
    expect(ahead.code).toBe(3)
    expect(ahead.stderr.split('\n').filter((l) => /^(error|hint):/.test(l))).toStrictEqual([
      'error: 1 drift in t: Tasks gsi:OwnerIndex; schemas/ differs from what migrations/ build',
      'hint: Run `ddbm migrate generate <name>` to write the migration schemas/ needs, review it, then `ddbm migrate up`.',
    ])
    expect((await ddbm(['migrate', 'generate', 'owner_index'], { cwd })).code).toBe(0)
    expect((await run('migrate', 'up')).code).toBe(0)

    // The index deleted by hand: every migration is applied, so generate would have nothing to say.
    const client = engineClient({ endpoint })
    try {
      await client.send(
        new UpdateTableCommand({
          TableName: `Tasks-${suffix}`,
          GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'OwnerIndex' } }],
        }),
      )
      const outside = await run('verify')
      expect(outside.code).toBe(3)
      expect(outside.stderr.split('\n').filter((l) => /^(error|hint):/.test(l))).toStrictEqual([
        'error: 1 drift in t: Tasks gsi:OwnerIndex; schemas/ matches migrations/ and every migration is applied: the live tables were changed outside ddbm',
        'hint: Restore the tables by hand to what schemas/ says (the expected values above), or, to keep the live state, edit schemas/ to match it and run `ddbm migrate generate <name>`.',
      ])

      // A table of the environment with no schema file yet is written; --force replaces the differing one.
      await client.send(
        new CreateTableCommand({
          TableName: `Extra-${suffix}`,
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      )
      const forced = await run('db', 'pull', '--force', '--json')
      expect(forced.code, forced.stderr).toBe(0)
      const result = JSON.parse(forced.stdout).result
      expect([...result.written].sort()).toStrictEqual(['schemas/Extra.json', 'schemas/Tasks.json'])
      expect(result.conflicts).toStrictEqual([])
      const written = JSON.parse(await readFile(schemaFile, 'utf8')) as TableSchema
      expect(written.GlobalSecondaryIndexes).toBeUndefined()
      // What DynamoDB Local cannot report is kept as the file said it.
      expect(written.PointInTimeRecoverySpecification).toStrictEqual({
        PointInTimeRecoveryEnabled: true,
        RecoveryPeriodInDays: 35,
      })
      expect(written.Tags).toStrictEqual([{ Key: 'team', Value: 'core' }])
    } finally {
      client.destroy()
    }
  }, 120_000)
})
