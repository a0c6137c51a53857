import { randomUUID } from 'node:crypto'
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { META_KEY } from './meta-table.js'
import type { Emit } from '../../events.js'
import { interruptibleSleep, throwIfInterrupted } from '../../interrupt.js'
import { LOCK_KEY, awsFailed, isConditionalCheckFailed, startLease, type Lease } from './lease.js'

import { lockHeld, type LockInfo } from './meta-store.js'

export type { Lease } from './lease.js'
export type { LockInfo } from './meta-store.js'

/** Default lease length: a dead run frees the lock after this long (short, so a crash costs little). */
export const DEFAULT_LEASE_MS = 20_000
/** Default time to wait for another run's lock before failing with LOCK_HELD. */
export const DEFAULT_LOCK_WAIT_MS = 15 * 60_000

export type LockOptions = {
  client: DynamoDBClient
  /** The meta table (it must exist: see ensureMetaTable). */
  table: string
  /** Who holds it, for humans: "user@host pid N". */
  holder: string
  /** Lease length, stored in the item; a waiter takes over after seeing it unrenewed this long. Default 20 s. */
  leaseMs?: number
  /** Renewal period. Default leaseMs / 4. */
  heartbeatMs?: number
  /** Give up with LOCK_HELD after waiting this long. Default 15 min. */
  waitTimeoutMs?: number
  emit: Emit
  /** Sleep between polls while waiting. Default setTimeout. */
  sleep?: (ms: number) => Promise<void>
  /** Monotonic clock in ms. Default performance.now. Never compared with another machine's clock. */
  now?: () => number
  /** Stops waiting when aborted: DdbmError INTERRUPTED, nothing taken. */
  signal?: AbortSignal
}

/**
 * How often a waiter reports the countdown to a takeover: every quarter lease, between 1 and 5 s. The
 * first report comes after half a lease unrenewed, two heartbeats of a holder that renews every quarter
 * lease (the default), so a live holder never shows one.
 */
export function countdownStepMs(leaseMs: number): number {
  return Math.max(1_000, Math.min(5_000, leaseMs / 4))
}

/**
 * Acquires the lease lock in the meta table, waiting for another holder if needed. Follows the DynamoDB
 * Lock Client's rule: a lock is stale only when its rvn stayed unchanged for a whole lease on *our*
 * monotonic clock; stored timestamps are never compared with the local clock. Emits `waiting` with the
 * time to a takeover (again when the holder changes); while the holder's rvn stays unchanged, `countdown`
 * from half a lease on, every {@link countdownStepMs}; `alive` when the holder renews after a countdown
 * was shown (then it waits on, up to `waitTimeoutMs`); then `acquired` or `taken-over`. Throws
 * DdbmError('LOCK_HELD') after `waitTimeoutMs`, and DdbmError('INTERRUPTED') as soon as `signal` aborts.
 */
export async function acquireLock(opts: LockOptions): Promise<Lease> {
  const { client, table, holder, emit } = opts
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS
  const waitTimeoutMs = opts.waitTimeoutMs ?? DEFAULT_LOCK_WAIT_MS
  const now = opts.now ?? (() => performance.now())
  const heartbeatMs = opts.heartbeatMs ?? leaseMs / 4
  const base = { client, table, holder, emit, now, leaseMs, heartbeatMs }
  const started = now()
  let seen: { rvn: string; at: number } | undefined
  let announced: string | undefined
  // A takeover was announced since the holder last renewed: its next renewal is reported (`alive`).
  let counting = false
  // How long the rvn must stay unchanged before the next `countdown`.
  let nextCountdown = 0

  for (;;) {
    throwIfInterrupted(
      opts.signal,
      `before taking the migration lock in ${table}: nothing was changed`,
    )
    const sentAt = now()
    const fresh = newItem(holder, leaseMs)
    const put = await tryPut(client, table, fresh.item, 'attribute_not_exists(#pk)', {})
    // `owner` is ours when an earlier try of this very request landed and the SDK's retry then failed.
    if (put.ok || put.current?.owner === fresh.owner) {
      emit({ kind: 'lock', status: 'acquired', holder, since: fresh.since })
      return startLease({ ...base, owner: fresh.owner, rvn: put.current?.rvn ?? fresh.rvn, sentAt })
    }
    const info = put.current
    if (info === undefined) continue // released meanwhile: try the normal acquire again
    const who = { holder: info.holder, since: info.since }
    const sameHolder = info.owner === announced
    if (!sameHolder) {
      emit({ kind: 'lock', status: 'waiting', ...who, takeoverInMs: info.leaseMs })
      announced = info.owner
      counting = true
    }
    const step = countdownStepMs(info.leaseMs)
    if (seen === undefined || seen.rvn !== info.rvn) {
      if (seen !== undefined && sameHolder && counting) {
        const giveUpInMs = Math.max(0, waitTimeoutMs - (now() - started))
        emit({ kind: 'lock', status: 'alive', ...who, giveUpInMs })
        counting = false
      }
      seen = { rvn: info.rvn, at: now() }
      nextCountdown = Math.max(step, info.leaseMs / 2)
    } else if (now() - seen.at >= info.leaseMs) {
      const takeAt = now()
      const next = newItem(holder, leaseMs)
      const taken = await tryPut(client, table, next.item, '#rvn = :seen', {
        ':seen': { S: info.rvn },
      })
      if (taken.ok || taken.current?.owner === next.owner) {
        emit({ kind: 'lock', status: 'taken-over', holder: info.holder, since: info.since })
        return startLease({
          ...base,
          owner: next.owner,
          rvn: taken.current?.rvn ?? next.rvn,
          sentAt: takeAt,
        })
      }
      seen = undefined // renewed, released or taken by another waiter first: start over
      continue
    } else if (now() - seen.at >= nextCountdown) {
      const unrenewedMs = now() - seen.at
      const takeoverInMs = Math.max(0, info.leaseMs - unrenewedMs)
      emit({ kind: 'lock', status: 'countdown', ...who, unrenewedMs, takeoverInMs })
      counting = true
      while (nextCountdown <= unrenewedMs) nextCountdown += step
    }
    const waited = now() - started
    if (waited >= waitTimeoutMs) {
      throw lockHeld(table, info, waited)
    }
    const poll = Math.min(1_000, info.leaseMs / 4, leaseMs / 4) * (0.75 + Math.random() * 0.5)
    const sleep = interruptibleSleep(
      opts.sleep,
      opts.signal,
      `while waiting for the migration lock in ${table} (held by ${info.holder} since ${info.since}): nothing was changed`,
    )
    await sleep(Math.max(1, Math.min(poll, waitTimeoutMs - waited)))
  }
}

