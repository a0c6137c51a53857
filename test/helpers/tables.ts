import { DeleteTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { engineClient } from './engines.js'

/**
 * Deletes every table whose name ends with `suffix` (a test's unique suffix) and waits until they are gone.
 * Tests must clean up promptly: DynamoDB Local pins one of its 10 job threads per table with TTL enabled,
 * and index builds queue forever once they are all taken.
 */
export async function dropTables(endpoint: string, suffix: string): Promise<void> {
  const client = engineClient({ endpoint })
  try {
    const names: string[] = []
    let start: string | undefined
    do {
      const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }))
      names.push(...(page.TableNames ?? []).filter((n) => n.endsWith(suffix)))
      start = page.LastEvaluatedTableName
    } while (start !== undefined)
    for (const name of names) {
      await client.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined)
    }
  } finally {
    client.destroy()
  }
}
