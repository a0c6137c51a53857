import { SCAN_PAGE_LIMIT } from '../../dynamo/scan.js'
import { randomUUID } from 'node:crypto'
import {
  DeleteItemCommand,
  PutItemCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  type AttributeValue,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb'
import { META_KEY, MIGRATION_PREFIX, migrationPk } from './meta-table.js'
import { DdbmError, messageOf } from '../../errors.js'
import { fenceOf } from './lease.js'
import type { BackupRecord } from '../../plan/history.js'
import type { MetaLease, MigrationRecord } from './meta-store.js'

/** What a fenced write needs of a lease: its owner id (and holder, for the message). */
export type Fence = Pick<MetaLease, 'owner' | 'holder'>

export type { MigrationRecord } from './meta-store.js'

const STATUSES: readonly MigrationRecord['status'][] = [
  'running',
  'applied',
  'failed',
  'interrupted',
]
// Attempts and first delay for TransactionConflict cancellations (the SDK does not retry those).
const CONFLICT_ATTEMPTS = 5
const CONFLICT_DELAY_MS = 100

export type ReadRecordsOptions = {
  /** Scan page size (DynamoDB's Limit); default none (1 MB pages). Tests use it to exercise paging. */
  pageSize?: number
}

/**
 * Every migration record in the meta table, sorted by name: a consistent, paginated Scan of the
 * `migration#` items (the lock item is skipped). Throws DdbmError('INTERNAL') on a malformed record
 * (naming its key) rather than guessing, and DdbmError('AWS_FAILED') when the scan fails.
 */
export async function readRecords(
  client: DynamoDBClient,
  table: string,
  opts: ReadRecordsOptions = {},
): Promise<MigrationRecord[]> {
  const records: MigrationRecord[] = []
  let startKey: Record<string, AttributeValue> | undefined
  do {
    let page
    try {
      page = await client.send(
        new ScanCommand({
          TableName: table,
          ConsistentRead: true,
          FilterExpression: 'begins_with(#pk, :prefix)',
          ExpressionAttributeNames: { '#pk': META_KEY },
          ExpressionAttributeValues: { ':prefix': { S: MIGRATION_PREFIX } },
          Limit: opts.pageSize ?? SCAN_PAGE_LIMIT,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      )
    } catch (err) {
      throw new DdbmError(
        'AWS_FAILED',
        `Could not read the migration records from ${table}: ${messageOf(err)}`,
        { table },
        { cause: err },
      )
    }
    for (const item of page.Items ?? []) records.push(fromItem(item, table))
    startKey = page.LastEvaluatedKey
  } while (startKey !== undefined)
  return records.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/**
 * Writes (creates or replaces) the record of `record.name`. With a lease the write is a TransactWriteItems
 * of [fenceOf(table, lease.owner), Put], so a run that lost the lock records nothing: DdbmError('LOCK_LOST').
 * Without a lease it is a plain PutItem, for callers that hold no lock on purpose (tests). Never uses ADD
 * counters.
 */
export async function putRecord(
  client: DynamoDBClient,
  table: string,
  record: MigrationRecord,
  lease: Fence | undefined,
): Promise<void> {
  const item = toItem(record)
  await write(client, table, record.name, lease, { Put: { TableName: table, Item: item } }, () =>
    client.send(new PutItemCommand({ TableName: table, Item: item })),
  )
}

/**
 * Deletes the record of migration `name` (after `down`, or `resolve --rolled-back`); deleting a missing
 * record is not an error. Fenced by the lease like putRecord.
 */
export async function deleteRecord(
  client: DynamoDBClient,
  table: string,
  name: string,
  lease: Fence | undefined,
): Promise<void> {
  const Key = { [META_KEY]: { S: migrationPk(name) } }
  await write(client, table, name, lease, { Delete: { TableName: table, Key } }, () =>
    client.send(new DeleteItemCommand({ TableName: table, Key })),
  )
}

async function write(
  client: DynamoDBClient,
  table: string,
  name: string,
  lease: Fence | undefined,
  op: TransactWriteItem,
  plain: () => Promise<unknown>,
): Promise<void> {
  try {
    if (lease === undefined) {
      await plain()
      return
    }
    // One token for every attempt: a retry of a transaction that did commit is then a no-op.
    const token = randomUUID()
    for (let attempt = 1; ; attempt++) {
      try {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [{ ConditionCheck: fenceOf(table, lease.owner) }, op],
            ClientRequestToken: token,
          }),
        )
        return
      } catch (err) {
        if (!isConflict(err) || attempt >= CONFLICT_ATTEMPTS) throw err
        await new Promise((r) => setTimeout(r, CONFLICT_DELAY_MS * 2 ** (attempt - 1)))
      }
    }
  } catch (err) {
    if (reasons(err)[0] === 'ConditionalCheckFailed') {
      throw new DdbmError(
        'LOCK_LOST',
        `Migration record ${name} was not written: this run (${lease?.holder}) no longer holds the lock in ${table}`,
        { table, name, holder: lease?.holder },
        { cause: err },
      )
    }
    throw new DdbmError(
      'AWS_FAILED',
      `Could not write the migration record ${name} to ${table}: ${messageOf(err)}`,
      { table, name },
      { cause: err },
    )
  }
}

/** Cancellation reason codes, in request order, of a TransactionCanceledException; else []. */
export function reasons(err: unknown): (string | undefined)[] {
  if (!(err instanceof Error) || err.name !== 'TransactionCanceledException') return []
  const list = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []
  return list.map((r) => r.Code)
}

/** A transaction refused because another one on the same items was in flight (worth a retry). */
export function isConflict(err: unknown): boolean {
  return (
    (err instanceof Error && err.name === 'TransactionConflictException') ||
    reasons(err).includes('TransactionConflict')
  )
}

function toItem(r: MigrationRecord): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    [META_KEY]: { S: migrationPk(r.name) },
    name: { S: r.name },
    checksum: { S: r.checksum },
    status: { S: r.status },
    startedAt: { S: r.startedAt },
    appliedBy: { S: r.appliedBy },
    ddbmVersion: { S: r.ddbmVersion },
    runId: { S: r.runId },
  }
  if (r.finishedAt !== undefined) item.finishedAt = { S: r.finishedAt }
  if (r.durationMs !== undefined) item.durationMs = { N: String(r.durationMs) }
  if (r.error !== undefined) item.error = { S: r.error }
  if (r.backups !== undefined) {
    item.backups = {
      L: r.backups.map((b) => ({
        M: {
          table: { S: b.table },
          arn: { S: b.arn },
          op: { S: b.op },
          ...(b.index === undefined ? {} : { index: { S: b.index } }),
        },
      })),
    }
  }
  return item
}

