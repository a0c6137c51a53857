import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { Kind } from '../../backfill/pacer.js'

/**
 * The error names of a throttled DynamoDB request
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html).
 */
export const THROTTLE_ERRORS: readonly string[] = [
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]

/** Commands whose throttles count against reads; the other data-plane commands are writes. */
const READS = new Set(['Scan', 'Query', 'GetItem', 'BatchGetItem', 'TransactGetItems'])
const WRITES = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
])

/** The kind of capacity a command uses, from its name (`UpdateItemCommand`); undefined for control-plane calls. */
export function kindOfCommand(commandName: string | undefined): Kind | undefined {
  const name = (commandName ?? '').replace(/Command$/, '')
  if (READS.has(name)) return 'read'
  if (WRITES.has(name)) return 'write'
  return undefined
}

let watchers = 0

/**
 * Calls `onThrottle` for every throttled attempt of a data-plane request sent through `client`, also the
 * attempts the SDK then retries successfully: the middleware sits inside the SDK's retry loop. Control-plane calls (DescribeTable...) are not reported: their throttles are rate
 * limits of the API, not of the table's capacity. Returns a function that removes the middleware; each call
 * adds one of its own name, so watchers coexist.
 */
export function watchThrottles(
  client: DynamoDBClient,
  onThrottle: (kind: Kind, err: { name: string }) => void,
): () => void {
  const name = `ddbmThrottleWatch${++watchers}`
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args)
      } catch (err) {
        const errName = err instanceof Error ? err.name : undefined
        const kind = kindOfCommand(context.commandName)
        if (errName !== undefined && kind !== undefined && THROTTLE_ERRORS.includes(errName)) {
          onThrottle(kind, { name: errName })
        }
        throw err
      }
    },
    // Inside the SDK's retry loop (retryMiddleware is finalizeRequest/high), so each attempt is seen.
    { step: 'finalizeRequest', priority: 'low', name },
  )
  return () => {
    client.middlewareStack.remove(name)
  }
}
