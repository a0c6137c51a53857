import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { DdbmError } from '../../../src/errors.js'
import { assertValid, loadSchemas } from '../../../src/schema/load-schemas.js'
import { printedIssue } from '../../helpers/cli.js'
import { tempTree } from '../../helpers/temp-tree.js'

const REPO = fileURLToPath(new URL('../../../', import.meta.url))
const FIXTURE = path.join(REPO, 'test/fixtures/projects/twenty-mistakes')

/** A temp project root with `files` (path → text, or a value written as JSON) under it. */
const project = (files: Record<string, unknown>) => tempTree('ddbm-schemas-', files)

/** A valid on-demand table with an `id` HASH key, plus `extra` properties. */
const valid = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  TableName: name,
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
  ...extra,
})

async function load(files: Record<string, unknown>) {
  const root = await project(files)
  return loadSchemas(path.join(root, 'schemas'), { root })
}

test('the example schemas/ of this repository load without issues', async () => {
  const result = await loadSchemas(path.join(REPO, 'schemas'), { root: REPO })
  expect(result.issues).toStrictEqual([])
  expect(result.tables.map((t) => t.file)).toStrictEqual([
    'schemas/Candidates.json',
    'schemas/EngagementHistory.json',
    'schemas/ProgramConfig.json',
    'schemas/ScoreCache.json',
    'schemas/items.json',
  ])
  expect(result.tables.map((t) => t.table.TableName)).toStrictEqual([
    'Candidates',
    'EngagementHistory',
    'ProgramConfig',
    'ScoreCache',
    'items',
  ])
})

test('the twenty-mistakes fixture yields exactly 20 issues, each with file, path and hint', async () => {
  const result = await loadSchemas(path.join(FIXTURE, 'schemas'), { root: FIXTURE })
  expect(result.issues).toHaveLength(20)
  // Every issue names a schema file and carries a hint (the paths and messages are pinned below).
  expect(
    result.issues.filter((i) => !/^schemas\/\w+\.json$/.test(i.file) || !i.hint?.trim()),
  ).toStrictEqual([])
  expect(result.issues.map((i) => `${i.file}: ${i.path}: ${i.message}`)).toMatchInlineSnapshot(`
    [
      "schemas/Broken.json: : is not valid JSON: Expected double-quoted property name (line 6, column 1)",
      "schemas/Customers.json: AttributeDefinitions[2]: "nickname" is not used by any key schema; DynamoDB rejects unused definitions",
      "schemas/Customers.json: AttributeDefinitions[3].AttributeType: "S" cannot be the type of TTL attribute "expiresAt"; TTL needs a Number",
      "schemas/Customers.json: GlobalSecondaryIndexes[0].KeySchema[0].AttributeName: "email" is not in AttributeDefinitions",
      "schemas/Customers.json: GlobalSecondaryIndexes[0].Projection: ProjectionType "INCLUDE" needs NonKeyAttributes, but there are none",
      "schemas/Customers.json: GlobalSecondaryIndexes[1].IndexName: "ix" is 2 characters long; index names are 3-255",
      "schemas/Customers.json: ProvisionedThroughput: is not allowed because BillingMode is "PAY_PER_REQUEST"",
      "schemas/Customers.json: Tags[0].Key: "aws:owner" starts with the reserved prefix "aws:"",
      "schemas/Customers.json: Tags[2].Key: "Application" is already used by Tags[1]",
      "schemas/Events.json: LocalSecondaryIndexes[0].KeySchema[0].AttributeName: "type" is not the table's HASH key "PK"",
      "schemas/Events.json: PointInTimeRecoverySpecification.RecoveryPeriodInDays: 40 is out of range; DynamoDB keeps 1-35 days of recovery points",
      "schemas/Events.json: SSESpecification.SSEType: "KMS" is set but SSEEnabled is false",
      "schemas/Events.json: TableName: "Event" does not match the file name "Events.json"",
      "schemas/Orders.json: AttributeDefinitions[0].AttributeType: "STRING" is not a valid AttributeType",
      "schemas/Orders.json: DeletionProtectionEnabled: expected true or false, found "yes"",
      "schemas/Orders.json: GlobalSecondaryIndexes[0].Projecton: unknown property "Projecton"",
      "schemas/Orders.json: GlobalSecondaryIndexes[0].ProvisionedThroughput.ReadCapacityUnits: 0 is too small; it must be greater than 0",
      "schemas/Orders.json: KeySchema[0].KeyType: "hash" is not a valid KeyType",
      "schemas/Orders.json: ProvisionedThroughput.ReadCapacityUnits: expected a number, found "5"",
      "schemas/Orders.json: TimeToLiveSpecification.Enabled: missing required property "Enabled"",
    ]
  `)
})

