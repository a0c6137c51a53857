import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { mutatingCommands } from '../../src/engine/steps/execute.js'

/**
 * Records every call a client sends, by command name (`PutItem`, `DescribeTable`...): pass `instrument`
 * as the api's `instrument` option. `mutating()` lists the calls that change tables or items.
 */
export function callCounter() {
  const calls: string[] = []
  return {
    calls,
    mutating: () =>
      calls.filter(
        (c) =>
          mutatingCommands.has(`${c}Command`) ||
          /^(Put|Update|Delete|TransactWrite|BatchWrite)/.test(c),
      ),
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
