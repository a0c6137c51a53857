import { readFile } from 'node:fs/promises'
import { expect, test } from 'vitest'
import { TableSchema, tableJsonSchema } from '../../../src/schema/table-schema.js'

test('every example in schemas/ parses, keeping its properties', async () => {
  const text = await readFile(new URL('../../../schemas/Candidates.json', import.meta.url), 'utf8')
  const data: unknown = JSON.parse(text)
  expect(TableSchema.parse(data)).toStrictEqual(data)
})

test('objects are strict: a misspelt property is an error, not dropped', () => {
  const result = TableSchema.safeParse({
    TableName: 'Items',
    AttributeDefinitions: [],
    KeySchema: [],
    TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true, Enable: true },
  })
  expect(result.success).toBe(false)
  expect(result.error?.issues.map((i) => [i.code, i.path])).toStrictEqual([
    ['unrecognized_keys', ['TimeToLiveSpecification']],
  ])
})

test('throughput units are positive whole numbers', () => {
  const parse = (units: number) =>
    TableSchema.safeParse({
      TableName: 'Items',
      AttributeDefinitions: [],
      KeySchema: [],
      ProvisionedThroughput: { ReadCapacityUnits: units, WriteCapacityUnits: 1 },
    }).success
  expect([parse(1), parse(0), parse(1.5), parse(-1)]).toStrictEqual([true, false, false, false])
})

test('the JSON Schema for editors is strict and requires the core properties', () => {
  const schema = tableJsonSchema()
  expect(schema).toMatchObject({
    type: 'object',
    additionalProperties: false,
    required: ['TableName', 'AttributeDefinitions', 'KeySchema'],
  })
  const properties = schema.properties as Record<string, unknown>
  expect(Object.keys(properties)).toContain('$schema')
  expect(properties.BillingMode).toStrictEqual({
    type: 'string',
    enum: ['PROVISIONED', 'PAY_PER_REQUEST'],
  })
})