/** The current lock item (consistent read), or undefined when nobody holds the lock. */
export async function readLock(
  client: DynamoDBClient,
  table: string,
): Promise<LockInfo | undefined> {
  try {
    const out = await client.send(
      new GetItemCommand({ TableName: table, Key: LOCK_KEY, ConsistentRead: true }),
    )
    return out.Item === undefined ? undefined : toInfo(out.Item)
  } catch (err) {
    throw awsFailed(table, 'read', err)
  }
}

/**
 * Deletes the lock item unconditionally (`ddbm migrate unlock`) and returns what was removed, or undefined
 * when there was no lock. A live holder notices at its next heartbeat and fails with LOCK_LOST.
 */
export async function forceUnlock(
  client: DynamoDBClient,
  table: string,
): Promise<LockInfo | undefined> {
  try {
    const out = await client.send(
      new DeleteItemCommand({ TableName: table, Key: LOCK_KEY, ReturnValues: 'ALL_OLD' }),
    )
    return out.Attributes === undefined ? undefined : toInfo(out.Attributes)
  } catch (err) {
    throw awsFailed(table, 'delete', err)
  }
}

function newItem(holder: string, leaseMs: number) {
  const owner = randomUUID()
  const rvn = randomUUID()
  const since = new Date().toISOString()
  const item: Record<string, AttributeValue> = {
    ...LOCK_KEY,
    owner: { S: owner },
    rvn: { S: rvn },
    holder: { S: holder },
    leaseMs: { N: String(Math.round(leaseMs)) },
    acquiredAt: { S: since },
    heartbeatAt: { S: since },
  }
  return { owner, rvn, since, item }
}

/**
 * Conditional PutItem of the lock item. When the condition fails, `current` is the item that made it fail
 * (ALL_OLD, or a consistent read where the endpoint does not return it), undefined if there is none.
 */
async function tryPut(
  client: DynamoDBClient,
  table: string,
  item: Record<string, AttributeValue>,
  condition: string,
  values: Record<string, AttributeValue>,
): Promise<{ ok: true; current?: undefined } | { ok: false; current: LockInfo | undefined }> {
  try {
    await client.send(
      new PutItemCommand({
        TableName: table,
        Item: item,
        ConditionExpression: condition,
        ExpressionAttributeNames: condition.includes('#rvn')
          ? { '#rvn': 'rvn' }
          : { '#pk': META_KEY },
        ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    )
    return { ok: true }
  } catch (err) {
    if (!isConditionalCheckFailed(err)) throw awsFailed(table, 'write', err)
    return { ok: false, current: err.Item ? toInfo(err.Item) : await readLock(client, table) }
  }
}

function toInfo(item: Record<string, AttributeValue>): LockInfo {
  const leaseMs = Number(item.leaseMs?.N)
  return {
    holder: item.holder?.S ?? '(unknown holder)',
    since: item.acquiredAt?.S ?? '(unknown time)',
    owner: item.owner?.S ?? '',
    rvn: item.rvn?.S ?? '',
    leaseMs: Number.isFinite(leaseMs) && leaseMs > 0 ? leaseMs : DEFAULT_LEASE_MS,
    heartbeatAt: item.heartbeatAt?.S,
  }
}
