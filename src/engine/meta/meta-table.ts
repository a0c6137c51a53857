import {
  CreateTableCommand,
  DescribeTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TableStatus,
} from '@aws-sdk/client-dynamodb'
import { DdbmError, messageOf } from '../../errors.js'
import { isResourceInUse, isResourceNotFound } from '../../dynamo/aws-errors.js'

/**
 * Key layout of the meta table: one string HASH key `pk`, on-demand billing. It holds exactly three kinds
 * of item: the lease lock (`pk = "lock"`), the environment's identity (`pk = "environment"`) and one record
 * per migration (`pk = "migration#<name>"`).
 */
export const META_KEY = 'pk'
/** `pk` of the lease lock item. */
export const LOCK_PK = 'lock'
/** `pk` of the environment's identity (environment-record.ts). */
export const ENVIRONMENT_PK = 'environment'
/** Prefix of the `pk` of every migration record. */
export const MIGRATION_PREFIX = 'migration#'

/** `pk` of the record of migration `name`. */
export function migrationPk(name: string): string {
  return `${MIGRATION_PREFIX}${name}`
}

/** The CreateTable input of the meta table `name`: `pk` (S) HASH, PAY_PER_REQUEST. */
export function metaTableDefinition(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: META_KEY, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: META_KEY, KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }
}

export type EnsureMetaTableOptions = {
  /** Injectable sleep for the ACTIVE poll; tests pass an instant one. Default: setTimeout. */
  sleep?: (ms: number) => Promise<void>
  /** Give up waiting for ACTIVE after this long (default 5 min). */
  timeoutMs?: number
}

/**
 * Creates the meta table if it is missing and waits until it is ACTIVE. Idempotent and race-safe: when a
 * parallel run creates it first (ResourceInUseException) this carries on and waits like the creator.
 * Returns whether this call created it. An existing table is not compared with the definition.
 * Throws DdbmError('AWS_FAILED') on any other failure or when the table stays inactive past `timeoutMs`.
 */
export async function ensureMetaTable(
  client: DynamoDBClient,
  name: string,
  opts: EnsureMetaTableOptions = {},
): Promise<{ created: boolean }> {
  let created = false
  if ((await tableStatus(client, name)) === undefined) {
    try {
      await client.send(new CreateTableCommand(metaTableDefinition(name)))
      created = true
    } catch (err) {
      // A parallel run created it between our describe and our create.
      if (!isResourceInUse(err)) throw awsFailed(name, 'create', err)
    }
  }
  await waitActive(client, name, opts)
  return { created }
}

/**
 * True when the meta table `name` exists (in any status). Read-only commands use it to report "nothing
 * applied yet" without creating the table. Throws DdbmError('AWS_FAILED') when DescribeTable fails otherwise.
 */
export async function metaTableExists(client: DynamoDBClient, name: string): Promise<boolean> {
  return (await tableStatus(client, name)) !== undefined
}

/** Status of table `name`, or undefined when it does not exist. */
async function tableStatus(
  client: DynamoDBClient,
  name: string,
): Promise<TableStatus | 'UNKNOWN' | undefined> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: name }))
    return out.Table?.TableStatus ?? 'UNKNOWN'
  } catch (err) {
    if (isResourceNotFound(err)) return undefined
    throw awsFailed(name, 'describe', err)
  }
}

const POLL_FIRST_MS = 250
const POLL_MAX_MS = 5_000

/**
 * Polls DescribeTable with capped exponential backoff until ACTIVE. Private on purpose: src/dynamo/wait.ts
 * (waitForTableActive) is being written in parallel; the lead can fold this into it.
 * ResourceNotFound right after CreateTable ("too early in CREATING") counts as not yet active.
 */
async function waitActive(
  client: DynamoDBClient,
  name: string,
  opts: EnsureMetaTableOptions,
): Promise<void> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const timeoutMs = opts.timeoutMs ?? 300_000
  const started = performance.now()
  let delay = POLL_FIRST_MS
  for (;;) {
    const status = await tableStatus(client, name)
    if (status === 'ACTIVE') return
    const waited = performance.now() - started
    if (waited >= timeoutMs) {
      throw new DdbmError(
        'AWS_FAILED',
        `Meta table ${name} is not ACTIVE after ${Math.round(waited / 1000)} s (status ${status ?? 'missing'})`,
        { table: name, status: status ?? null, waitedMs: Math.round(waited) },
      )
    }
    await sleep(Math.min(delay, Math.max(0, timeoutMs - waited)))
    delay = Math.min(delay * 2, POLL_MAX_MS)
  }
}

function awsFailed(name: string, action: string, err: unknown): DdbmError {
  return new DdbmError(
    'AWS_FAILED',
    `Could not ${action} the meta table ${name}: ${messageOf(err)}`,
    { table: name },
    { cause: err },
  )
}
