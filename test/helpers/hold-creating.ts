import type { DescribeTableCommandOutput, DynamoDBClient } from '@aws-sdk/client-dynamodb'

/**
 * Makes the first DescribeTable answer that lists index `name` show it CREATING, through the client's
 * middleware: on an empty table DynamoDB Local may build an index before the step's first poll (seen in
 * CI), and then the step never waits; this way it waits at least once, whatever the machine's speed.
 */
export function holdCreatingOnce(client: DynamoDBClient, name: string): void {
  let held = false
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args)
      if (held || context.commandName !== 'DescribeTableCommand') return out
      const index = (out.output as DescribeTableCommandOutput).Table?.GlobalSecondaryIndexes?.find(
        (g) => g.IndexName === name,
      )
      if (index !== undefined) {
        held = true
        index.IndexStatus = 'CREATING'
        index.Backfilling = true
      }
      return out
    },
    { step: 'initialize', name: 'holdCreatingOnce' },
  )
}
