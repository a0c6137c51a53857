import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'

/** Calls that only read: every other call counts as mutating (CreateBackup and UpdateItem included). */
const READ_ONLY = /^(Describe|List|Get|BatchGet|Query|Scan)/

/**
 * Records every call a client sends, by command name (`PutItem`, `DescribeTable`...): pass `instrument`
 * as the api's `instrument` option. `mutating()` lists the calls other than Describe*, List*, Get*,
 * BatchGet, Query and Scan.
 */
export function callCounter() {
  const calls: string[] = []
  return {
    calls,
    mutating: () => calls.filter((c) => !READ_ONLY.test(c)),
    instrument: (client: DynamoDBClient) =>
      client.middlewareStack.add(
        (next, context) => async (args) => {
          calls.push(String(context.commandName).replace(/Command$/, ''))
          return next(args)
        },
        { step: 'initialize', name: 'countCalls' },
      ),
  }
}
