import { randomUUID } from 'node:crypto'
import {
  DeleteItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type ConditionCheck,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { LOCK_PK, META_KEY } from './meta-table.js'
import { DdbmError, messageOf } from '../../errors.js'
import type { Emit } from '../../events.js'
import type { MetaLease } from './meta-store.js'

/** Key of the lock item in the meta table. */
export const LOCK_KEY = { [META_KEY]: { S: LOCK_PK } }
// `owner` is a DynamoDB reserved word, so expressions name attributes through placeholders.

/**
 * A lease lock held in the DynamoDB meta table: the store's MetaLease plus what only DynamoDB needs.
 * Release it in `finally`.
 */
export type Lease = MetaLease & {
  /**
   * Throws DdbmError('LOCK_LOST') when the lock was lost: a heartbeat's condition failed, or no heartbeat
   * succeeded for a whole lease on our own monotonic clock (a waiter may have taken over).
   */
  assertHeld(): void
  /** The ConditionCheck of fenceOf(table, owner): holds only while this lease owns the lock item. */
  fence(): ConditionCheck
  /** Stops the heartbeat, deletes the item if still ours, emits `released`. Never throws; idempotent. */
  release(): Promise<void>
  /** Test hook: stop renewing without releasing, as a frozen or dead process would. */
  stopHeartbeat(): void
}

/**
 * A TransactWriteItems ConditionCheck that holds only while lease `owner` owns the lock item of `table`.
 * It checks the owner id, not the rvn, which changes on every heartbeat.
 */
export function fenceOf(table: string, owner: string): ConditionCheck {
  return {
    TableName: table,
    Key: LOCK_KEY,
    ConditionExpression: '#owner = :owner',
    ExpressionAttributeNames: { '#owner': 'owner' },
    ExpressionAttributeValues: { ':owner': { S: owner } },
  }
}

/** What a freshly acquired lease starts from. */
export type LeaseStart = {
  client: DynamoDBClient
  table: string
  holder: string
  emit: Emit
  /** Monotonic clock in ms. */
  now: () => number
  leaseMs: number
  heartbeatMs: number
  /** This lease's owner id and the rvn it wrote. */
  owner: string
  rvn: string
  /** Monotonic send time of the write that acquired it: the lease cannot expire before this + leaseMs. */
  sentAt: number
}

/**
 * Starts the heartbeat of a lease acquired by acquireLock (lock.ts) and returns its handle. Every
 * `heartbeatMs` an unref'd timer renews the rvn with an UpdateItem conditioned on `owner = me AND
 * rvn = current`. A network failure is retried at the next tick; the lease counts as lost only when the
 * condition fails, or when no renewal was confirmed for a whole lease on our own monotonic clock.
 */
export function startLease(start: LeaseStart): Lease {
  const { client, table, holder, emit, now, leaseMs, heartbeatMs, owner } = start
  let rvn = start.rvn
  // Send time of the last confirmed write: the item cannot have been stale before this + leaseMs.
  let confirmedAt = start.sentAt
  let lost = false
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let inflight: Promise<void> | undefined
  let released: Promise<void> | undefined

  const markLost = (why: string): void => {
    if (lost) return
    lost = true
    stopped = true
    clearTimeout(timer)
    emit({ kind: 'log', level: 'warn', message: `Lost the migration lock in ${table}: ${why}` })
    emit({ kind: 'lock', status: 'lost', holder })
  }
  const checkStale = (): void => {
    const since = now() - confirmedAt
    if (!lost && since > leaseMs) {
      markLost(`no heartbeat confirmed for ${Math.round(since)} ms (lease ${leaseMs} ms)`)
    }
  }

  const beat = async (): Promise<void> => {
    // One retry covers a renewal of ours that landed although its response was lost.
    for (let attempt = 0; attempt < 2 && !stopped; attempt++) {
      const next = randomUUID()
      const beatAt = now()
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: table,
            Key: LOCK_KEY,
            UpdateExpression: 'SET #rvn = :next, heartbeatAt = :at',
            ConditionExpression: '#owner = :me AND #rvn = :current',
            ExpressionAttributeNames: { '#owner': 'owner', '#rvn': 'rvn' },
            ExpressionAttributeValues: {
              ':next': { S: next },
              ':at': { S: new Date().toISOString() },
              ':me': { S: owner },
              ':current': { S: rvn },
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        )
        rvn = next
        confirmedAt = beatAt
        return
      } catch (err) {
        if (!isConditionalCheckFailed(err)) {
          // Network or service trouble: try again next tick, unless a whole lease has gone by.
          emit({ kind: 'log', level: 'warn', message: `Lock heartbeat failed: ${messageOf(err)}` })
          checkStale()
          return
        }
        const old = err.Item
        if (old?.owner?.S !== owner || old.rvn?.S === undefined) {
          markLost(
            old === undefined ? 'the lock item was deleted' : `taken over by ${old.holder?.S}`,
          )
          return
        }
        // Still ours: an earlier renewal (maybe this one, retried by the SDK) landed unseen.
        const landed = old.rvn.S === next
        rvn = old.rvn.S
        if (landed) {
          confirmedAt = beatAt
          return
        }
      }
    }
  }

  const schedule = (): void => {
    if (stopped) return
    timer = setTimeout(() => {
      inflight = beat()
        // Only a throwing emitter can get here; presume the worst rather than crash on a rejection.
        .catch((err: unknown) => markLost(`heartbeat failed unexpectedly: ${messageOf(err)}`))
        .finally(() => {
          inflight = undefined
          schedule()
        })
    }, heartbeatMs)
    timer.unref()
  }
  schedule()

  return {
    owner,
    holder,
    leaseMs,
    get lost() {
      return lost
    },
    assertHeld() {
      checkStale()
      if (lost) {
        throw new DdbmError(
          'LOCK_LOST',
          `This run (${holder}) lost the migration lock in ${table}; another run may hold it now`,
          { holder, table },
        )
      }
    },
    fence: () => fenceOf(table, owner),
    stopHeartbeat() {
      stopped = true
      clearTimeout(timer)
    },
    release() {
      released ??= (async () => {
        stopped = true
        clearTimeout(timer)
        await inflight
        try {
          await client.send(
            new DeleteItemCommand({
              TableName: table,
              Key: LOCK_KEY,
              ConditionExpression: '#owner = :me',
              ExpressionAttributeNames: { '#owner': 'owner' },
              ExpressionAttributeValues: { ':me': { S: owner } },
            }),
          )
        } catch (err) {
          if (!isConditionalCheckFailed(err)) {
            // Never throw from a `finally`: the lease simply expires after leaseMs.
            const message = `Could not release the migration lock in ${table} (it expires in ${leaseMs} ms): ${messageOf(err)}`
            emit({ kind: 'log', level: 'warn', message })
            return
          }
        }
        emit({ kind: 'lock', status: 'released', holder })
      })()
      return released
    },
  }
}

/** A failed DynamoDB condition; `Item` is the old item when ALL_OLD was asked for. */
export function isConditionalCheckFailed(
  err: unknown,
): err is Error & { Item?: Record<string, AttributeValue> } {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException'
}

/** DdbmError(AWS_FAILED) for a lock call on `table`, keeping the cause. */
export function awsFailed(table: string, action: string, err: unknown): DdbmError {
  const message = `Could not ${action} the migration lock in ${table}: ${messageOf(err)}`
  return new DdbmError('AWS_FAILED', message, { table }, { cause: err })
}
