import {
  DescribeContinuousBackupsCommand,
  DescribeTimeToLiveCommand,
  ListTagsOfResourceCommand,
  type DynamoDBClient,
  type PointInTimeRecoveryDescription,
  type Tag,
  type TimeToLiveDescription,
} from '@aws-sdk/client-dynamodb'
import { isUnknownOperation } from '../../dynamo/aws-errors.js'
import { messageOf } from '../../errors.js'

/**
 * Reading live state beyond DescribeTable: TTL, PITR and tags. An endpoint that does not implement a call
 * yields `{ supported: false, reason }`, never a guessed value.
 */

/** A live value, or the reason the endpoint cannot give it. */
export type Live<T> = { supported: true; value: T } | { supported: false; reason: string }

/**
 * Why `err` means "this endpoint does not implement the call", or undefined for any other error.
 * DynamoDB Local answers UnknownOperationException to the PITR and backup calls, and to TagResource,
 * UntagResource and ListTagsOfResource with "Tagging is not currently supported in DynamoDB Local."
 * (measured: the name is UnknownOperationException there, not ValidationException; the message test also
 * covers endpoints that answer ValidationException with that text).
 */
export function unsupportedReason(err: unknown): string | undefined {
  if (isUnknownOperation(err)) return `the endpoint does not implement it (${messageOf(err)})`
  if (err instanceof Error && /tagging is not (currently )?supported/i.test(err.message)) {
    return `the endpoint does not support tagging (${err.message})`
  }
  return undefined
}

/**
 * True for UpdateTable's "Nothing to update" ValidationException. DynamoDB Local answers it to SSE and
 * table-class changes, which it accepts at CreateTable but neither stores nor reports (measured).
 */
export function isNothingToUpdate(err: unknown): boolean {
  return (
    err instanceof Error &&
    err.name === 'ValidationException' &&
    /nothing to update/i.test(err.message)
  )
}

/** DescribeTimeToLive (works on DynamoDB Local and moto). */
export async function readTtl(
  client: DynamoDBClient,
  table: string,
): Promise<TimeToLiveDescription | undefined> {
  const out = await client.send(new DescribeTimeToLiveCommand({ TableName: table }))
  return out.TimeToLiveDescription
}

/** DescribeContinuousBackups: the PITR description, or unsupported (DynamoDB Local). */
export async function readPitr(
  client: DynamoDBClient,
  table: string,
): Promise<Live<PointInTimeRecoveryDescription | undefined>> {
  try {
    const out = await client.send(new DescribeContinuousBackupsCommand({ TableName: table }))
    return {
      supported: true,
      value: out.ContinuousBackupsDescription?.PointInTimeRecoveryDescription,
    }
  } catch (err) {
    const reason = unsupportedReason(err)
    if (reason === undefined) throw err
    return { supported: false, reason }
  }
}

/** Every tag of a resource (all pages of ListTagsOfResource), or unsupported (DynamoDB Local). */
export async function readTags(client: DynamoDBClient, arn: string): Promise<Live<Tag[]>> {
  const tags: Tag[] = []
  let next: string | undefined
  try {
    do {
      const out = await client.send(
        new ListTagsOfResourceCommand({ ResourceArn: arn, NextToken: next }),
      )
      tags.push(...(out.Tags ?? []))
      next = out.NextToken
    } while (next !== undefined)
  } catch (err) {
    const reason = unsupportedReason(err)
    if (reason === undefined) throw err
    return { supported: false, reason }
  }
  return { supported: true, value: tags }
}
