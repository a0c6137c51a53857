import { describe, expect, test } from 'vitest'
import type { Issue } from '../../../src/schema/issues.js'
import { checkTable, RULES } from '../../../src/schema/rules.js'
import type { GlobalSecondaryIndex, TableSchema } from '../../../src/schema/table-schema.js'
import { CREATED_AT_LSI, STATUS_INDEX, candidatesTable } from '../../fixtures/tables.js'

const FILE = 'schemas/Candidates.json'

/**
 * A table that passes every rule: Candidates with one GSI (StatusIndex) and an LSI, TTL, PITR with a
 * period, SSE with a KMS key, a tag.
 */
const BASE: TableSchema = candidatesTable({
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
    { AttributeName: 'status', AttributeType: 'S' },
    { AttributeName: 'createdAt', AttributeType: 'S' },
  ],
  GlobalSecondaryIndexes: [STATUS_INDEX],
  LocalSecondaryIndexes: [CREATED_AT_LSI],
  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
  SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/ceap' },
})

/** BASE with `change` applied to a deep copy. */
function table(change: (t: TableSchema) => void): TableSchema {
  const copy = structuredClone(BASE)
  change(copy)
  return copy
}

const gsi = (t: TableSchema, i = 0): GlobalSecondaryIndex => {
  const index = t.GlobalSecondaryIndexes?.[i]
  if (index === undefined) throw new Error(`no GSI ${i}`)
  return index
}

const lsi = (t: TableSchema) => {
  const index = t.LocalSecondaryIndexes?.[0]
  if (index === undefined) throw new Error('no LSI')
  return index
}

const statusGsi = (name: string): GlobalSecondaryIndex => ({
  IndexName: name,
  KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
  Projection: { ProjectionType: 'KEYS_ONLY' },
})

const issue = (path: string, message: string, hint: string): Issue => ({
  file: FILE,
  path,
  message,
  hint,
})

const NAME_HINT_SHORT = 'use a name of at least 3 characters'
const PROVISION_HINT =
  'add "ProvisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 }, or set "BillingMode": "PAY_PER_REQUEST" on the table'
const INCLUDE_HINT =
  'list the attributes to copy, e.g. "NonKeyAttributes": ["name"], or use "ProjectionType": "KEYS_ONLY" or "ALL"'