test('a directory with 20 different mistakes yields exactly those 20 issues', async () => {
  const result = await load({
    'schemas/Alpha.json': valid('Alpha', { BillingMode: 'ON_DEMAND' }),
    'schemas/Beta.json': valid('Beta', { TimeToLive: { AttributeName: 'ttl', Enabled: true } }),
    'schemas/Gamma.json': { AttributeDefinitions: [] },
    'schemas/Delta.json': [],
    'schemas/Empty.json': '',
    'schemas/Epsilon.json': '{\n  "TableName": "Epsilon",\n',
    'schemas/Zeta.json': valid('Zeta'),
    'schemas/Zeta-copy.json': valid('Zeta'),
    'schemas/Theta.json': valid('Theta'),
    'schemas/theta.json': valid('theta'),
    'schemas/Iota.json': valid('Iota2'),
    'schemas/Kappa.json': valid('Kappa', { KeySchema: { AttributeName: 'id', KeyType: 'HASH' } }),
    'schemas/Lambda.json': valid('Lambda', {
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S', Type: 'S' }],
    }),
    'schemas/ab.json': valid('ab'),
    'schemas/Omicron.json': valid('Omicron', { BillingMode: 'PROVISIONED' }),
    'schemas/Sigma.json': valid('Sigma', { TimeToLiveSpecification: { Enabled: true } }),
    'schemas/Tau.json': valid('Tau', { StreamSpecification: { StreamViewType: 'NEW' } }),
    'schemas/Upsilon.json': valid('Upsilon', { Tags: [{ Key: 'Application' }] }),
    'schemas/Phi.json': valid('Phi', {
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 1.5, WriteCapacityUnits: 1 },
    }),
    'schemas/Chi.json': valid('Chi', {
      PointInTimeRecoverySpecification: {
        PointInTimeRecoveryEnabled: false,
        RecoveryPeriodInDays: 7,
      },
    }),
    'schemas/Psi.json': { ...valid('Psi'), TableName: undefined, tableName: 'Psi' },
    'schemas/README.md': '# not a schema',
    'schemas/old.json/Nested.json': 'a directory named like a schema is ignored',
  })
  expect(result.issues).toHaveLength(20)
  expect(result.issues.map(printedIssue).join('\n')).toMatchInlineSnapshot(`
    "schemas/ab.json: TableName: "ab" is 2 characters long; table names are 3-255
      hint: use a name of at least 3 characters, and rename the file to match
    schemas/Alpha.json: BillingMode: "ON_DEMAND" is not a valid BillingMode
      hint: allowed values: "PROVISIONED", "PAY_PER_REQUEST"
    schemas/Beta.json: TimeToLive: unknown property "TimeToLive"
      hint: did you mean "TimeToLiveSpecification"? allowed properties: "TimeToLiveSpecification", "TableName", "TableClass", "BillingMode", "Tags", "$schema", "KeySchema", "SSESpecification", "OnDemandThroughput", "StreamSpecification", "AttributeDefinitions", "ProvisionedThroughput", "LocalSecondaryIndexes", "GlobalSecondaryIndexes", "DeletionProtectionEnabled", "PointInTimeRecoverySpecification"
    schemas/Chi.json: PointInTimeRecoverySpecification.RecoveryPeriodInDays: 7 is set but PointInTimeRecoveryEnabled is not true
      hint: set "PointInTimeRecoveryEnabled": true, or remove RecoveryPeriodInDays
    schemas/Delta.json: expected an object, found an array
      hint: a table schema is one JSON object: { "TableName": "Delta", "AttributeDefinitions": [...], "KeySchema": [...] }
    schemas/Empty.json: is empty
      hint: write the table as one JSON object, e.g. { "TableName": "Empty", ... }, or delete the file
    schemas/Epsilon.json: is not valid JSON: Expected double-quoted property name (line 3, column 1)
      hint: fix the JSON syntax at line 3, column 1; JSON allows no comments, no trailing commas and only double-quoted strings
    schemas/Gamma.json: KeySchema: missing required property "KeySchema"
      hint: add "KeySchema": [{ "AttributeName": "PK", "KeyType": "HASH" }]
    schemas/Gamma.json: TableName: missing required property "TableName"
      hint: add "TableName": "Gamma"
    schemas/Iota.json: TableName: "Iota2" does not match the file name "Iota.json"
      hint: rename the file to Iota2.json, or set "TableName": "Iota"
    schemas/Kappa.json: KeySchema: expected an array, found an object
      hint: write an array, e.g. [{ "AttributeName": "PK", "KeyType": "HASH" }]
    schemas/Lambda.json: AttributeDefinitions[0].Type: unknown property "Type"
      hint: did you mean "AttributeType"? allowed properties: "AttributeType", "AttributeName"
    schemas/Omicron.json: ProvisionedThroughput: is required because BillingMode is "PROVISIONED"
      hint: add "ProvisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 }, or set "BillingMode": "PAY_PER_REQUEST" on the table
    schemas/Phi.json: ProvisionedThroughput.ReadCapacityUnits: expected a whole number, found 1.5
      hint: write a whole number, e.g. 5
    schemas/Psi.json: tableName: unknown property "tableName"
      hint: did you mean "TableName"? allowed properties: "TableName", "TableClass", "$schema", "BillingMode", "Tags", "KeySchema", "SSESpecification", "StreamSpecification", "AttributeDefinitions", "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "OnDemandThroughput", "TimeToLiveSpecification", "ProvisionedThroughput", "DeletionProtectionEnabled", "PointInTimeRecoverySpecification"
    schemas/Sigma.json: TimeToLiveSpecification.AttributeName: is required when Enabled is true
      hint: name the attribute that holds the expiry time in epoch seconds, e.g. "AttributeName": "expiresAt"
    schemas/Tau.json: StreamSpecification.StreamViewType: "NEW" is not a valid StreamViewType
      hint: did you mean "NEW_IMAGE"? allowed values: "NEW_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY", "OLD_IMAGE"
    schemas/theta.json: TableName: "theta" differs only in case from "Theta" in schemas/Theta.json; DynamoDB Local treats table names case-insensitively
      hint: rename one of the two tables (and its file) so the names differ by more than case
    schemas/Upsilon.json: Tags[0].Value: missing required property "Value"
      hint: add "Value": "CEAP"
    schemas/Zeta-copy.json: TableName: "Zeta" is also the TableName of schemas/Zeta.json
      hint: keep one file per table: delete this file, or give it its own TableName and file name"
  `)
  expect(result.tables.map((t) => t.file)).toStrictEqual([
    'schemas/Chi.json',
    'schemas/Iota.json',
    'schemas/Omicron.json',
    'schemas/Sigma.json',
    'schemas/Theta.json',
    'schemas/Zeta-copy.json',
    'schemas/Zeta.json',
    'schemas/ab.json',
    'schemas/theta.json',
  ])
})

