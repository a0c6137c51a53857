import type {
  AttributeDefinition,
  KeySchema,
  OnDemandThroughput,
  Projection,
  ProvisionedThroughput,
  TableSchema,
} from '../schema/table-schema.js'
import type { Check, CheckStatus, LiveTable } from './compare.js'

/**
 * The pieces of compareTable: canonical display texts (two normalized definitions are equal in a part
 * exactly when their texts are) and the key and index checks. Pure.
 */

type Extra = Omit<Check, 'table' | 'check' | 'status'>

/**
 * `PK:S HASH, SK:N RANGE`. A type `defs` lacks is taken from `fallback` (the schema's) and listed in
 * `unknown`: moto drops attribute definitions after some UpdateTables, and a type nobody reported is not
 * drift.
 */
function keyText(
  keys: KeySchema,
  defs: readonly AttributeDefinition[],
  fallback: readonly AttributeDefinition[] = [],
  unknown: string[] = [],
): string {
  return keys
    .map((k) => {
      let type = defs.find((d) => d.AttributeName === k.AttributeName)?.AttributeType
      if (type === undefined) {
        type = fallback.find((d) => d.AttributeName === k.AttributeName)?.AttributeType
        unknown.push(k.AttributeName)
      }
      return `${k.AttributeName}:${type ?? '?'} ${k.KeyType}`
    })
    .join(', ')
}

/** `ALL`, `KEYS_ONLY`, or `INCLUDE [a, b]` (normalized: non-key attributes sorted). */
function projectionText(p: Projection): string {
  const type = p.ProjectionType ?? 'ALL'
  return p.NonKeyAttributes?.length ? `${type} [${p.NonKeyAttributes.join(', ')}]` : type
}

function provisionedText(p: ProvisionedThroughput | undefined): string {
  return p === undefined
    ? 'no throughput'
    : `read ${p.ReadCapacityUnits}, write ${p.WriteCapacityUnits}`
}

/** On-demand maximums other than -1 (no limit), or '' when there are none. */
function onDemandText(p: OnDemandThroughput | undefined): string {
  const parts = [
    ['max read', p?.MaxReadRequestUnits],
    ['max write', p?.MaxWriteRequestUnits],
  ].filter(([, v]) => v !== undefined && v !== -1)
  return parts.map(([k, v]) => `${k} ${v}`).join(', ')
}

/** `PAY_PER_REQUEST`, `PAY_PER_REQUEST (max read 100)` or `PROVISIONED (read 5, write 5)`. */
export function billingText(t: TableSchema): string {
  const mode = t.BillingMode ?? 'PROVISIONED'
  const extra =
    mode === 'PROVISIONED'
      ? provisionedText(t.ProvisionedThroughput)
      : onDemandText(t.OnDemandThroughput)
  return extra === '' ? mode : `${mode} (${extra})`
}

/** `ENABLED (35 days)` or `DISABLED` (normalized: the period is explicit). */
export function pitrText(t: TableSchema): string {
  const spec = t.PointInTimeRecoverySpecification
  return spec?.PointInTimeRecoveryEnabled === true
    ? `ENABLED (${spec.RecoveryPeriodInDays ?? 35} days)`
    : 'DISABLED'
}

/** The view type, or `DISABLED`. */
export function streamText(t: TableSchema): string {
  return t.StreamSpecification?.StreamViewType ?? 'DISABLED'
}

/** Tags as a `{ key: value }` object with sorted keys (order-insensitive). */
export function tagsText(t: TableSchema): Record<string, string> {
  const sorted = [...(t.Tags ?? [])].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0))
  return Object.fromEntries(sorted.map((tag) => [tag.Key, tag.Value]))
}

/**
 * What a KMS key reference names: a key id (from a bare id such as `1234abcd-...` or `mrk-...`, or a key
 * ARN `arn:aws:kms:<region>:<account>:key/<id>`), or an alias (`alias/x`, or an alias ARN).
 */
export function kmsKey(ref: string): { kind: 'key'; id: string } | { kind: 'alias'; name: string } {
  const arn = /^arn:[^:]+:kms:[^:]*:[^:]*:(key|alias)\/(.+)$/.exec(ref)
  if (arn !== null) {
    return arn[1] === 'key'
      ? { kind: 'key', id: arn[2] ?? '' }
      : { kind: 'alias', name: arn[2] ?? '' }
  }
  if (ref.startsWith('alias/')) return { kind: 'alias', name: ref.slice('alias/'.length) }
  return { kind: 'key', id: ref }
}

/**
 * TTL from DescribeTimeToLive's status: the wanted state reached is ok; ENABLING/DISABLING heading the
 * wanted way is pending (it takes up to an hour); anything else, including another attribute, is drift.
 */
export function ttlCheck(
  e: TableSchema,
  live: LiveTable,
  check: (name: string, status: CheckStatus, extra?: Extra) => Check,
): Check {
  const want = e.TimeToLiveSpecification
  const status = live.ttlStatus ?? 'DISABLED'
  const attribute = live.definition.TimeToLiveSpecification?.AttributeName
  const actual =
    status === 'DISABLED' || attribute === undefined ? status : `${status} on ${attribute}`
  if (want?.Enabled !== true) {
    const expected = 'DISABLED'
    if (status === 'DISABLED') return check('ttl', 'ok', { expected, actual })
    if (status === 'DISABLING') {
      return check('ttl', 'pending', { expected, actual, detail: 'TTL is being disabled' })
    }
    return check('ttl', 'drift', { expected, actual })
  }
  const expected = `ENABLED on ${want.AttributeName ?? '?'}`
  if (attribute !== want.AttributeName) return check('ttl', 'drift', { expected, actual })
  if (status === 'ENABLED') return check('ttl', 'ok', { expected, actual })
  if (status === 'ENABLING') {
    return check('ttl', 'pending', { expected, actual, detail: 'TTL is being enabled' })
  }
  return check('ttl', 'drift', { expected, actual })
}

