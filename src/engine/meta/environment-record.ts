import {
  GetItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { isResourceNotFound } from '../../dynamo/aws-errors.js'
import { DdbmError, messageOf } from '../../errors.js'
import { ENVIRONMENT_PK, META_KEY } from './meta-table.js'
import type { EnvironmentRecord } from './meta-store.js'

const KEY = { [META_KEY]: { S: ENVIRONMENT_PK } }

/**
 * The environment's identity stored in meta table `table` (a consistent GetItem), or undefined when the
 * table or the item does not exist. Throws DdbmError('INTERNAL') on a malformed item, AWS_FAILED when the
 * read fails otherwise.
 */
export async function readEnvironment(
  client: DynamoDBClient,
  table: string,
): Promise<EnvironmentRecord | undefined> {
  let item: Record<string, AttributeValue> | undefined
  try {
    item = (
      await client.send(new GetItemCommand({ TableName: table, Key: KEY, ConsistentRead: true }))
    ).Item
  } catch (err) {
    if (isResourceNotFound(err)) return undefined
    throw new DdbmError(
      'AWS_FAILED',
      `Could not read the environment record of ${table}: ${messageOf(err)}`,
      { table },
      { cause: err },
    )
  }
  return item === undefined ? undefined : fromItem(item, table)
}

/**
 * Writes the identity unless one is stored, in one conditional UpdateItem: the existing fields win
 * (`if_not_exists`), except `protected`, which a protected `record` of the same name raises to true. When
 * another name is stored the condition fails and the stored record is returned unchanged. Returns the
 * stored record. The table must exist (else AWS_FAILED).
 */
export async function recordEnvironment(
  client: DynamoDBClient,
  table: string,
  record: EnvironmentRecord,
): Promise<EnvironmentRecord> {
  try {
    const out = await client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: KEY,
        UpdateExpression: `SET #name = if_not_exists(#name, :name), #at = if_not_exists(#at, :at), #by = if_not_exists(#by, :by), #p = ${record.protected ? ':p' : 'if_not_exists(#p, :p)'}`,
        ConditionExpression: 'attribute_not_exists(#pk) OR #name = :name',
        ExpressionAttributeNames: {
          '#pk': META_KEY,
          '#name': 'name',
          '#at': 'createdAt',
          '#by': 'createdBy',
          '#p': 'protected',
        },
        ExpressionAttributeValues: {
          ':name': { S: record.name },
          ':at': { S: record.createdAt },
          ':by': { S: record.createdBy },
          ':p': { BOOL: record.protected },
        },
        ReturnValues: 'ALL_NEW',
      }),
    )
    return fromItem(out.Attributes ?? {}, table)
  } catch (err) {
    if (err instanceof Error && err.name === 'ConditionalCheckFailedException') {
      const stored = await readEnvironment(client, table)
      if (stored !== undefined) return stored
    }
    if (err instanceof DdbmError) throw err
    throw new DdbmError(
      'AWS_FAILED',
      `Could not write the environment record of ${table}: ${messageOf(err)}`,
      { table },
      { cause: err },
    )
  }
}

function fromItem(item: Record<string, AttributeValue>, table: string): EnvironmentRecord {
  const str = (field: string): string => {
    const v = item[field]?.S
    if (v === undefined) throw malformed(table, `has no string "${field}"`)
    return v
  }
  const isProtected = item.protected?.BOOL
  if (isProtected === undefined) throw malformed(table, 'has no boolean "protected"')
  return {
    name: str('name'),
    protected: isProtected,
    createdAt: str('createdAt'),
    createdBy: str('createdBy'),
  }
}

function malformed(table: string, what: string): DdbmError {
  return new DdbmError(
    'INTERNAL',
    `Meta table ${table}: the environment record ${what}`,
    { table, pk: ENVIRONMENT_PK },
    { hint: 'The meta table was edited by hand? Fix or delete that item, then re-run.' },
  )
}