describe('zod issues', () => {
  test('an unknown property is named, with the closest allowed property first', async () => {
    const result = await load({
      'schemas/Items.json': valid('Items', {
        GlobalSecondaryIndexes: [
          {
            IndexName: 'ByStatus',
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            Projecton: { ProjectionType: 'ALL' },
          },
        ],
      }),
    })
    // the missing "Projection" is not reported again: the unknown property's hint names it
    expect(result.issues).toStrictEqual([
      {
        file: 'schemas/Items.json',
        path: 'GlobalSecondaryIndexes[0].Projecton',
        message: 'unknown property "Projecton"',
        hint: 'did you mean "Projection"? allowed properties: "Projection", "IndexName", "KeySchema", "ProvisionedThroughput", "OnDemandThroughput"',
      },
    ])
  })

  test('an invalid enum value lists the allowed values', async () => {
    const result = await load({
      'schemas/Items.json': valid('Items', { TableClass: 'INFREQUENT_ACCESS' }),
    })
    expect(result.issues).toStrictEqual([
      {
        file: 'schemas/Items.json',
        path: 'TableClass',
        message: '"INFREQUENT_ACCESS" is not a valid TableClass',
        hint: 'did you mean "STANDARD_INFREQUENT_ACCESS"? allowed values: "STANDARD_INFREQUENT_ACCESS", "STANDARD"',
      },
    ])
  })

  test('a missing required property', async () => {
    const result = await load({
      'schemas/Items.json': valid('Items', { KeySchema: [{ AttributeName: 'id' }] }),
    })
    expect(result.issues).toStrictEqual([
      {
        file: 'schemas/Items.json',
        path: 'KeySchema[0].KeyType',
        message: 'missing required property "KeyType"',
        hint: 'add "KeyType": "HASH"',
      },
    ])
  })

  test('a wrong type', async () => {
    const result = await load({
      'schemas/Items.json': valid('Items', { DeletionProtectionEnabled: 'true' }),
    })
    expect(result.issues).toStrictEqual([
      {
        file: 'schemas/Items.json',
        path: 'DeletionProtectionEnabled',
        message: 'expected true or false, found "true"',
        hint: 'write true without quotes',
      },
    ])
  })

  test('rules do not run on a file that failed to parse', async () => {
    const result = await load({
      'schemas/Items.json': valid('Items', { BillingMode: undefined, Tables: [] }),
    })
    expect(result.issues.map((i) => i.message)).toStrictEqual(['unknown property "Tables"'])
  })
})