/** Index text for one normalized GSI or LSI: keys, projection and (GSI) throughput. */
type IndexLike = {
  IndexName: string
  KeySchema: KeySchema
  Projection: Projection
  ProvisionedThroughput?: ProvisionedThroughput
  OnDemandThroughput?: OnDemandThroughput
}

function indexText(
  index: IndexLike,
  defs: readonly AttributeDefinition[],
  provisioned: boolean | undefined,
  fallback: readonly AttributeDefinition[] = [],
): string {
  const parts = [keyText(index.KeySchema, defs, fallback), projectionText(index.Projection)]
  if (provisioned === true) parts.push(provisionedText(index.ProvisionedThroughput))
  if (provisioned === false) {
    const od = onDemandText(index.OnDemandThroughput)
    if (od !== '') parts.push(od)
  }
  return parts.join('; ')
}

/**
 * `keys`, then per GSI `gsi:<name>` (exists, keys, projection, throughput when both sides have the same
 * billing mode, then ACTIVE: CREATING/UPDATING is pending, with backfilling in the detail), `gsi:<name>:extra` for
 * live GSIs the schema lacks (pending while DELETING), and the same for LSIs (no status: they only exist
 * with their table). `e` and `l` are normalized.
 */
export function indexChecks(
  e: TableSchema,
  l: TableSchema,
  live: LiveTable,
  table: string,
): Check[] {
  const check = (name: string, status: CheckStatus, extra: Extra = {}): Check => ({
    table,
    check: name,
    status,
    ...extra,
  })
  const unknown: string[] = []
  const wantKeys = keyText(e.KeySchema, e.AttributeDefinitions)
  const haveKeys = keyText(l.KeySchema, l.AttributeDefinitions, e.AttributeDefinitions, unknown)
  const checks: Check[] = [
    check('keys', wantKeys === haveKeys ? 'ok' : 'drift', {
      expected: wantKeys,
      actual: haveKeys,
      ...(unknown.length ? { detail: `type of ${unknown.join(', ')} not reported` } : {}),
    }),
  ]
  // Throughput is compared when both sides have the same mode; a mode switch is the billing check's drift.
  const mode = e.BillingMode ?? 'PROVISIONED'
  const provisioned = mode !== (l.BillingMode ?? 'PROVISIONED') ? undefined : mode === 'PROVISIONED'
  for (const g of e.GlobalSecondaryIndexes ?? []) {
    const name = `gsi:${g.IndexName}`
    const found = l.GlobalSecondaryIndexes?.find((x) => x.IndexName === g.IndexName)
    const expected = indexText(g, e.AttributeDefinitions, provisioned)
    if (found === undefined) {
      checks.push(check(name, 'drift', { expected, actual: 'missing' }))
      continue
    }
    const actual = indexText(found, l.AttributeDefinitions, provisioned, e.AttributeDefinitions)
    const state = live.indexes[g.IndexName]
    if (expected !== actual) {
      checks.push(check(name, 'drift', { expected, actual }))
    } else if (state === undefined || state.status === 'ACTIVE') {
      checks.push(check(name, 'ok', { expected, actual }))
    } else {
      const detail = `${state.status}${state.backfilling ? ' (backfilling)' : ''}`
      const status =
        state.status === 'CREATING' || state.status === 'UPDATING' ? 'pending' : 'drift'
      checks.push(check(name, status, { expected: 'ACTIVE', actual: state.status, detail }))
    }
  }
  for (const g of l.GlobalSecondaryIndexes ?? []) {
    if (e.GlobalSecondaryIndexes?.some((x) => x.IndexName === g.IndexName)) continue
    const actual = indexText(g, l.AttributeDefinitions, undefined)
    const deleting = live.indexes[g.IndexName]?.status === 'DELETING'
    checks.push(
      check(`gsi:${g.IndexName}:extra`, deleting ? 'pending' : 'drift', {
        expected: 'absent',
        actual,
        ...(deleting ? { detail: 'DELETING' } : {}),
      }),
    )
  }
  for (const i of e.LocalSecondaryIndexes ?? []) {
    const found = l.LocalSecondaryIndexes?.find((x) => x.IndexName === i.IndexName)
    const expected = indexText(i, e.AttributeDefinitions, undefined)
    const actual =
      found === undefined
        ? 'missing'
        : indexText(found, l.AttributeDefinitions, undefined, e.AttributeDefinitions)
    checks.push(
      check(`lsi:${i.IndexName}`, expected === actual ? 'ok' : 'drift', { expected, actual }),
    )
  }
  for (const i of l.LocalSecondaryIndexes ?? []) {
    if (e.LocalSecondaryIndexes?.some((x) => x.IndexName === i.IndexName)) continue
    const actual = indexText(i, l.AttributeDefinitions, undefined)
    checks.push(check(`lsi:${i.IndexName}:extra`, 'drift', { expected: 'absent', actual }))
  }
  return checks
}
