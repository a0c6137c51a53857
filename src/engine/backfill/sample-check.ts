import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { converged } from '../../backfill/converge.js'
import { writeOf, type Item, type ResolvedSpec } from '../../backfill/spec.js'

/** What the check after a backfill found: items read back, and those the transform would still change. */
export type CheckResult = {
  sampled: number
  converged: number
  /** Items whose write is a raw UpdateExpression, which cannot be evaluated here. */
  unknown: number
  /** Items the transform would still change, and the keys of the first 5. */
  notConverged: number
  examples: Item[]
}

/**
 * Reads up to `spec.check` items back, spread over the segments (the first items of each), and applies the
 * transform again: on a finished backfill every item must come out unchanged (converge.ts). An item that
 * does not was changed by someone else since, or the transform does not converge.
 */
export async function sampleCheck(
  client: DynamoDBClient,
  table: string,
  spec: ResolvedSpec,
  keyNames: readonly string[],
): Promise<CheckResult> {
  const result: CheckResult = {
    sampled: 0,
    converged: 0,
    unknown: 0,
    notConverged: 0,
    examples: [],
  }
  if (spec.check === 0) return result
  const per = Math.max(1, Math.ceil(spec.check / spec.segments))
  const values =
    spec.values === undefined ? {} : marshall(spec.values, { removeUndefinedValues: true })
  for (let segment = 0; segment < spec.segments && result.sampled < spec.check; segment++) {
    const out = await client.send(
      new ScanCommand({
        TableName: table,
        ...(spec.index === undefined ? { ConsistentRead: true } : { IndexName: spec.index }),
        Segment: segment,
        TotalSegments: spec.segments,
        Limit: per,
        ...(spec.filter === undefined ? {} : { FilterExpression: spec.filter }),
        ...(spec.names === undefined ? {} : { ExpressionAttributeNames: spec.names }),
        ...(Object.keys(values).length === 0 ? {} : { ExpressionAttributeValues: values }),
      }),
    )
    for (const raw of out.Items ?? []) {
      if (result.sampled >= spec.check) break
      const item = unmarshall(raw)
      result.sampled++
      const verdict = converged(writeOf(await spec.transform(item), item, keyNames), item)
      if (verdict === 'unknown') result.unknown++
      else if (verdict) result.converged++
      else if (result.notConverged++ < 5)
        result.examples.push(Object.fromEntries(keyNames.map((k) => [k, item[k]])))
    }
  }
  return result
}
