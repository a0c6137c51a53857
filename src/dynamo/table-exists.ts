import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { isResourceNotFound } from './aws-errors.js'

/** Whether `name` exists (in any status). Read-only: one DescribeTable. */
export async function tableExists(client: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }))
    return true
  } catch (err) {
    if (isResourceNotFound(err)) return false
    throw err
  }
}