const TAG_CHARS_HINT = 'use only letters, digits, spaces and + - = . _ : / @'
const names = (prefix: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`)

test('the base table passes every rule', () => {
  expect(checkTable(BASE, FILE)).toStrictEqual([])
  expect(RULES.length).toBe(17)
})

describe('names', () => {
  test('table name shorter than 3 characters', () => {
    expect(
      checkTable(
        table((t) => (t.TableName = 'ab')),
        FILE,
      ),
    ).toStrictEqual([
      issue(
        'TableName',
        '"ab" is 2 characters long; table names are 3-255',
        `${NAME_HINT_SHORT}, and rename the file to match`,
      ),
    ])
  })

  test('table name longer than 255 characters', () => {
    const long = 'T'.repeat(256)
    expect(
      checkTable(
        table((t) => (t.TableName = long)),
        FILE,
      ),
    ).toStrictEqual([
      issue(
        'TableName',
        `"${long}" is 256 characters long; table names are 3-255`,
        'shorten it to 255 characters, and rename the file to match',
      ),
    ])
  })

  test('table name with a space', () => {
    expect(
      checkTable(
        table((t) => (t.TableName = 'Candidates table')),
        FILE,
      ),
    ).toStrictEqual([
      issue(
        'TableName',
        '"Candidates table" has characters outside [a-zA-Z0-9_.-]',
        'use only letters, digits, "_", "-" and ".", e.g. "Candidates-table", and rename the file to match',
      ),
    ])
  })

  test('index name with a character outside the pattern', () => {
    expect(
      checkTable(
        table((t) => (lsi(t).IndexName = 'by#date')),
        FILE,
      ),
    ).toStrictEqual([
      issue(
        'LocalSecondaryIndexes[0].IndexName',
        '"by#date" has characters outside [a-zA-Z0-9_.-]',
        'use only letters, digits, "_", "-" and ".", e.g. "by-date"',
      ),
    ])
  })

  test('an LSI named like a GSI', () => {
    expect(
      checkTable(
        table((t) => (lsi(t).IndexName = 'StatusIndex')),
        FILE,
      ),
    ).toStrictEqual([
      issue(
        'LocalSecondaryIndexes[0].IndexName',
        '"StatusIndex" is already the name of GlobalSecondaryIndexes[0]',
        'rename one of them: index names are unique across the GSIs and LSIs of a table',
      ),
    ])
  })
})

describe('key schemas', () => {
  test('empty table key schema', () => {
    const t = table((t) => {
      t.KeySchema = []
      t.AttributeDefinitions = t.AttributeDefinitions.filter((d) => d.AttributeName !== 'SK')
      delete t.LocalSecondaryIndexes
    })
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'AttributeDefinitions[0]',
        '"PK" is not used by any key schema; DynamoDB rejects unused definitions',
        'remove this entry: only key attributes of the table and its indexes are defined',
      ),
      issue(
        'KeySchema',
        'is empty; a key schema needs a HASH element',
        'add { "AttributeName": "PK", "KeyType": "HASH" }',
      ),
    ])
  })

  test('three key elements', () => {
    const t = table((t) => t.KeySchema.push({ AttributeName: 'status', KeyType: 'RANGE' }))
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'KeySchema',
        'has 3 elements; a key schema has 1 (HASH) or 2 (HASH, RANGE)',
        'keep one HASH element and at most one RANGE element',
      ),
    ])
  })

  test('RANGE before HASH', () => {
    expect(
      checkTable(
        table((t) => gsi(t).KeySchema.reverse()),
        FILE,
      ),
    ).toStrictEqual([
      issue(
        'GlobalSecondaryIndexes[0].KeySchema',
        'lists the RANGE element before the HASH element',
        'swap the two elements: the HASH element comes first',
      ),
    ])
  })

  test('no HASH element', () => {
    const t = table((t) => ((gsi(t).KeySchema[0] ?? { KeyType: '' }).KeyType = 'RANGE'))
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'GlobalSecondaryIndexes[0].KeySchema[0].KeyType',
        '"RANGE" must be "HASH": the first element is the partition key',
        'set "KeyType": "HASH" (a sort key comes second)',
      ),
    ])
  })

  test('two HASH elements', () => {
    const t = table((t) => ((gsi(t).KeySchema[1] ?? { KeyType: '' }).KeyType = 'HASH'))
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'GlobalSecondaryIndexes[0].KeySchema[1].KeyType',
        '"HASH" must be "RANGE": a key has one HASH element',
        'set "KeyType": "RANGE" on the second element',
      ),
    ])
  })

  test('one attribute twice', () => {
    const t = table(
      (t) => ((gsi(t).KeySchema[1] ?? { AttributeName: '' }).AttributeName = 'status'),
    )
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'GlobalSecondaryIndexes[0].KeySchema[1].AttributeName',
        '"status" is already the HASH element of this key',
        'use another attribute as the RANGE key',
      ),
    ])
  })
})

describe('attribute definitions', () => {
  test('a key attribute that is not defined', () => {
    const t = table((t) =>
      t.GlobalSecondaryIndexes?.push({
        IndexName: 'ProgramIndex',
        KeySchema: [{ AttributeName: 'programId', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      }),
    )
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'GlobalSecondaryIndexes[1].KeySchema[0].AttributeName',
        '"programId" is not in AttributeDefinitions',
        'add { "AttributeName": "programId", "AttributeType": "S" } to AttributeDefinitions ("N" for a number, "B" for binary)',
      ),
    ])
  })

  test('a definition no key uses', () => {
    const t = table((t) =>
      t.AttributeDefinitions.push({ AttributeName: 'name', AttributeType: 'S' }),
    )
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'AttributeDefinitions[4]',
        '"name" is not used by any key schema; DynamoDB rejects unused definitions',
        'remove this entry: only key attributes of the table and its indexes are defined',
      ),
    ])
  })

  test('an attribute defined twice', () => {
    const t = table((t) => t.AttributeDefinitions.push({ AttributeName: 'PK', AttributeType: 'N' }))
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'AttributeDefinitions[4].AttributeName',
        '"PK" is already defined at AttributeDefinitions[0]',
        'remove this entry: each attribute is defined once',
      ),
    ])
  })
})

describe('indexes', () => {
  test('21 GSIs', () => {
    const t = table((t) => (t.GlobalSecondaryIndexes = names('Index', 21).map(statusGsi)))
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'GlobalSecondaryIndexes',
        'has 21 indexes; DynamoDB allows at most 20 global secondary indexes',
        'remove 1 (20 is the default quota of AWS accounts)',
      ),
    ])
  })

  test('20 GSIs are allowed', () => {
    const t = table((t) => t.GlobalSecondaryIndexes?.push(...names('Index', 19).map(statusGsi)))
    expect(checkTable(t, FILE)).toStrictEqual([])
  })

  test('6 LSIs', () => {
    const t = table((t) => {
      t.LocalSecondaryIndexes = names('ByCreatedAt', 6).map((IndexName) => ({
        ...lsi(t),
        IndexName,
      }))
    })
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'LocalSecondaryIndexes',
        'has 6 indexes; DynamoDB allows at most 5 local secondary indexes',
        'remove 1, or make them global indexes',
      ),
    ])
  })

  test('LSIs on a table without a RANGE key', () => {
    const t = table((t) => {
      t.KeySchema = [{ AttributeName: 'PK', KeyType: 'HASH' }]
      t.AttributeDefinitions = t.AttributeDefinitions.filter((d) => d.AttributeName !== 'SK')
    })
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'LocalSecondaryIndexes',
        "need a table with a RANGE key, but the table's KeySchema has none",
        'add a RANGE element to the table KeySchema, or make these global secondary indexes',
      ),
    ])
  })

  test('an LSI without a RANGE key', () => {
    expect(
      checkTable(
        table((t) => lsi(t).KeySchema.pop()),
        FILE,
      ),
    ).toStrictEqual([
      issue(
        'LocalSecondaryIndexes[0].KeySchema',
        "has no RANGE element; an LSI has the table's HASH key and its own RANGE key",
        'add { "AttributeName": "<sort attribute>", "KeyType": "RANGE" }, or make it a GSI',
      ),
    ])
  })

  test("an LSI with another HASH key than the table's", () => {
    const t = table(
      (t) => ((lsi(t).KeySchema[0] ?? { AttributeName: '' }).AttributeName = 'status'),
    )
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'LocalSecondaryIndexes[0].KeySchema[0].AttributeName',
        '"status" is not the table\'s HASH key "PK"',
        'write "PK" (an LSI shares the table\'s partition key), or make it a GSI',
      ),
    ])
  })
})

describe('projections', () => {
  test('INCLUDE without NonKeyAttributes', () => {
    const t = table((t) => (gsi(t).Projection = { ProjectionType: 'INCLUDE' }))
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'GlobalSecondaryIndexes[0].Projection',
        'ProjectionType "INCLUDE" needs NonKeyAttributes, but there are none',
        INCLUDE_HINT,
      ),
    ])
  })

  test('INCLUDE with an empty NonKeyAttributes', () => {
    const t = table(
      (t) => (lsi(t).Projection = { ProjectionType: 'INCLUDE', NonKeyAttributes: [] }),
    )
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'LocalSecondaryIndexes[0].Projection.NonKeyAttributes',
        'ProjectionType "INCLUDE" needs NonKeyAttributes, but the list is empty',
        INCLUDE_HINT,
      ),
    ])
  })

  test('NonKeyAttributes with ALL, and with KEYS_ONLY', () => {
    const t = table((t) => {
      gsi(t).Projection = { ProjectionType: 'ALL', NonKeyAttributes: ['name'] }
      lsi(t).Projection = { ProjectionType: 'KEYS_ONLY', NonKeyAttributes: ['name'] }
    })
    const hint = 'set "ProjectionType": "INCLUDE", or remove NonKeyAttributes'
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'GlobalSecondaryIndexes[0].Projection.NonKeyAttributes',
        'are only allowed with ProjectionType "INCLUDE", but ProjectionType is "ALL"',
        hint,
      ),
      issue(
        'LocalSecondaryIndexes[0].Projection.NonKeyAttributes',
        'are only allowed with ProjectionType "INCLUDE", but ProjectionType is "KEYS_ONLY"',
        hint,
      ),
    ])
  })

  test('more than 100 projected attributes, counted per index and summed', () => {
    const t = table((t) => {
      gsi(t).Projection = { ProjectionType: 'INCLUDE', NonKeyAttributes: names('a', 60) }
      lsi(t).Projection = { ProjectionType: 'INCLUDE', NonKeyAttributes: names('a', 41) }
    })
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'LocalSecondaryIndexes[0].Projection.NonKeyAttributes',
        'brings the projected non-key attributes of all indexes to 101; DynamoDB allows at most 100',
        'project fewer attributes (one projected into two indexes counts twice), or use "ProjectionType": "ALL"',
      ),
    ])
  })

  test('exactly 100 projected attributes (a repeat within one index counts once)', () => {
    const t = table((t) => {
      gsi(t).Projection = { ProjectionType: 'INCLUDE', NonKeyAttributes: [...names('a', 50), 'a0'] }
      lsi(t).Projection = { ProjectionType: 'INCLUDE', NonKeyAttributes: names('a', 50) }
    })
    expect(checkTable(t, FILE)).toStrictEqual([])
  })
})

describe('billing and throughput', () => {
  test('no BillingMode means PROVISIONED: throughput needed on the table and each GSI', () => {
    const t = table((t) => delete t.BillingMode)
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'GlobalSecondaryIndexes[0].ProvisionedThroughput',
        'is required because BillingMode is not set (so "PROVISIONED")',
        PROVISION_HINT,
      ),
      issue(
        'ProvisionedThroughput',
        'is required because BillingMode is not set (so "PROVISIONED")',
        PROVISION_HINT,
      ),
    ])
  })

  test('PROVISIONED with throughput on the table but not on a GSI', () => {
    const t = table((t) => {
      t.BillingMode = 'PROVISIONED'
      t.ProvisionedThroughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
    })
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'GlobalSecondaryIndexes[0].ProvisionedThroughput',
        'is required because BillingMode is "PROVISIONED"',
        PROVISION_HINT,
      ),
    ])
  })

  test('PAY_PER_REQUEST with throughput on a GSI', () => {
    const t = table(
      (t) => (gsi(t).ProvisionedThroughput = { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }),
    )
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'GlobalSecondaryIndexes[0].ProvisionedThroughput',
        'is not allowed because BillingMode is "PAY_PER_REQUEST"',
        'remove ProvisionedThroughput (OnDemandThroughput caps request units), or set "BillingMode": "PROVISIONED" on the table',
      ),
    ])
  })

  test('OnDemandThroughput on a PROVISIONED table', () => {
    const t = table((t) => {
      t.BillingMode = 'PROVISIONED'
      t.ProvisionedThroughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
      gsi(t).ProvisionedThroughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
      t.OnDemandThroughput = { MaxReadRequestUnits: 100 }
    })
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'OnDemandThroughput',
        'is only allowed with BillingMode "PAY_PER_REQUEST", but BillingMode is "PROVISIONED"',
        'remove OnDemandThroughput, or set "BillingMode": "PAY_PER_REQUEST"',
      ),
    ])
  })

  test('OnDemandThroughput of 0 on a GSI (-1 means no limit)', () => {
    const t = table((t) => {
      gsi(t).OnDemandThroughput = { MaxReadRequestUnits: -1, MaxWriteRequestUnits: 0 }
    })
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'GlobalSecondaryIndexes[0].OnDemandThroughput.MaxWriteRequestUnits',
        '0 is not a valid maximum',
        'use a positive number of request units, or -1 for no limit',
      ),
    ])
  })
})

describe('TTL, PITR, SSE', () => {
  const TTL_HINT =
    'name the attribute that holds the expiry time in epoch seconds, e.g. "AttributeName": "expiresAt"'

  test('TTL enabled without an attribute, or with an empty one', () => {
    const none = table((t) => (t.TimeToLiveSpecification = { Enabled: true }))
    const empty = table((t) => (t.TimeToLiveSpecification = { AttributeName: '', Enabled: true }))
    const path = 'TimeToLiveSpecification.AttributeName'
    expect(checkTable(none, FILE)).toStrictEqual([
      issue(path, 'is required when Enabled is true', TTL_HINT),
    ])
    expect(checkTable(empty, FILE)).toStrictEqual([
      issue(path, '"" is empty but Enabled is true', TTL_HINT),
    ])
  })

  test('TTL disabled without an attribute is fine', () => {
    expect(
      checkTable(
        table((t) => (t.TimeToLiveSpecification = { Enabled: false })),
        FILE,
      ),
    ).toStrictEqual([])
  })

  test('TTL attribute defined as a string', () => {
    const t = table(
      (t) => (t.TimeToLiveSpecification = { AttributeName: 'createdAt', Enabled: true }),
    )
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'AttributeDefinitions[3].AttributeType',
        '"S" cannot be the type of TTL attribute "createdAt"; TTL needs a Number',
        'set "AttributeType": "N" (TTL values are epoch seconds), or use another attribute',
      ),
    ])
  })

  test('PITR recovery period out of range', () => {
    const path = 'PointInTimeRecoverySpecification.RecoveryPeriodInDays'
    const hint = 'use a whole number of days from 1 to 35 (35 is the default)'
    for (const days of [0, 36]) {
      const t = table(
        (t) =>
          (t.PointInTimeRecoverySpecification = {
            PointInTimeRecoveryEnabled: true,
            RecoveryPeriodInDays: days,
          }),
      )
      expect(checkTable(t, FILE)).toStrictEqual([
        issue(path, `${days} is out of range; DynamoDB keeps 1-35 days of recovery points`, hint),
      ])
    }
  })

  test('PITR recovery period without PITR enabled', () => {
    const t = table((t) => (t.PointInTimeRecoverySpecification = { RecoveryPeriodInDays: 7 }))
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'PointInTimeRecoverySpecification.RecoveryPeriodInDays',
        '7 is set but PointInTimeRecoveryEnabled is not true',
        'set "PointInTimeRecoveryEnabled": true, or remove RecoveryPeriodInDays',
      ),
    ])
  })

  test('SSEType and KMSMasterKeyId with SSE disabled', () => {
    const t = table((t) => ((t.SSESpecification ?? { SSEEnabled: true }).SSEEnabled = false))
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'SSESpecification.KMSMasterKeyId',
        '"alias/ceap" is set but SSEEnabled is false',
        'set "SSEEnabled": true, or remove KMSMasterKeyId (SSEEnabled false means the AWS owned key)',
      ),
      issue(
        'SSESpecification.SSEType',
        '"KMS" is set but SSEEnabled is false',
        'set "SSEEnabled": true, or remove SSEType (SSEEnabled false means the AWS owned key)',
      ),
    ])
  })

  test('KMSMasterKeyId without SSEType KMS', () => {
    const t = table(
      (t) => (t.SSESpecification = { SSEEnabled: true, SSEType: 'AES256', KMSMasterKeyId: 'k' }),
    )
    expect(checkTable(t, FILE)).toStrictEqual([
      issue(
        'SSESpecification.KMSMasterKeyId',
        '"k" needs SSEType "KMS", but SSEType is "AES256"',
        'set "SSEType": "KMS", or remove KMSMasterKeyId to use the AWS managed key',
      ),
    ])
  })
})

describe('tags', () => {
  const withTags = (...tags: Array<[string, string]>): TableSchema =>
    table((t) => (t.Tags = tags.map(([Key, Value]) => ({ Key, Value }))))

  test('51 tags', () => {
    const t = withTags(...names('k', 51).map((k): [string, string] => [k, 'v']))
    expect(checkTable(t, FILE)).toStrictEqual([
      issue('Tags', 'has 51 tags; DynamoDB allows at most 50 per table', 'remove 1'),
    ])
  })

  test('key length, reserved prefix, characters, duplicates; value length and characters', () => {
    const t = withTags(
      ['', 'v'],
      ['k'.repeat(129), 'v'],
      ['AWS:cost', 'v'],
      ['team#1', 'v'],
      ['Application', 'CEAP'],
      ['Application', 'v'.repeat(257)],
      ['Owner', 'a;b'],
    )
    expect(checkTable(t, FILE)).toStrictEqual([
      issue('Tags[0].Key', '"" is 0 characters long; tag keys are 1-128', 'give the tag a key'),
      issue(
        'Tags[1].Key',
        `"${'k'.repeat(129)}" is 129 characters long; tag keys are 1-128`,
        'shorten the key to 128 characters',
      ),
      issue(
        'Tags[2].Key',
        '"AWS:cost" starts with the reserved prefix "aws:"',
        'use a key without the prefix, e.g. "cost"',
      ),
      issue('Tags[3].Key', '"team#1" has characters not allowed in tags', TAG_CHARS_HINT),
      issue(
        'Tags[5].Key',
        '"Application" is already used by Tags[4]',
        'remove one of them: tag keys are unique',
      ),
      issue(
        'Tags[5].Value',
        'is 257 characters long; tag values are at most 256',
        'shorten the value to 256 characters',
      ),
      issue('Tags[6].Value', '"a;b" has characters not allowed in tags', TAG_CHARS_HINT),
    ])
  })
})

test('every problem of a table is reported at once, sorted by path', () => {
  const t = table((t) => {
    t.TableName = 'x'
    t.AttributeDefinitions.push({ AttributeName: 'unused', AttributeType: 'B' })
    t.Tags = [{ Key: 'aws:x', Value: 'v' }]
  })
  expect(checkTable(t, FILE).map((i) => i.path)).toStrictEqual([
    'AttributeDefinitions[4]',
    'TableName',
    'Tags[0].Key',
  ])
})