describe('directory', () => {
  test('a missing directory is one issue that points to ddbm init', async () => {
    const root = await project({})
    const result = await loadSchemas(path.join(root, 'schemas'), { root })
    expect(result).toStrictEqual({
      tables: [],
      issues: [
        {
          file: 'schemas',
          path: '',
          message: 'directory not found',
          hint: 'run `ddbm init` to scaffold schemas/, or pass the directory that holds the tables',
        },
      ],
    })
  })

  test('an empty directory has no tables and no issues', async () => {
    const root = await project({ 'schemas/.gitkeep': '' })
    expect(await loadSchemas(path.join(root, 'schemas'), { root })).toStrictEqual({
      tables: [],
      issues: [],
    })
  })

  test('file names default to being relative to the working directory', async () => {
    const result = await loadSchemas('schemas')
    expect(result.tables[0]?.file).toBe('schemas/Candidates.json')
  })
})

describe('assertValid', () => {
  test('returns the tables when there is no issue', async () => {
    const result = await load({ 'schemas/Items.json': valid('Items') })
    expect(assertValid(result).map((t) => t.table.TableName)).toStrictEqual(['Items'])
  })

  test('throws SCHEMA_INVALID with every issue in details', async () => {
    const result = await load({ 'schemas/Items.json': valid('Item'), 'schemas/x.json': '{' })
    let error: unknown
    try {
      assertValid(result)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(DdbmError)
    const ddbm = error as DdbmError
    expect(ddbm.code).toBe('SCHEMA_INVALID')
    expect(ddbm.exitCode).toBe(2)
    expect(ddbm.message).toBe('2 problems in schemas/')
    expect(ddbm.details).toStrictEqual({ issues: result.issues })
  })
})