function fromItem(item: Record<string, AttributeValue>, table: string): MigrationRecord {
  const pk = item[META_KEY]?.S ?? '(no key)'
  const str = (field: string): string => {
    const v = item[field]?.S
    if (v === undefined) throw malformed(table, pk, `has no string "${field}"`)
    return v
  }
  const status = str('status')
  if (!(STATUSES as readonly string[]).includes(status)) {
    throw malformed(table, pk, `has an unknown status "${status}"`)
  }
  const record: MigrationRecord = {
    name: str('name'),
    checksum: str('checksum'),
    status: status as MigrationRecord['status'],
    startedAt: str('startedAt'),
    appliedBy: str('appliedBy'),
    ddbmVersion: str('ddbmVersion'),
    runId: str('runId'),
  }
  if (pk !== migrationPk(record.name)) throw malformed(table, pk, `names "${record.name}"`)
  if (item.finishedAt?.S !== undefined) record.finishedAt = item.finishedAt.S
  if (item.durationMs?.N !== undefined) record.durationMs = Number(item.durationMs.N)
  if (item.error?.S !== undefined) record.error = item.error.S
  if (item.backups?.L !== undefined)
    record.backups = item.backups.L.map((b) => backupOf(b, table, pk))
  return record
}

function backupOf(value: AttributeValue, table: string, pk: string): BackupRecord {
  const m = value.M ?? {}
  const str = (field: string): string => {
    const v = m[field]?.S
    if (v === undefined) throw malformed(table, pk, `has a backup without a string "${field}"`)
    return v
  }
  const op = str('op')
  if (op !== 'deleteTable' && op !== 'deleteGsi') {
    throw malformed(table, pk, `has a backup of an unknown op "${op}"`)
  }
  const index = m.index?.S
  return { table: str('table'), arn: str('arn'), op, ...(index === undefined ? {} : { index }) }
}

function malformed(table: string, pk: string, what: string): DdbmError {
  return new DdbmError(
    'INTERNAL',
    `Meta table ${table}: record ${pk} ${what}`,
    { table, pk },
    { hint: 'The meta table was edited by hand? Fix or delete that item, then re-run.' },
  )
}
