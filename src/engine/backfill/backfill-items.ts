import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { ZERO_COUNTS, type Counts, type SegmentState } from '../../backfill/segments.js'
import { META_KEY } from '../meta/meta-table.js'
import type { BackfillHeader, BackfillRef } from './backfill-store.js'

/**
 * A backfill's items in the meta table (layout: docs/backfills.md): their keys, and each state as
 * DynamoDB attributes and back.
 */

/** `pk` prefix of every backfill item: `backfill#<migration>#<name>` (header) and `...#<index>` (segment). */
export const BACKFILL_PREFIX = 'backfill#'
export const COUNT_FIELDS = Object.keys(ZERO_COUNTS) as (keyof Counts)[]
export type Attrs = Record<string, AttributeValue>

export const headerPk = (ref: BackfillRef) => `${BACKFILL_PREFIX}${ref.migration}#${ref.name}`
export const segmentPk = (ref: BackfillRef, index: number) => `${headerPk(ref)}#${index}`
export const keyOf = (pk: string): Attrs => ({ [META_KEY]: { S: pk } })

export function headerItem(h: BackfillHeader): Attrs {
  const item: Attrs = {
    ...keyOf(headerPk(h)),
    kind: { S: 'backfill' },
    migration: { S: h.migration },
    name: { S: h.name },
    table: { S: h.table },
    segments: { N: String(h.segments) },
    direction: { S: h.direction },
    status: { S: h.status },
    lockOwner: { S: h.lockOwner },
    startedBy: { S: h.startedBy },
    startedAt: { S: h.startedAt },
  }
  if (h.index !== undefined) item.index = { S: h.index }
  if (h.coordinator !== undefined) item.coordinator = { S: h.coordinator }
  if (h.finishedAt !== undefined) item.finishedAt = { S: h.finishedAt }
  if (h.itemCount !== undefined) item.itemCount = { N: String(h.itemCount) }
  if (h.readPerSec !== undefined) item.readPerSec = { N: String(h.readPerSec) }
  if (h.writePerSec !== undefined) item.writePerSec = { N: String(h.writePerSec) }
  return item
}

const str = (item: Attrs, k: string) => item[k]?.S
const num = (item: Attrs, k: string) => (item[k]?.N === undefined ? undefined : Number(item[k]?.N))

export function headerOf(item: Attrs): BackfillHeader {
  const h: BackfillHeader = {
    migration: str(item, 'migration') ?? '',
    name: str(item, 'name') ?? '',
    table: str(item, 'table') ?? '',
    segments: num(item, 'segments') ?? 0,
    direction: str(item, 'direction') === 'down' ? 'down' : 'up',
    status: str(item, 'status') === 'done' ? 'done' : 'running',
    lockOwner: str(item, 'lockOwner') ?? '',
    startedBy: str(item, 'startedBy') ?? '',
    startedAt: str(item, 'startedAt') ?? '',
  }
  const index = str(item, 'index')
  if (index !== undefined) h.index = index
  const coordinator = str(item, 'coordinator')
  if (coordinator !== undefined) h.coordinator = coordinator
  const finishedAt = str(item, 'finishedAt')
  if (finishedAt !== undefined) h.finishedAt = finishedAt
  for (const k of ['itemCount', 'readPerSec', 'writePerSec'] as const) {
    const v = num(item, k)
    if (v !== undefined) h[k] = v
  }
  return h
}

export function segmentAttrs(s: SegmentState): Attrs {
  const item: Attrs = {
    kind: { S: 'segment' },
    index: { N: String(s.index) },
    status: { S: s.status },
  }
  for (const f of COUNT_FIELDS) item[f] = { N: String(s.counts[f]) }
  if (s.lastKey !== undefined) item.lastKey = { S: s.lastKey }
  return item
}

export function segmentOf(item: Attrs): SegmentState {
  const counts = { ...ZERO_COUNTS }
  for (const f of COUNT_FIELDS) counts[f] = num(item, f) ?? 0
  const s: SegmentState = {
    index: num(item, 'index') ?? -1,
    status: str(item, 'status') === 'done' ? 'done' : 'open',
    counts,
  }
  const lastKey = str(item, 'lastKey')
  if (lastKey !== undefined) s.lastKey = lastKey
  const owner = str(item, 'leaseOwner')
  if (owner !== undefined)
    s.lease = {
      owner,
      holder: str(item, 'leaseHolder') ?? '',
      counter: num(item, 'leaseCounter') ?? 0,
    }
  const updatedAt = str(item, 'updatedAt')
  if (updatedAt !== undefined) s.updatedAt = updatedAt
  return s
}
