import { describe, expect, test } from 'vitest'
import type { LiveTable } from '../../../src/plan/live-table.js'
import { pulledSchema } from '../../../src/plan/pulled-schema.js'
import type { TableSchema } from '../../../src/schema/table-schema.js'

const BASE: TableSchema = {
  TableName: 'Orders',
  AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
}

const live = (definition: TableSchema, unsupported: LiveTable['unsupported'] = []): LiveTable => ({
  definition,
  indexes: {},
  tableStatus: 'ACTIVE',
  unsupported,
})

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'

describe('pulledSchema', () => {
  test('a new file holds only what the endpoint reported', () => {
    expect(pulledSchema(live(BASE, ['pitr', 'tags']), undefined)).toStrictEqual({
      definition: BASE,
      unreported: ['pitr', 'tags'],
      notes: [],
    })
  })

  test('parts the endpoint cannot report keep the existing file’s value; reported ones come from live', () => {
    const existing: TableSchema = {
      ...BASE,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      Tags: [{ Key: 'team', Value: 'core' }],
      DeletionProtectionEnabled: true,
    }
    expect(pulledSchema(live(BASE, ['pitr', 'tags']), existing)).toStrictEqual({
      definition: {
        ...BASE,
        PointInTimeRecoverySpecification: {
          PointInTimeRecoveryEnabled: true,
          RecoveryPeriodInDays: 35,
        },
        Tags: [{ Key: 'team', Value: 'core' }],
      },
      unreported: ['pitr', 'tags'],
      notes: [],
    })
  })

  test('a KMS key is written as the AWS managed key, with a note, unless the file names one that agrees', () => {
    const kms: TableSchema = {
      ...BASE,
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY_ARN },
    }
    const managed = { SSEEnabled: true, SSEType: 'KMS' as const }
    expect(pulledSchema(live(kms), undefined)).toStrictEqual({
      definition: { ...BASE, SSESpecification: managed },
      unreported: [],
      notes: [
        `SSE uses KMS key ${KEY_ARN}; written as the AWS managed key. Add "KMSMasterKeyId" if it is a customer managed key.`,
      ],
    })
    const byId: TableSchema = {
      ...BASE,
      SSESpecification: {
        SSEEnabled: true,
        KMSMasterKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      },
    }
    expect(pulledSchema(live(kms), byId).definition.SSESpecification).toStrictEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
    })
    const otherKey: TableSchema = {
      ...BASE,
      SSESpecification: {
        SSEEnabled: true,
        KMSMasterKeyId: 'ffffffff-12ab-34cd-56ef-1234567890ab',
      },
    }
    expect(pulledSchema(live(kms), otherKey).definition.SSESpecification).toStrictEqual(managed)
  })
})
