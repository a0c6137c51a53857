// Stand-in until the pacing branch lands.
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { capacityOf, type Capacity } from '../../backfill/capacity.js'
export async function readCapacity(
  client: DynamoDBClient,
  table: string,
  opts: { index?: string },
): Promise<Capacity> {
  const out = await client.send(new DescribeTableCommand({ TableName: table }))
  return capacityOf(out.Table ?? {}, opts)
}
