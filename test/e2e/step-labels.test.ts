import { describe, expect, inject, test } from 'vitest'
import type { TableSchema } from '../../src/schema/table-schema.js'
import { ddbm } from '../helpers/cli.js'
import { assertLoopback } from '../helpers/engines.js'
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

describe('migrate up and down: step lines say what happened', () => {
  test('a created table is done, with what DynamoDB Local lacks listed apart; a deleted one is done, never waiting on "table does not exist"', async () => {
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
    const up = await run('migrate', 'up')
    expect(up.code, up.stderr).toBe(0)
    const steps = (text: string) => text.split('\n').filter((l) => l.startsWith('  '))
    expect(steps(up.stderr)).toStrictEqual([
      `  done        createTable Tasks-${suffix}: created, TTL enabled on expiresAt; not supported by this endpoint: PITR, tags`,
    ])
    const down = await run('migrate', 'down')
    expect(down.code, down.stderr).toBe(0)
    expect(steps(down.stderr)).toStrictEqual([`  done        deleteTable Tasks-${suffix}: deleted`])
  }, 60_000)
})
