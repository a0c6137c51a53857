import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb'
import type { TableSchema } from '../../schema/table-schema.js'

/**
 * The CreateTable input for a table definition (CloudFormation-shaped properties → API shape): keys,
 * attribute definitions, LSIs, GSIs, billing and throughput, SSE, stream, table class, deletion protection
 * and, when `withTags`, the tags. TTL and PITR are not CreateTable parameters: the executor sets them with
 * their own calls afterwards. Pure.
 */
export function createTableInput(
  name: string,
  d: TableSchema,
  withTags: boolean,
): CreateTableCommandInput {
  const input: CreateTableCommandInput = {
    TableName: name,
    AttributeDefinitions: d.AttributeDefinitions,
    KeySchema: d.KeySchema,
    BillingMode: d.BillingMode ?? 'PROVISIONED',
  }
  if (d.ProvisionedThroughput) input.ProvisionedThroughput = d.ProvisionedThroughput
  if (d.OnDemandThroughput) input.OnDemandThroughput = d.OnDemandThroughput
  if (d.LocalSecondaryIndexes?.length) input.LocalSecondaryIndexes = d.LocalSecondaryIndexes
  if (d.GlobalSecondaryIndexes?.length) input.GlobalSecondaryIndexes = d.GlobalSecondaryIndexes
  if (d.SSESpecification) {
    const { SSEEnabled, SSEType, KMSMasterKeyId } = d.SSESpecification
    input.SSESpecification = {
      Enabled: SSEEnabled,
      ...(SSEType ? { SSEType } : {}),
      ...(KMSMasterKeyId ? { KMSMasterKeyId } : {}),
    }
  }
  if (d.StreamSpecification) {
    input.StreamSpecification = {
      StreamEnabled: true,
      StreamViewType: d.StreamSpecification.StreamViewType,
    }
  }
  if (d.TableClass) input.TableClass = d.TableClass
  if (d.DeletionProtectionEnabled !== undefined) {
    input.DeletionProtectionEnabled = d.DeletionProtectionEnabled
  }
  if (withTags && d.Tags?.length) input.Tags = d.Tags
  return input
}
