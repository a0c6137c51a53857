import { UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import type { MigrationContext } from 'ddbm'

/**
 * Backfill for ActiveCandidatesIndex (a sparse index): PENDING candidates get `activeFlag = "Y"`, so they
 * appear in the index; the others stay out of it. Converges: re-running sets the same value.
 */
export async function up(ctx: MigrationContext): Promise<void> {
  let n = 0
  for await (const item of ctx.scan('Candidates', {
    filter: '#s = :pending',
    names: { '#s': 'status' },
    values: { ':pending': 'PENDING' },
  })) {
    await ctx.client.send(
      new UpdateItemCommand({
        TableName: ctx.tableName('Candidates'),
        Key: ctx.marshall({ PK: item.PK, SK: item.SK }),
        UpdateExpression: 'SET activeFlag = :y',
        ExpressionAttributeValues: { ':y': { S: 'Y' } },
      }),
    )
    n++
  }
  ctx.log(`activeFlag set on ${n} pending candidate(s)`)
}

/** Removes the flag again, which empties the index. */
export async function down(ctx: MigrationContext): Promise<void> {
  for await (const item of ctx.scan('Candidates', { filter: 'attribute_exists(activeFlag)' })) {
    await ctx.client.send(
      new UpdateItemCommand({
        TableName: ctx.tableName('Candidates'),
        Key: ctx.marshall({ PK: item.PK, SK: item.SK }),
        UpdateExpression: 'REMOVE activeFlag',
      }),
    )
  }
}
