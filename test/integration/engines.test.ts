import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, test } from 'vitest'
import { engines } from '../helpers/engines.js'
import { motoInstalled } from '../helpers/moto.js'

describe('test engines', () => {
  for (const engine of engines()) {
    test(`${engine.name} answers ListTables`, async () => {
      const client = new DynamoDBClient({
        endpoint: engine.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
      })
      try {
        const out = await client.send(new ListTablesCommand({}))
        expect(Array.isArray(out.TableNames)).toBe(true)
      } finally {
        client.destroy()
      }
    })
  }

  test('moto is among the engines in CI, and whenever scripts/setup-moto.sh installed it', () => {
    const names = engines().map((e) => e.name)
    expect(names[0]).toBe('dynamodb-local')
    if (process.env.CI === 'true') expect(names).toContain('moto')
    expect(names.includes('moto')).toBe(motoInstalled())
  })
})
