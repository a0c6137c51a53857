import { CreateTableCommand, DeleteTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { localStart, localStop } from '../../../src/api/local.js'
import { openSession, withSession } from '../../../src/api/session.js'
import type { Event } from '../../../src/events.js'
import { engines, testOn } from '../../helpers/engines.js'
import { tmpProject } from '../../helpers/temp-tree.js'

const embeddedInMemory = {
  'ddbm.config.json': {
    version: 1,
    local: { storage: 'memory' },
    environments: {
      local: { endpoint: 'embedded' },
      dev: { tableNameTemplate: 'maip-{env}-{table}' },
    },
  },
}

describe('openSession on an embedded environment', () => {
  test('starts DynamoDB Local for the session and stops it on close', async () => {
    const cwd = await tmpProject(embeddedInMemory)
    const events: Event[] = []
    const session = await openSession({ cwd, emit: (e) => events.push(e), processEnv: {} })
    expect(session.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(existsSync(join(cwd, '.ddbm', 'local.json'))).toBe(true)
    const tables = await session.client.send(new ListTablesCommand({}))
    expect(tables.TableNames).toStrictEqual([])
    await session.close()
    expect(existsSync(join(cwd, '.ddbm', 'local.json'))).toBe(false)
    expect(events.map((e) => (e.kind === 'local' ? e.status : e.kind))).toStrictEqual([
      'starting',
      'ready',
      'stopping',
      'stopped',
    ])
  })

  test('reuses the engine `ddbm local start` left running, and leaves it running', async () => {
    const cwd = await tmpProject(embeddedInMemory)
    const started = await localStart({ cwd })
    try {
      expect(started.running).toBe(true)
      const endpoint = await withSession({ cwd, processEnv: {} }, async (s) => {
        await s.client.send(
          new CreateTableCommand({
            TableName: s.tableName('items'),
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
          }),
        )
        return s.endpoint
      })
      expect(started.running && endpoint === started.endpoint).toBe(true)
      // A second session sees the table the first one created: same engine, still running.
      const names = await withSession(
        { cwd, processEnv: {} },
        async (s) => (await s.client.send(new ListTablesCommand({}))).TableNames,
      )
      expect(names).toStrictEqual(['items-local'])
    } finally {
      await localStop({ cwd })
    }
  })
})

describe('two commands on one embedded environment at the same time', () => {
  test('in one process: the engine the first session started stops with the last session', async () => {
    const cwd = await tmpProject(embeddedInMemory)
    const first = await openSession({ cwd, processEnv: {} })
    const second = await openSession({ cwd, processEnv: {} })
    expect(second.endpoint).toBe(first.endpoint)
    await first.client.send(
      new CreateTableCommand({
        TableName: first.tableName('items'),
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    )
    // The first session is done, but its engine keeps serving the second one...
    await first.close()
    const listed = await second.client.send(new ListTablesCommand({}))
    expect(listed.TableNames).toStrictEqual(['items-local'])
    expect(existsSync(join(cwd, '.ddbm', 'local.json'))).toBe(true)
    // ...and stops with the last one.
    await second.close()
    expect(existsSync(join(cwd, '.ddbm', 'local.json'))).toBe(false)
  })
})

describe('openSession with an explicit endpoint', () => {
  for (const engine of engines()) {
    testOn(
      engine,
      `${engine.name}: --endpoint points any environment at a local engine; names follow its template`,
      async () => {
        const cwd = await tmpProject(embeddedInMemory)
        await withSession(
          { cwd, env: 'dev', endpoint: engine.endpoint, processEnv: {} },
          async (s) => {
            expect(s.endpoint).toBe(engine.endpoint)
            expect(s.env.name).toBe('dev')
            const name = s.tableName('Candidates')
            expect(name).toBe('maip-dev-Candidates')
            await s.client.send(
              new CreateTableCommand({
                TableName: name,
                AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
                KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
                BillingMode: 'PAY_PER_REQUEST',
              }),
            )
            const listed = await s.client.send(new ListTablesCommand({}))
            expect(listed.TableNames).toContain(name)
            await s.client.send(new DeleteTableCommand({ TableName: name }))
          },
        )
        expect(existsSync(join(cwd, '.ddbm', 'local.json'))).toBe(false)
      },
    )
  }
})

describe('openSession without a region', () => {
  test('a non-local environment with no region is CONFIG_INVALID (exit 2) before any request', async () => {
    const cwd = await tmpProject(embeddedInMemory)
    const saved = { ...process.env }
    delete process.env.AWS_REGION
    delete process.env.AWS_DEFAULT_REGION
    process.env.AWS_CONFIG_FILE = '/nonexistent/ddbm-test-config' // a developer's ~/.aws/config may name one
    try {
      await expect(
        openSession({ cwd, env: 'dev', endpoint: 'https://dynamodb.invalid', processEnv: {} }),
      ).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        exitCode: 2,
        message: 'No AWS region for environment "dev"',
      })
    } finally {
      process.env = saved
    }
  })
})
